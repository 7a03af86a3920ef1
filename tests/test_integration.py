"""sklstm estimators and transformers inside scikit-learn's meta-estimators."""

import pickle

import joblib
import numpy as np
import pytest
from sklearn.base import clone
from sklearn.compose import TransformedTargetRegressor
from sklearn.ensemble import StackingRegressor
from sklearn.linear_model import Ridge
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit, cross_val_score
from sklearn.multioutput import MultiOutputRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import MinMaxScaler, StandardScaler

from sklstm import (
    LSTMClassifier,
    LSTMRegressor,
    SequencePadder,
    SlidingWindowTransformer,
    StepwiseTransformer,
    TextSequencer,
)
from sklstm.datasets import make_alphabet_sequences, make_sentiment_texts

RNG = np.random.RandomState(0)
X3 = RNG.uniform(size=(48, 4, 2)).astype(np.float32)
Y = X3[:, -1, 0] - X3[:, 0, 1]
X2 = X3[:, :, 0]


def reg(**params):
    return LSTMRegressor(**{"units": 3, "epochs": 2, "random_state": 0, **params})


def test_grid_search_pipeline_parallel():
    pipe = make_pipeline(StepwiseTransformer(StandardScaler()), reg())
    search = GridSearchCV(
        pipe,
        {"lstmregressor__units": [2, 3], "lstmregressor__dropout": [0.0, 0.2]},
        cv=2,
        n_jobs=2,
    ).fit(X3, Y)
    assert len(search.cv_results_["params"]) == 4
    assert np.all(np.isfinite(search.cv_results_["mean_test_score"]))
    assert search.best_params_["lstmregressor__units"] in (2, 3)


def test_regression_meta_estimators():
    stack = StackingRegressor([("lstm", reg()), ("ridge", Ridge())], cv=2).fit(X2, Y)
    assert stack.predict(X2).shape == (48,)
    ttr = TransformedTargetRegressor(regressor=reg(), transformer=StandardScaler())
    assert ttr.fit(X3, Y).predict(X3).shape == (48,)
    multi = MultiOutputRegressor(reg()).fit(X3, np.column_stack([Y, -Y]))
    assert multi.predict(X3).shape == (48, 2)


def test_nested_params_clone_and_set():
    pipe = make_pipeline(
        StepwiseTransformer(MinMaxScaler()), reg(optimizer__beta_1=0.8)
    )
    params = pipe.get_params()
    assert params["lstmregressor__optimizer__beta_1"] == 0.8
    pipe.set_params(lstmregressor__optimizer__beta_1=0.6, lstmregressor__units=5)
    est = pipe[-1]
    assert est.optimizer__beta_1 == 0.6 and est.units == 5
    cloned = clone(pipe)
    assert cloned[-1].get_params()["optimizer__beta_1"] == 0.6
    assert cloned[-1] is not est


@pytest.mark.parametrize(
    "dumps,loads",
    [
        (pickle.dumps, pickle.loads),
        (lambda o: joblib_dumps(o), lambda b: joblib_loads(b)),
    ],
)
def test_pickle_round_trips(dumps, loads):
    unfitted = loads(dumps(reg()))
    restored_params = unfitted.get_params()
    assert np.isnan(restored_params.pop("mask_value"))
    expected = reg().get_params()
    expected.pop("mask_value")
    assert restored_params == expected
    fitted = reg().fit(X3, Y)
    restored = loads(dumps(fitted))
    np.testing.assert_array_equal(restored.predict(X3), fitted.predict(X3))
    # the restored estimator keeps training from where it was
    restored.set_params(warm_start=True).fit(X3, Y)
    assert restored.n_iter_ == 4


def joblib_dumps(obj):
    import io

    buffer = io.BytesIO()
    joblib.dump(obj, buffer)
    return buffer.getvalue()


def joblib_loads(data):
    import io

    return joblib.load(io.BytesIO(data))


def test_window_pipeline_tunes_sequence_length():
    series = np.sin(np.arange(90) / 4.0) * 10 + 50
    X = series[:-1].reshape(-1, 1)
    y = series[1:]
    pipe = make_pipeline(
        MinMaxScaler(),
        SlidingWindowTransformer(sequence_length=2),
        reg(learning_rate=0.02),
    )
    search = GridSearchCV(
        pipe,
        {
            "slidingwindowtransformer__sequence_length": [2, 6],
            "lstmregressor__units": [2],
        },
        cv=TimeSeriesSplit(3),
    ).fit(X, y)
    assert search.best_params_["slidingwindowtransformer__sequence_length"] in (2, 6)
    assert (
        search.best_estimator_[-1].n_timesteps_in_
        == search.best_params_["slidingwindowtransformer__sequence_length"]
    )


def test_padded_variable_length_classification():
    X, y = make_alphabet_sequences(300, random_state=0)
    X = [seq / 26.0 for seq in X]
    pipe = make_pipeline(
        SequencePadder(maxlen=5),
        LSTMClassifier(units=8, epochs=3, learning_rate=0.02, random_state=0),
    )
    scores = cross_val_score(pipe, X, y, cv=2)
    assert scores.shape == (2,) and np.all((0 <= scores) & (scores <= 1))
    pipe.fit(X, y)
    restored = pickle.loads(pickle.dumps(pipe))
    np.testing.assert_array_equal(restored.predict_proba(X), pipe.predict_proba(X))


def test_text_classification_pipeline():
    texts, y = make_sentiment_texts(120, random_state=0)
    pipe = make_pipeline(
        TextSequencer(maxlen=12),
        LSTMClassifier(
            embedding_dim=8, units=8, epochs=3, learning_rate=0.02, random_state=0
        ),
    ).fit(texts, y)
    assert pipe[-1].vocab_size_ <= pipe[0].vocab_size_
    assert pipe.predict(["a wonderful film", "zzz unknownword"]).shape == (2,)
    restored = pickle.loads(pickle.dumps(pipe))
    np.testing.assert_array_equal(restored.predict(texts), pipe.predict(texts))


def test_ragged_list_names_sequence_padder():
    ragged = [np.ones((3, 1)), np.ones((5, 1))]
    with pytest.raises(ValueError, match="SequencePadder"):
        reg().fit(ragged, [1.0, 2.0])
