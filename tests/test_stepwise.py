"""Tests for StepwiseTransformer and ChannelsFirstTransformer."""

import pickle

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn import config_context
from sklearn.base import clone
from sklearn.decomposition import PCA
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import (
    FunctionTransformer,
    MinMaxScaler,
    Normalizer,
    StandardScaler,
)
from sklearn.utils import estimator_checks
from sklearn.utils.estimator_checks import parametrize_with_checks

from sklstm import ChannelsFirstTransformer, SequencePadder, StepwiseTransformer

nan = np.nan

# sklearn's checks pass 2-D arrays and read X.shape[1] as the number of
# features. Both transformers read a 2-D array (n_samples, n_timesteps) as
# univariate sequences, like the sklstm estimators, so n_features_in_ (features
# per time step) is 1 and fewer columns at transform are fewer time steps, which
# are allowed.
UNIVARIATE_2D_REASON = (
    "A 2-D X (n_samples, n_timesteps) holds univariate sequences: n_features_in_ "
    "counts features per time step (1), not the {} columns (time steps) the "
    "check expects."
)
N_FEATURES_FAILED_CHECKS = {
    "check_n_features_in": UNIVARIATE_2D_REASON.format(2),
    "check_n_features_in_after_fitting": UNIVARIATE_2D_REASON.format(4),
}
SHORTER_SEQUENCES_REASON = (
    "The check expects transform(X[:, :-1]) to raise because a column is "
    "missing; here those are univariate sequences one time step shorter, which "
    "are valid input: the number of time steps may differ between fit and "
    "transform. (ChannelsFirstTransformer is stateless, so the check skips "
    "that part for it.)"
)


def expected_failed_checks(transformer):
    failed = dict(N_FEATURES_FAILED_CHECKS)
    if isinstance(transformer, StepwiseTransformer):
        failed["check_transformer_general"] = SHORTER_SEQUENCES_REASON
    return failed


@parametrize_with_checks(
    [
        StepwiseTransformer(StandardScaler()),
        StepwiseTransformer(MinMaxScaler(), mask_value=0.0),
        ChannelsFirstTransformer(),
    ],
    expected_failed_checks=expected_failed_checks,
    xfail_strict=True,
)
def test_sklearn_checks(estimator, check):
    check(estimator)


X3 = np.array(
    [
        [[1.0, 10.0], [2.0, 20.0], [3.0, 30.0]],
        [[nan, nan], [4.0, 40.0], [5.0, 50.0]],
    ]
)


def test_scaler_is_fitted_on_all_real_steps_and_padding_is_kept():
    stepwise = StepwiseTransformer(StandardScaler()).fit(X3)
    assert stepwise.n_features_in_ == 2
    real_steps = np.array([[1, 10], [2, 20], [3, 30], [4, 40], [5, 50]], dtype=float)
    assert_allclose(stepwise.transformer_.mean_, [3.0, 30.0])
    assert_allclose(stepwise.transformer_.var_, real_steps.var(axis=0))
    out = stepwise.transform(X3)
    assert out.shape == X3.shape
    assert np.isnan(out[1, 0]).all()
    scaled = (real_steps - real_steps.mean(0)) / real_steps.std(0)
    assert_allclose(out[0], scaled[:3])
    assert_allclose(out[1, 1:], scaled[3:])


def test_minmax_exact_values():
    out = StepwiseTransformer(MinMaxScaler()).fit_transform(X3)
    assert_allclose(out[..., 0], [[0.0, 0.25, 0.5], [nan, 0.75, 1.0]])


def test_two_dimensional_input_stays_two_dimensional():
    X = np.array([[0.0, 2.0, 4.0], [nan, 6.0, 8.0]])
    stepwise = StepwiseTransformer(MinMaxScaler()).fit(X)
    assert stepwise.n_features_in_ == 1
    out = stepwise.transform(X)
    assert out.shape == (2, 3)
    assert_allclose(out, [[0.0, 0.25, 0.5], [nan, 0.75, 1.0]])
    # another number of time steps is fine
    assert_allclose(stepwise.transform([[4.0]]), [[0.5]])


