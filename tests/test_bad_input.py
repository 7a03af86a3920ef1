"""Bad input gives a clear error that names the problem.

Each case is ``pytest.param(action, error_type, message_regex, id=...)``; the
action is called with no argument and must raise ``error_type`` with a message
matching ``message_regex``.
"""

import numpy as np
import pandas as pd
import pytest
from scipy import sparse
from sklearn import config_context
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LinearRegression
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from sklstm import (
    ChannelsFirstTransformer,
    SequencePadder,
    SlidingWindowTransformer,
    StepwiseTransformer,
    TextSequencer,
    make_windows,
)

nan = np.nan


def _fitted(transformer, X):
    return transformer.fit(X)


def _with_global_pandas_output(action):
    with config_context(transform_output="pandas"):
        return action()


# Transformers ---------------------------------------------------------------

TRANSFORMER_CASES = [
    # make_windows
    pytest.param(
        lambda: make_windows(np.arange(4.0), sequence_length=3, horizon=2),
        ValueError,
        r"needs at least sequence_length \+ horizon = 5 time steps and has 4\. "
        r"Received: sequence_length=3, horizon=2",
        id="make_windows-series-too-short",
    ),
    pytest.param(
        lambda: make_windows(np.arange(4.0), sequence_length=0),
        ValueError,
        r"`sequence_length` must be a positive integer\. Received: sequence_length=0",
        id="make_windows-sequence_length-0",
    ),
    pytest.param(
        lambda: make_windows(np.arange(4.0), 2, horizon=0),
        ValueError,
        r"`horizon` must be a positive integer\. Received: horizon=0",
        id="make_windows-horizon-0",
    ),
    pytest.param(
        lambda: make_windows(np.arange(9.0), 2, sequence_stride=-1),
        ValueError,
        r"`sequence_stride` must be a positive integer\. Received: sequence_stride=-1",
        id="make_windows-stride-negative",
    ),
    pytest.param(
        lambda: make_windows(np.array([1.0, 2.0, nan, 4.0]), 2),
        ValueError,
        r"`data` contains NaN at row 2",
        id="make_windows-nan",
    ),
    pytest.param(
        lambda: make_windows(np.zeros((5, 2, 2)), 2),
        ValueError,
        r"make_windows expects a series.*Received a 3-D array",
        id="make_windows-3d",
    ),
    pytest.param(
        lambda: make_windows(pd.DataFrame({"a": np.arange(5.0)}), 2, target="b"),
        ValueError,
        r"`target` names a column that `data` does not have\. Received: target='b'",
        id="make_windows-unknown-target",
    ),
    pytest.param(
        lambda: make_windows(np.zeros((5, 2)), 2, target=2),
        ValueError,
        r"`target` must index one of the 2 columns of `data`\. Received: target=2",
        id="make_windows-target-out-of-range",
    ),
    pytest.param(
        lambda: make_windows(np.zeros((5, 2)), 2, target=1.5),
        TypeError,
        r"`target` must be None, a column position.*Received: target=1\.5",
        id="make_windows-target-float",
    ),
    # SlidingWindowTransformer
    pytest.param(
        lambda: SlidingWindowTransformer(3).fit(np.zeros((4, 3, 2))),
        ValueError,
        r"SlidingWindowTransformer expects time-ordered rows: a 2-D array of shape "
        r"\(n_timesteps, n_features\) or a 1-D series\. Received a 3-D array",
        id="windows-3d-input",
    ),
    pytest.param(
        lambda: SlidingWindowTransformer(sequence_length=0).fit(np.zeros((4, 1))),
        ValueError,
        r"`sequence_length` must be a positive integer\. Received: sequence_length=0",
        id="windows-sequence_length-0",
    ),
    pytest.param(
        lambda: SlidingWindowTransformer(sequence_length=-2).fit(np.zeros((4, 1))),
        ValueError,
        r"Received: sequence_length=-2",
        id="windows-sequence_length-negative",
    ),
    pytest.param(
        lambda: SlidingWindowTransformer(sequence_length=2.5).fit(np.zeros((4, 1))),
        TypeError,
        r"`sequence_length` must be a positive integer\. "
        r"Received: sequence_length=2\.5",
        id="windows-sequence_length-float",
    ),
    pytest.param(
        lambda: SlidingWindowTransformer(value="pad").fit(np.zeros((4, 1))),
        TypeError,
        r"`value` must be an instance of 'float'\. Received: value='pad'",
        id="windows-value-str",
    ),
    pytest.param(
        lambda: SlidingWindowTransformer(2).fit([[1.0, 2.0], [3.0, 4.0], [nan, 6.0]]),
        ValueError,
        r"X contains NaN at row 2 \(feature 0\); fill or drop missing values",
        id="windows-nan-in-fit",
    ),
    pytest.param(
        lambda: _fitted(SlidingWindowTransformer(2), np.zeros((3, 1))).transform(
            [[1.0], [nan]]
        ),
        ValueError,
        r"X contains NaN at row 1",
        id="windows-nan-in-transform",
    ),
    pytest.param(
        lambda: _fitted(SlidingWindowTransformer(2), np.zeros((3, 2))).transform(
            np.zeros((3, 1))
        ),
        ValueError,
        r"X has 1 features, but SlidingWindowTransformer is expecting 2 features",
        id="windows-feature-count-mismatch",
    ),
    pytest.param(
        lambda: _fitted(SlidingWindowTransformer(2), np.zeros((3, 2))).transform(
            np.zeros(3)
        ),
        ValueError,
        r"fitted on 2 features but received a 1-D array\. Reshape your data",
        id="windows-1d-after-2-features",
    ),
    pytest.param(
        lambda: SlidingWindowTransformer(2).transform(np.zeros((3, 1))),
        NotFittedError,
        r"not fitted yet",
        id="windows-not-fitted",
    ),
    # SequencePadder
    pytest.param(
        lambda: SequencePadder().fit([[1.0], [2.0], [3.0], [4.0, 5.0, nan]]),
        ValueError,
        r"sequence 3 contains NaN at step 2; fill or drop missing values before "
        r"padding",
        id="padder-nan-inside-sequence",
    ),
    pytest.param(
        lambda: SequencePadder().fit(np.array([[1.0, 2.0], [3.0, np.inf]])),
        ValueError,
        r"sequence 1 contains an infinite value at step 1",
        id="padder-inf-inside-sequence",
    ),
    pytest.param(
        lambda: _fitted(SequencePadder(), [[1.0, 2.0]]).transform([[nan, 1.0]]),
        ValueError,
        r"sequence 0 contains NaN at step 0",
        id="padder-nan-at-transform",
    ),
    pytest.param(
        lambda: SequencePadder(id_column="id", time_column="t").fit(
            pd.DataFrame({"id": ["a", "a"], "t": [1, 2], "x": [1.0, nan]})
        ),
        ValueError,
        r"sequence 0 \(id 'a'\) contains NaN at step 1",
        id="padder-nan-long-format",
    ),
    pytest.param(
        lambda: SequencePadder(padding="middle").fit([[1.0]]),
        ValueError,
        r"`padding` must be a str among \{.*\}\. Received: padding='middle'",
        id="padder-unknown-padding",
    ),
    pytest.param(
        lambda: SequencePadder(truncating="both").fit([[1.0]]),
        ValueError,
        r"`truncating` must be a str among \{.*\}\. Received: truncating='both'",
        id="padder-unknown-truncating",
    ),
    pytest.param(
        lambda: SequencePadder(maxlen=0).fit([[1.0]]),
        ValueError,
        r"`maxlen` must be a positive integer or None\. Received: maxlen=0",
        id="padder-maxlen-0",
    ),
    pytest.param(
        lambda: _fitted(SequencePadder(), [np.zeros((2, 3))]).transform(
            [np.zeros((2, 2))]
        ),
        ValueError,
        r"X has 2 features per time step, but SequencePadder is expecting 3",
        id="padder-feature-count-mismatch",
    ),
    pytest.param(
        lambda: SequencePadder().fit([np.zeros((2, 3)), np.zeros((2, 2))]),
        ValueError,
        r"sequence 1 has 2 features per time step, but sequence 0 has 3",
        id="padder-mixed-feature-counts",
    ),
    pytest.param(
        lambda: SequencePadder().fit([[1.0, 2.0], []]),
        ValueError,
        r"sequence 1 is empty; each sequence needs at least one step",
        id="padder-empty-sequence",
    ),
    pytest.param(
        lambda: SequencePadder().fit([]),
        ValueError,
        r"X contains no sequences",
        id="padder-no-sequences",
    ),
    pytest.param(
        lambda: SequencePadder().fit([1.0, 2.0, 3.0]),
        ValueError,
        r"X must be a list of sequences, but sequence 0 is a number.*Reshape your "
        r"data",
        id="padder-flat-list",
    ),
    pytest.param(
        lambda: SequencePadder().fit([["a", "b"]]),
        TypeError,
        r"sequence 0 must hold numbers",
        id="padder-strings",
    ),
    pytest.param(
        lambda: SequencePadder().fit(pd.DataFrame({"x": [1.0, 2.0]})),
        ValueError,
        r"SequencePadder received a DataFrame but `id_column` is None",
        id="padder-dataframe-without-id",
    ),
    pytest.param(
        lambda: SequencePadder(id_column="user").fit(pd.DataFrame({"x": [1.0]})),
        ValueError,
        r"`id_column` must name a column of X\. Received: id_column='user'",
        id="padder-unknown-id-column",
    ),
    pytest.param(
        lambda: SequencePadder(id_column="id").fit([[1.0]]),
        ValueError,
        r"`id_column` and `time_column` apply to a long-format DataFrame",
        id="padder-id-column-with-list",
    ),
    pytest.param(
        lambda: _fitted(
            SequencePadder(id_column="id"), pd.DataFrame({"id": [1], "x": [1.0]})
        ).transform(pd.DataFrame({"id": [1], "y": [1.0]})),
        ValueError,
        r"The feature columns of X must be those seen in fit",
        id="padder-other-feature-columns",
    ),
    pytest.param(
        lambda: SequencePadder().fit(sparse.csr_matrix(np.ones((2, 2)))),
        TypeError,
        r"SequencePadder does not accept sparse input",
        id="padder-sparse",
    ),
    # TextSequencer
    pytest.param(
        lambda: TextSequencer().fit(["", "   ", "!?"]),
        ValueError,
        r"`X` contains no tokens: all 3 texts are empty",
        id="text-all-empty",
    ),
    pytest.param(
        lambda: TextSequencer().fit([]),
        ValueError,
        r"`X` contains no tokens: all 0 texts are empty",
        id="text-no-texts",
    ),
    pytest.param(
        lambda: TextSequencer().fit(["a cat", 3]),
        TypeError,
        r"TextSequencer expects str texts, but text 1 is a int: 3",
        id="text-non-string",
    ),
    pytest.param(
        lambda: TextSequencer().fit(["a cat", None]),
        TypeError,
        r"text 1 is a NoneType",
        id="text-none",
    ),
    pytest.param(
        lambda: TextSequencer().fit("a single text"),
        TypeError,
        r"expects a list of texts but received a single str",
        id="text-bare-string",
    ),
    pytest.param(
        lambda: TextSequencer().fit(np.array([["a"], ["b"]])),
        ValueError,
        r"expects a 1-D list, array or Series of texts; received shape \(2, 1\)",
        id="text-2d",
    ),
    pytest.param(
        lambda: _fitted(TextSequencer(), ["a"]).transform([b"bytes"]),
        TypeError,
        r"text 0 is a bytes",
        id="text-bytes-at-transform",
    ),
    pytest.param(
        lambda: TextSequencer(maxlen=0).fit(["a"]),
        ValueError,
        r"`maxlen` must be a positive integer or None\. Received: maxlen=0",
        id="text-maxlen-0",
    ),
    pytest.param(
        lambda: TextSequencer(max_tokens=2).fit(["a"]),
        ValueError,
        r"`max_tokens` must be an int in the range \[3, inf\) or None\. "
        r"Received: max_tokens=2",
        id="text-max_tokens-2",
    ),
    pytest.param(
        lambda: TextSequencer(padding="left").fit(["a"]),
        ValueError,
        r"Received: padding='left'",
        id="text-unknown-padding",
    ),
    pytest.param(
        lambda: TextSequencer(truncating=None).fit(["a"]),
        ValueError,
        r"Received: truncating=None",
        id="text-unknown-truncating",
    ),
    pytest.param(
        lambda: TextSequencer(level="sentence").fit(["a"]),
        ValueError,
        r"`level` must be a str among \{.*\}\. Received: level='sentence'",
        id="text-unknown-level",
    ),
    pytest.param(
        lambda: TextSequencer(level="char", token_pattern=r"\w").fit(["a"]),
        ValueError,
        r"`token_pattern` only applies to level='word'",
        id="text-token-pattern-with-char",
    ),
    pytest.param(
        lambda: _fitted(TextSequencer(), ["a b"]).inverse_transform([[9]]),
        ValueError,
        r"Token ids must be in \[0, 4\); received ids from 9 to 9",
        id="text-inverse-unknown-id",
    ),
    # StepwiseTransformer
    pytest.param(
        lambda: StepwiseTransformer(StandardScaler()).fit(
            [np.zeros((3, 2)), np.zeros((2, 2))]
        ),
        ValueError,
        r"StepwiseTransformer expects sequences of equal length.*Pad them first",
        id="stepwise-ragged",
    ),
    pytest.param(
        lambda: StepwiseTransformer(StandardScaler()).fit(np.zeros((2, 2, 2, 2))),
        ValueError,
        r"StepwiseTransformer expects a 3-D array \(n_samples, n_timesteps, "
        r"n_features\)",
        id="stepwise-4d",
    ),
    pytest.param(
        lambda: StepwiseTransformer(StandardScaler()).fit(np.zeros(3)),
        ValueError,
        r"Expected 2D array, got 1D array instead",
        id="stepwise-1d",
    ),
    pytest.param(
        lambda: _fitted(
            StepwiseTransformer(StandardScaler()), np.ones((2, 3, 2))
        ).transform(np.ones((2, 3, 3))),
        ValueError,
        r"X has 3 features per time step, but StepwiseTransformer is expecting 2",
        id="stepwise-feature-count-mismatch",
    ),
    pytest.param(
        lambda: StepwiseTransformer(LinearRegression()).fit(np.ones((2, 3))),
        ValueError,
        r"`transformer` must be an object implementing 'fit' and 'transform'",
        id="stepwise-not-a-transformer",
    ),
    pytest.param(
        lambda: StepwiseTransformer(StandardScaler()).fit(np.full((2, 3, 1), nan)),
        ValueError,
        r"Every time step of X is padding",
        id="stepwise-all-padding",
    ),
    pytest.param(
        lambda: _fitted(
            StepwiseTransformer(StandardScaler()), np.ones((2, 3, 1))
        ).transform(np.full((1, 3, 1), nan)),
        ValueError,
        r"Every time step of X is padding",
        id="stepwise-all-padding-at-transform",
    ),
    pytest.param(
        lambda: StepwiseTransformer(OneHotEncoder()).fit_transform(
            np.array([[1.0, 2.0]])
        ),
        TypeError,
        r"OneHotEncoder\.transform returned a sparse matrix.*sparse_output=False",
        id="stepwise-sparse-output",
    ),
    pytest.param(
        lambda: _fitted(
            StepwiseTransformer(StandardScaler()), np.ones((2, 3, 2))
        ).set_output(transform="pandas"),
        ValueError,
        r"StepwiseTransformer cannot return a pandas DataFrame as "
        r"set_output\(transform='pandas'\) asks: its output is 3-D \(n_samples, "
        r"n_timesteps, n_features\).*set_output\(transform='default'\)",
        id="stepwise-set-output-pandas-3d",
    ),
    pytest.param(
        lambda: (
            StepwiseTransformer(StandardScaler())
            .set_output(transform="pandas")
            .fit_transform(np.ones((2, 3, 2)))
        ),
        ValueError,
        r"StepwiseTransformer cannot return a pandas DataFrame.*its output is 3-D",
        id="stepwise-set-output-pandas-before-fit-3d",
    ),
    pytest.param(
        lambda: _with_global_pandas_output(
            lambda: StepwiseTransformer(StandardScaler()).fit_transform(
                np.ones((2, 3, 2))
            )
        ),
        ValueError,
        r"as the global transform_output='pandas' of sklearn\.set_config asks: its "
        r"output is 3-D.*Call set_output\(transform='default'\) on this",
        id="stepwise-global-pandas-output-3d",
    ),
    pytest.param(
        lambda: _fitted(
            StepwiseTransformer(StandardScaler()), np.ones((2, 3, 2))
        ).get_feature_names_out(),
        ValueError,
        r"StepwiseTransformer has no output feature names: its output is 3-D "
        r"\(n_samples, n_timesteps, n_features\)",
        id="stepwise-feature-names-3d",
    ),
    pytest.param(
        lambda: _fitted(
            StepwiseTransformer(StandardScaler()), np.ones((2, 3))
        ).get_feature_names_out(["a", "b"]),
        ValueError,
        r"input_features should have length equal to the number of time steps "
        r"\(columns\) seen in fit \(3\), got 2",
        id="stepwise-feature-names-wrong-length",
    ),
    pytest.param(
        lambda: StepwiseTransformer(StandardScaler()).get_feature_names_out(),
        NotFittedError,
        r"not fitted yet",
        id="stepwise-feature-names-not-fitted",
    ),
    # ChannelsFirstTransformer
    pytest.param(
        lambda: ChannelsFirstTransformer().transform(np.zeros((2, 2, 2, 2))),
        ValueError,
        r"ChannelsFirstTransformer expects a 3-D array \(n_samples, n_channels, "
        r"n_timesteps\)",
        id="channels-first-4d",
    ),
    pytest.param(
        lambda: _fitted(ChannelsFirstTransformer(), np.zeros((2, 3, 4))).transform(
            np.zeros((2, 2, 4))
        ),
        ValueError,
        r"X has 2 channels, but ChannelsFirstTransformer is expecting 3 channels",
        id="channels-first-channel-mismatch",
    ),
    pytest.param(
        lambda: ChannelsFirstTransformer().inverse_transform(np.zeros((2, 3))),
        ValueError,
        r"inverse_transform expects a 3-D array \(n_samples, n_timesteps, "
        r"n_channels\); received shape \(2, 3\)",
        id="channels-first-inverse-2d",
    ),
]