def test_zero_mask_value():
    X = np.array([[[0.0], [2.0], [4.0]], [[0.0], [0.0], [6.0]]])
    out = StepwiseTransformer(MinMaxScaler(), mask_value=0.0).fit_transform(X)
    # the minimum real value is 2, not the padding 0
    assert_allclose(out[..., 0], [[0.0, 0.0, 0.5], [0.0, 0.0, 1.0]])


def test_inner_transformer_may_change_the_number_of_features():
    stepwise = StepwiseTransformer(PCA(n_components=1)).fit(X3)
    assert stepwise.transform(X3).shape == (2, 3, 1)
    doubled = FunctionTransformer(lambda rows: np.hstack([rows, rows]))
    out = StepwiseTransformer(doubled).fit_transform(np.array([[1.0, nan]]))
    assert_array_equal(out, [[[1.0, 1.0], [nan, nan]]])


def test_inverse_transform_round_trip():
    stepwise = StepwiseTransformer(StandardScaler()).fit(X3)
    assert_allclose(stepwise.inverse_transform(stepwise.transform(X3)), X3)
    X2 = X3[..., 0]
    stepwise2 = StepwiseTransformer(MinMaxScaler()).fit(X2)
    assert_allclose(stepwise2.inverse_transform(stepwise2.transform(X2)), X2)


def test_inverse_transform_only_when_the_inner_transformer_has_it():
    assert hasattr(StepwiseTransformer(StandardScaler()), "inverse_transform")
    assert not hasattr(StepwiseTransformer(Normalizer()), "inverse_transform")


def test_float32_follows_the_inner_transformer():
    out = StepwiseTransformer(StandardScaler()).fit_transform(X3.astype(np.float32))
    assert out.dtype == np.float32


def test_after_sequence_padder_in_a_pipeline():
    sequences = [[1.0, 2.0, 3.0], [5.0]]
    pipe = make_pipeline(SequencePadder(), StepwiseTransformer(MinMaxScaler()))
    out = pipe.fit_transform(sequences)
    assert_allclose(out[..., 0], [[0.0, 0.25, 0.5], [nan, nan, 1.0]])


def test_clone_params_and_pickle_round_trip():
    stepwise = StepwiseTransformer(MinMaxScaler(feature_range=(-1, 1)))
    params = stepwise.get_params()
    assert params["transformer__feature_range"] == (-1, 1)
    cloned = clone(stepwise)
    assert cloned.transformer is not stepwise.transformer
    stepwise.set_params(transformer__feature_range=(0, 2)).fit(X3)
    restored = pickle.loads(pickle.dumps(stepwise))
    assert_array_equal(restored.transform(X3), stepwise.transform(X3))
    assert not hasattr(stepwise.transformer, "data_min_")  # the clone was fitted


# DataFrame output and feature names ------------------------------------------

X2_FRAME = pd.DataFrame(
    [[0.0, 2.0, 4.0], [nan, 6.0, 8.0]], columns=["t0", "t1", "t2"], index=["a", "b"]
)
SCALED_2D = [[0.0, 0.25, 0.5], [nan, 0.75, 1.0]]

# scikit-learn's checks of set_output and get_feature_names_out, which
# parametrize_with_checks does not run on third-party estimators; they pass 2-D
# X, univariate sequences here, whose output is 2-D.
SET_OUTPUT_CHECKS = [
    "check_set_output_transform",
    "check_set_output_transform_pandas",
    "check_global_output_transform_pandas",
    "check_transformer_get_feature_names_out",
    "check_transformer_get_feature_names_out_pandas",
    "check_get_feature_names_out_error",
]


@pytest.mark.parametrize("check", SET_OUTPUT_CHECKS)
@pytest.mark.parametrize(
    "transformer",
    [StepwiseTransformer(StandardScaler()), StepwiseTransformer(MinMaxScaler())],
    ids=["StandardScaler", "MinMaxScaler"],
)
def test_sklearn_set_output_checks_on_2d_data(transformer, check):
    getattr(estimator_checks, check)("StepwiseTransformer", transformer)