@pytest.mark.parametrize("action, error, match", TRANSFORMER_CASES)
def test_transformer_bad_input(action, error, match):
    with pytest.raises(error, match=match):
        action()


# Estimators -------------------------------------------------------------------

from sklstm import LSTMAutoencoder, LSTMClassifier, LSTMRegressor  # noqa: E402
from sklstm.forecasting import recursive_forecast  # noqa: E402

_RNG = np.random.RandomState(0)
_X3 = _RNG.uniform(size=(12, 4, 2))
_X2 = _X3[:, :, 0]
_Y = _X3[:, -1, 0]
_LABELS = np.array(["a", "b"] * 6)


def _reg(**params):
    return LSTMRegressor(**{"units": 2, "epochs": 1, "random_state": 0, **params})


def _clf(**params):
    return LSTMClassifier(**{"units": 2, "epochs": 1, "random_state": 0, **params})


def _with(array, index, value):
    array = np.array(array, dtype=float)
    array[index] = value
    return array


_FITTED = {}


def _builder(meta, compile_kwargs, hidden=2):
    import keras

    inputs = keras.Input((meta["n_timesteps_in_"], meta["n_features_in_"]))
    outputs = keras.layers.Dense(1)(keras.layers.LSTM(hidden)(inputs))
    model = keras.Model(inputs, outputs)
    model.compile(**compile_kwargs)
    return model