def test_pipeline_set_output_pandas_on_2d_data():
    pipe = make_pipeline(StepwiseTransformer(MinMaxScaler())).set_output(
        transform="pandas"
    )
    out = pipe.fit_transform(X2_FRAME)
    assert isinstance(out, pd.DataFrame)
    assert list(out.columns) == ["t0", "t1", "t2"]
    assert list(out.index) == ["a", "b"]
    assert_allclose(out.to_numpy(), SCALED_2D)
    assert_array_equal(pipe.get_feature_names_out(), ["t0", "t1", "t2"])
    # an array in: default names, and a later 2-D step reads the columns
    pipe = make_pipeline(
        StepwiseTransformer(MinMaxScaler()), StandardScaler()
    ).set_output(transform="pandas")
    out = pipe.fit_transform(X2_FRAME.to_numpy())
    assert isinstance(out, pd.DataFrame)
    assert list(out.columns) == ["x0", "x1", "x2"]
    assert_array_equal(pipe[-1].feature_names_in_, ["x0", "x1", "x2"])


def test_pandas_output_with_other_time_steps_than_in_fit():
    stepwise = StepwiseTransformer(MinMaxScaler()).set_output(transform="pandas")
    stepwise.fit(X2_FRAME)
    out = stepwise.transform(pd.DataFrame({"late": [4.0], "later": [8.0]}))
    assert list(out.columns) == ["late", "later"]
    assert_allclose(out.to_numpy(), [[0.5, 1.0]])
    assert list(stepwise.transform([[4.0]]).columns) == ["x0"]


def test_get_feature_names_out_on_2d_data():
    stepwise = StepwiseTransformer(StandardScaler()).fit(X2_FRAME.to_numpy())
    assert not hasattr(stepwise, "feature_names_in_")
    names = stepwise.get_feature_names_out()
    assert names.dtype == object
    assert_array_equal(names, ["x0", "x1", "x2"])
    assert_array_equal(stepwise.get_feature_names_out(["a", "b", "c"]), ["a", "b", "c"])
    with pytest.raises(ValueError, match=r"number of time steps .* \(3\), got 2"):
        stepwise.get_feature_names_out(["a", "b"])

    stepwise.fit(X2_FRAME)
    assert_array_equal(stepwise.feature_names_in_, ["t0", "t1", "t2"])
    assert_array_equal(stepwise.get_feature_names_out(), ["t0", "t1", "t2"])
    with pytest.raises(ValueError, match="input_features is not equal"):
        stepwise.get_feature_names_out(["a", "b", "c"])
    stepwise.fit(X2_FRAME.to_numpy())  # a refit forgets the names
    assert not hasattr(stepwise, "feature_names_in_")


def test_global_pandas_output_is_honoured_on_2d_data():
    with config_context(transform_output="pandas"):
        stepwise = StepwiseTransformer(MinMaxScaler())
        out = stepwise.fit_transform(X2_FRAME)
        assert isinstance(out, pd.DataFrame)
        assert list(out.columns) == ["t0", "t1", "t2"]
        assert list(out.index) == ["a", "b"]
        assert_allclose(out.to_numpy(), SCALED_2D)
        assert isinstance(stepwise.transform(X2_FRAME.to_numpy()), pd.DataFrame)
        # the estimator's own setting overrides the global one
        stepwise.set_output(transform="default")
        assert isinstance(stepwise.transform(X2_FRAME), np.ndarray)
    assert isinstance(
        StepwiseTransformer(MinMaxScaler()).fit_transform(X2_FRAME), np.ndarray
    )


OUTPUT_IS_3D = r"its output is 3-D \(n_samples, n_timesteps, n_features\)"


def test_set_output_pandas_on_3d_output_is_a_clear_error():
    stepwise = StepwiseTransformer(StandardScaler()).fit(X3)
    message = (
        r"StepwiseTransformer cannot return a pandas DataFrame as "
        r"set_output\(transform='pandas'\) asks: " + OUTPUT_IS_3D + r" because "
        r"its input is 3-D, .*set_output\(transform='default'\)"
    )
    with pytest.raises(ValueError, match=message):
        stepwise.set_output(transform="pandas")
    with pytest.raises(ValueError, match=message):
        make_pipeline(stepwise).set_output(transform="pandas")
    # before fit, the pipeline's set_output is accepted; fit_transform refuses
    pipe = make_pipeline(StepwiseTransformer(StandardScaler()))
    pipe.set_output(transform="pandas")
    with pytest.raises(ValueError, match=message):
        pipe.fit_transform(X3)
    # arrays stay available
    assert stepwise.set_output(transform="default").transform(X3).shape == X3.shape


def test_global_pandas_output_on_3d_output_is_a_clear_error():
    stepwise = StepwiseTransformer(StandardScaler())
    message = (
        r"StepwiseTransformer cannot return a pandas DataFrame as the global "
        r"transform_output='pandas' of sklearn\.set_config asks: "
        + OUTPUT_IS_3D
        + r".*Call set_output\(transform='default'\) on this StepwiseTransformer"
    )
    with config_context(transform_output="pandas"):
        with pytest.raises(ValueError, match=message):
            stepwise.fit_transform(X3)
        stepwise.set_output(transform="default")
        assert isinstance(stepwise.fit_transform(X3), np.ndarray)


def test_3d_output_from_2d_input_is_named_in_the_error():
    doubled = FunctionTransformer(lambda rows: np.hstack([rows, rows]))
    stepwise = StepwiseTransformer(doubled).fit(X2_FRAME)
    with pytest.raises(ValueError, match="FunctionTransformer gives 2 features per"):
        stepwise.set_output(transform="pandas")
    with pytest.raises(ValueError, match="FunctionTransformer gives 2 features per"):
        stepwise.get_feature_names_out()


def test_get_feature_names_out_on_3d_output_is_a_clear_error():
    stepwise = StepwiseTransformer(StandardScaler()).fit(X3)
    message = (
        r"StepwiseTransformer has no output feature names: "
        + OUTPUT_IS_3D
        + r" because its input is 3-D, and a 3-D array has no columns to name "
        r"and cannot be a DataFrame\..*keep 3-D sequences as arrays"
    )
    with pytest.raises(ValueError, match=message):
        stepwise.get_feature_names_out()
    with pytest.raises(ValueError, match=message):
        make_pipeline(stepwise).fit(X3).get_feature_names_out()


# ChannelsFirstTransformer ---------------------------------------------------


def test_channels_first_to_channels_last():
    X = np.arange(12.0).reshape(1, 3, 4)  # 1 sample, 3 channels, 4 steps
    out = ChannelsFirstTransformer().fit_transform(X)
    assert out.shape == (1, 4, 3)
    assert_array_equal(out[0], X[0].T)
    assert out.flags.c_contiguous
    assert not np.shares_memory(out, X)


def test_channels_first_univariate_2d():
    X = np.array([[1.0, 2.0, 3.0]])
    out = ChannelsFirstTransformer().transform(X)
    assert_array_equal(out, [[[1.0], [2.0], [3.0]]])
    assert_array_equal(ChannelsFirstTransformer().inverse_transform(out), [X])


@pytest.mark.parametrize("dtype", [np.float32, np.int64])
def test_channels_first_keeps_dtype_and_round_trips(dtype):
    X = np.arange(24).reshape(2, 3, 4).astype(dtype)
    transformer = ChannelsFirstTransformer().fit(X)
    assert transformer.n_features_in_ == 3
    out = transformer.transform(X)
    assert out.dtype == dtype
    assert_array_equal(transformer.inverse_transform(out), X)


def test_channels_first_pickle():
    transformer = ChannelsFirstTransformer().fit(np.ones((2, 3, 4)))
    restored = pickle.loads(pickle.dumps(transformer))
    assert restored.n_features_in_ == 3
    X = np.random.rand(2, 3, 5)
    assert_array_equal(restored.transform(X), transformer.transform(X))