def _lambda_pickle_loaded():
    import pickle

    import keras

    reg = _reg().fit(_X3, _Y)
    inputs = keras.Input((4, 2))
    outputs = keras.layers.Lambda(lambda x: x[:, -1, :1])(inputs)
    reg.model_ = keras.Model(inputs, outputs)
    return pickle.loads(pickle.dumps(reg))


def _fitted_reg():
    if "reg" not in _FITTED:
        _FITTED["reg"] = _reg().fit(_X3, _Y)
    return _FITTED["reg"]


def _fitted_reg2d():
    if "reg2d" not in _FITTED:
        _FITTED["reg2d"] = _reg().fit(_X2, _Y)
    return _FITTED["reg2d"]


def _fitted_clf():
    if "clf" not in _FITTED:
        _FITTED["clf"] = _clf().fit(_X3, _LABELS)
    return _FITTED["clf"]


ESTIMATOR_CASES = [
    pytest.param(lambda: _reg().fit(_with(_X2, (0, 0), nan), _Y), ValueError,
                 r"Input X contains NaN", id="nan-in-2d-X"),
    pytest.param(lambda: _reg().fit(_with(_X3, (0, 1, 0), np.inf), _Y), ValueError,
                 r"Input X contains infinity", id="inf-in-3d-X"),
    pytest.param(lambda: _reg().fit(_with(_X3, (2, 1, 0), nan), _Y), ValueError,
                 r"NaN in some but not all features of sample 2, step 1",
                 id="nan-inside-a-step"),
    pytest.param(lambda: _reg(mask_value=None).fit(_with(_X3, (2, 1), nan), _Y),
                 ValueError, r"Input X contains NaN", id="nan-without-masking"),
    pytest.param(lambda: _reg().fit(_X3, _with(_Y, 3, nan)), ValueError,
                 r"Input y contains NaN", id="nan-in-y"),
    pytest.param(lambda: _reg().fit(_X3, _with(_Y, 3, np.inf)), ValueError,
                 r"Input y contains infinity", id="inf-in-y"),
    pytest.param(lambda: _reg().fit(np.array([["a", "b"]] * 12), _Y), ValueError,
                 r"X must hold numbers.*TextSequencer", id="string-X"),
    pytest.param(lambda: _reg().fit(np.full((12, 2), {"a": 1}, dtype=object), _Y),
                 TypeError, r"argument must be", id="object-X"),
    pytest.param(lambda: _reg().fit(_X2[:, 0], _Y), ValueError,
                 r"got a 1-D array\. Reshape your data into windows", id="1d-X"),
    pytest.param(lambda: _reg().fit(_X3[:, :, :, None], _Y), ValueError,
                 r"got a 4-D array of shape \(12, 4, 2, 1\)", id="4d-X"),
    pytest.param(lambda: _clf().fit([[1.0, 2.0], [1.0, 2.0, 3.0]], ["a", "b"]),
                 ValueError, r"ragged list.*SequencePadder", id="ragged-X"),
    pytest.param(lambda: _reg().fit(sparse.csr_matrix(_X2), _Y), TypeError,
                 r"Sparse data was passed for X, but dense data is required",
                 id="sparse-X"),
    pytest.param(lambda: _reg().fit(np.empty((0, 4, 2)), np.empty(0)), ValueError,
                 r"Found array with 0 sample\(s\)", id="empty-X"),
    pytest.param(lambda: _clf().fit(_X3[:1], _LABELS[:1]), ValueError,
                 r"at least 2 classes", id="single-sample-classifier"),
    pytest.param(lambda: _reg().fit(_X3, _Y[:-1]), ValueError,
                 r"inconsistent numbers of samples: X has 12, y has 11",
                 id="length-mismatch"),
    pytest.param(lambda: _fitted_reg().predict(_X3[:, :, :1]), ValueError,
                 r"X has 1 features per time step, but LSTMRegressor is expecting 2",
                 id="features-at-predict"),
    pytest.param(lambda: _fitted_reg().predict(_with(_X3, (0, 1, 0), np.inf)),
                 ValueError, r"Input X contains infinity", id="inf-at-predict"),
    pytest.param(lambda: _fitted_reg().predict(_with(_X3, (2, 1, 0), nan)),
                 ValueError, r"NaN in some but not all features of sample 2, step 1",
                 id="nan-inside-a-step-at-predict"),
    pytest.param(lambda: _fitted_reg().predict(np.empty((0, 4, 2))), ValueError,
                 r"Found array with 0 sample\(s\)", id="empty-X-at-predict"),
    pytest.param(lambda: _fitted_reg().predict(_X3[:, :3]), ValueError,
                 r"X has 3 time steps, but LSTMRegressor was fitted on sequences of 4",
                 id="timesteps-at-predict"),
    pytest.param(lambda: _fitted_reg2d().predict(_X2[:, :3]), ValueError,
                 r"X has 3 features, but LSTMRegressor is expecting 4 features",
                 id="columns-at-predict"),
    pytest.param(lambda: _fitted_reg().predict(_X2), ValueError,
                 r"X is 2-D but LSTMRegressor was fitted on 3-D input",
                 id="layout-at-predict"),
    pytest.param(lambda: _fitted_clf().score(_X3, np.array(["a", "c"] * 6)), ValueError,
                 r"never saw in fit: \['c'\]", id="unseen-label-at-score"),
    pytest.param(lambda: LSTMRegressor().predict(_X3), NotFittedError,
                 r"not fitted yet", id="predict-before-fit"),
    pytest.param(lambda: _reg(units=0).fit(_X3, _Y), ValueError,
                 r"'units' parameter of LSTMRegressor must be", id="units-zero"),
    pytest.param(lambda: _reg(units=(4, -1)).fit(_X3, _Y), ValueError,
                 r"`units` must be a positive integer or a tuple of positive integers",
                 id="units-negative-in-tuple"),
    pytest.param(lambda: _reg(epochs=0).fit(_X3, _Y), ValueError,
                 r"'epochs' parameter of LSTMRegressor must be an int in the range "
                 r"\[1, inf\)", id="epochs-zero"),
    pytest.param(lambda: _reg(batch_size=-2).fit(_X3, _Y), ValueError,
                 r"'batch_size' parameter", id="batch-size-negative"),
    pytest.param(lambda: _reg(dropout=1.0).fit(_X3, _Y), ValueError,
                 r"'dropout' parameter of LSTMRegressor must be a float in the range "
                 r"\[0.0, 1.0\)", id="dropout-one"),
    pytest.param(lambda: _clf(recurrent_dropout=-0.1).fit(_X3, _LABELS), ValueError,
                 r"'recurrent_dropout' parameter", id="recurrent-dropout-negative"),
    pytest.param(lambda: _reg(cell="lstn").fit(_X3, _Y), ValueError,
                 r"'cell' parameter of LSTMRegressor must be a str among", id="cell"),
    pytest.param(lambda: _reg(loss="nope").fit(_X3, _Y), ValueError,
                 r"`loss` must be 'auto' or name a Keras loss.*loss='nope'", id="loss"),
    pytest.param(lambda: _reg(optimizer="adamm").fit(_X3, _Y), ValueError,
                 r"`optimizer` must name a Keras optimizer.*optimizer='adamm'",
                 id="optimizer"),
    pytest.param(lambda: _reg(learning_rate=0).fit(_X3, _Y), ValueError,
                 r"'learning_rate' parameter", id="learning-rate-zero"),
    pytest.param(lambda: _reg(validation_split=1.0).fit(_X3, _Y), ValueError,
                 r"'validation_split' parameter", id="validation-split-one"),
    pytest.param(lambda: _reg(data_format="nchw").fit(_X3, _Y), ValueError,
                 r"'data_format' parameter", id="data-format"),
    pytest.param(lambda: _reg(learning_rate=1e12, epochs=3).fit(_X3, _Y * 1e15),
                 ValueError, r"became NaN or infinite.*Lower `learning_rate`",
                 id="nan-loss"),
    pytest.param(lambda: _reg().fit(_X3, _Y * 1e30), ValueError,
                 r"y varies too much for the network, which computes in float32.*"
                 r"Rescale y", id="y-beyond-float32"),
    pytest.param(lambda: _reg(window_normalization="subtract").fit(_X3, _Y),
                 ValueError, r"X has 2 features per time step: set target_feature",
                 id="window-target-feature-missing"),
    pytest.param(lambda: _reg(window_normalization="log", target_feature=5)
                 .fit(_X3, _Y), ValueError,
                 r"target_feature=5 is not a feature of X, which has 2",
                 id="window-target-feature-range"),
    pytest.param(lambda: _reg(window_normalization="log", target_feature=0)
                 .fit(_X3 - 1.0, _Y), ValueError,
                 r"'log' works on logarithms and needs a positive series",
                 id="window-log-non-positive"),
    pytest.param(lambda: _reg(window_normalization="subtract")
                 .fit(_X3[:, -1:, :1], _Y), ValueError,
                 r"one step of one feature: the network would see only zeros",
                 id="window-one-step"),
    pytest.param(lambda: _reg(normalize=True, model=_builder).fit(_X3, _Y),
                 ValueError, r"normalize=True standardises inside sklstm's own",
                 id="normalize-own-model"),
    pytest.param(lambda: _reg(window_normalization="sub").fit(_X3, _Y), ValueError,
                 r"'window_normalization' parameter", id="window-mode-name"),
    pytest.param(lambda: _clf(class_weight={"z": 2.0}).fit(_X3, _LABELS), ValueError,
                 r"class_weight names labels that are not in y: \['z'\]",
                 id="class-weight-label"),
    pytest.param(lambda: _clf(embedding_dim=2).fit(_X2, _LABELS), ValueError,
                 r"must hold integer token ids", id="embedding-non-integer"),
    pytest.param(lambda: _reg(stateful=True, batch_size=5).fit(_X3, _Y), ValueError,
                 r"12 samples, which is not a multiple of it", id="stateful-batches"),
    pytest.param(lambda: _fitted_reg().predict(_with(_X3, (0, 0), nan)), ValueError,
                 r"X contains padding .* had none", id="padding-only-at-predict"),
    pytest.param(lambda: _reg().fit(_X3, None), ValueError,
                 r"requires y to be passed", id="y-none"),
    pytest.param(lambda: _reg(return_sequences=True).fit(_X3, np.zeros((12, 3))),
                 ValueError, r"y has 3 steps but X has 4", id="per-step-length"),
    pytest.param(lambda: _reg().fit(_X3, _Y, sample_weight=np.ones(3)), ValueError,
                 r"sample_weight.shape == \(3,\), expected \(12,\)",
                 id="sample-weight-length"),
    pytest.param(lambda: _reg(optimiser__beta_1=0.5).fit(_X3, _Y), TypeError,
                 r"unexpected parameter 'optimiser__beta_1'", id="unknown-routed"),
    pytest.param(lambda: LSTMAutoencoder(units=0).fit(_X3), ValueError,
                 r"'units' parameter of LSTMAutoencoder", id="autoencoder-units"),
    pytest.param(lambda: _reg(optimizer__beta1=0.8).fit(_X3, _Y), ValueError,
                 r"Adam takes no argument 'beta1' \(given as optimizer__beta1\)\. "
                 r"It takes: learning_rate, beta_1", id="optimizer-argument"),
    pytest.param(lambda: _reg(model=_builder, model__hiden=4).fit(_X3, _Y), ValueError,
                 r"builder '_builder' takes no parameter 'hiden' \(given as "
                 r"model__hiden\)\. It takes: meta, compile_kwargs, hidden",
                 id="builder-parameter"),
    pytest.param(lambda: _lambda_pickle_loaded(), ValueError,
                 r"runs Python code when it is rebuilt.*"
                 r"keras\.config\.enable_unsafe_deserialization\(\)",
                 id="pickle-lambda-network"),
    pytest.param(lambda: recursive_forecast(_fitted_reg2d(), np.arange(3.0), steps=2),
                 ValueError, r"history", id="forecast-short-history"),
]


@pytest.mark.parametrize("action, error, match", ESTIMATOR_CASES)
def test_estimator_bad_input(action, error, match):
    with pytest.raises(error, match=match):
        action()


def test_failed_refit_leaves_previous_model_intact():
    reg = _reg().fit(_X3, _Y)
    before = reg.predict(_X3)
    model = reg.model_
    with pytest.raises(ValueError):
        reg.fit(_X3[:, :, :1], _with(_Y, 0, nan))
    assert reg.model_ is model and reg.n_features_in_ == 2
    np.testing.assert_array_equal(reg.predict(_X3), before)


def test_stateful_is_refused_where_keras_drops_the_state():
    import keras

    reg = _reg(stateful=True, batch_size=1)
    backend = keras.backend.backend()
    if backend == "tensorflow":
        assert reg.fit(_X3, _Y).model_.get_layer("lstm_0").stateful
        return
    for call in (lambda: reg.fit(_X3, _Y), lambda: reg.initialize(_X3, _Y)):
        message = rf"stateful=True needs Keras' TensorFlow.* on the {backend}"
        with pytest.raises(ValueError, match=message):
            call()
        assert not hasattr(reg, "model_")
