"""The autoregressive term starts at the ridge regression of the windows."""

import keras
import numpy as np
import pytest
from sklearn.linear_model import Ridge

from sklstm import LSTMRegressor, _linear_start
from sklstm._linear_start import PENALTY_GRID, gcv_ridge
from sklstm._streaming import split_at

RNG = np.random.RandomState(0)
SERIES = 100.0 + np.cumsum(RNG.normal(size=140)) + 5 * np.sin(np.arange(140) / 2)
WINDOWS = np.stack([SERIES[i : i + 8] for i in range(130)])[:, :, None]
NEXT = SERIES[8:138]


def _reg(**params):
    return LSTMRegressor(**{"units": 3, "epochs": 2, "random_state": 0, **params})


def _centred_sums(A, y):
    Ac, yc = A - A.mean(axis=0), y - y.mean(axis=0)
    return Ac, yc, Ac.T @ Ac, Ac.T @ yc, (yc**2).sum(axis=0)


def test_gcv_ridge_is_the_ridge_at_the_penalty_of_least_gcv():
    A = RNG.normal(size=(40, 10))
    y = A[:, :3] @ np.array([[1.0, 0.5], [-2.0, 0.0], [0.5, 1.0]])
    y += RNG.normal(scale=0.5, size=y.shape)
    Ac, yc, gram, cross, squares = _centred_sums(A, y)
    kernel, penalty = gcv_ridge(gram, cross, squares, len(A))

    np.testing.assert_allclose(
        kernel, Ridge(alpha=penalty).fit(A, y).coef_.T, rtol=1e-6, atol=1e-9
    )
    scores = {}
    for a in PENALTY_GRID * np.linalg.eigvalsh(gram).mean():
        hat = Ac @ np.linalg.solve(gram + a * np.eye(10), Ac.T)
        dof = np.trace(hat) + 1  # the intercept
        scores[a] = ((yc - hat @ yc) ** 2).sum() / (1 - dof / len(A)) ** 2
    assert penalty == pytest.approx(min(scores, key=scores.get))
    assert 0 < penalty < max(scores)  # the grid's ends are not the answer here


@pytest.mark.parametrize("padded_rows", [0, 5])
def test_the_autoregressive_term_starts_at_the_ridge_fit_of_the_training_windows(
    padded_rows,
):
    X = WINDOWS.copy()
    for i in range(padded_rows):  # windows at the start of a series
        X[i, : padded_rows - i] = np.nan
    reg = _reg().initialize(X, NEXT)
    assert reg.window_normalization_ == "log" and reg.validation_split_ == 0.2
    model = reg.model_

    # the window values and the (standardised) level the window lost, as the
    # autoregressive and level terms receive them, by Keras
    linear_inputs = keras.Model(
        model.input,
        [
            model.get_layer("flatten_window").output,
            model.get_layer("level_normalization").output,
        ],
    )
    n = split_at(len(X), reg.validation_split_)  # training rows only
    A = np.hstack(linear_inputs(X[:n].astype(np.float32))).astype(np.float64)
    assert np.isfinite(A).all() and A.shape == (n, 9)
    log_level = np.log(X[:, -1, 0])
    np.testing.assert_allclose(
        A[:, -1],
        (log_level[:n] - log_level.mean()) / log_level.std(),
        rtol=1e-4,
        atol=1e-5,
    )
    mean, variance = (
        w.numpy() for w in model.get_layer("output_normalization").weights
    )
    target = (np.log(NEXT[:n]) - np.log(X[:n, -1, 0]))[:, None]
    target = (target - mean) / np.sqrt(variance)
    # the complete windows only, each column standardised (a constant one,
    # the window's last value relative to itself, is only centred)
    A, target = A[padded_rows:], target[padded_rows:]
    scale = A.std(axis=0)
    scale[scale < 1e-6] = 1.0
    _, _, gram, cross, squares = _centred_sums(A / scale, target)
    expected, _ = gcv_ridge(gram, cross, squares, len(A))
    expected = expected / scale[:, None]

    kernel = np.vstack(
        [
            model.get_layer(name).get_weights()[0]
            for name in ("autoregressive", "level_term")
        ]
    )
    np.testing.assert_allclose(kernel, expected, rtol=1e-3, atol=1e-4)
    bias = model.get_layer("output").get_weights()[1]
    np.testing.assert_allclose(
        bias, target.mean(axis=0) - A.mean(axis=0) @ expected, rtol=1e-3, atol=1e-4
    )


def test_the_ridge_regression_skips_partial_windows_only_when_they_are_few():
    padded = np.zeros((10, 4), dtype=bool)
    padded[:3, 0] = True  # the start of a windowed series
    assert _linear_start.regression_rows(padded).tolist() == [False] * 3 + [True] * 7
    padded[:6, 0] = True  # sequences padded to one length: mostly partial
    assert _linear_start.regression_rows(padded).all()


def test_the_untrained_network_forecasts_as_its_linear_start():
    reg = _reg(window_normalization="subtract").initialize(WINDOWS, NEXT)
    kernel = np.concatenate(
        [
            reg.model_.get_layer(name).get_weights()[0][:, 0]
            for name in ("autoregressive", "level_term")
        ]
    )
    intercept = reg.model_.get_layer("output").get_weights()[1][0]
    (x_mean, x_var), (level_mean, level_var), (y_mean, y_var) = (
        [w.numpy() for w in reg.model_.get_layer(name).weights]
        for name in (
            "input_normalization",
            "level_normalization",
            "output_normalization",
        )
    )
    relative = WINDOWS[:, :, 0] - WINDOWS[:, -1:, 0]
    scaled = (relative - x_mean) / np.sqrt(x_var)
    level = (WINDOWS[:, -1:, 0] - level_mean) / np.sqrt(level_var)
    inputs = np.column_stack([scaled, level])
    linear = (inputs @ kernel + intercept) * np.sqrt(y_var) + y_mean
    np.testing.assert_allclose(
        reg.predict(WINDOWS), linear + WINDOWS[:, -1, 0], rtol=1e-5
    )


def test_windows_of_too_many_values_start_at_zero(monkeypatch):
    monkeypatch.setattr(_linear_start, "MAX_LINEAR_INPUTS", 7)
    reg = _reg().initialize(WINDOWS, NEXT)  # 8 values per window
    assert not reg.model_.get_layer("autoregressive").get_weights()[0].any()


def test_training_keeps_the_level_term_of_the_linear_start():
    """The level's weight is the ridge's: training moves the window's weights
    and the recurrent stack, never how far the forecast reverts to a mean."""
    reg = _reg(epochs=3, validation_split=0.0).fit(WINDOWS, NEXT)
    start = _reg(validation_split=0.0).initialize(WINDOWS, NEXT)
    for name in ("level_term", "autoregressive"):
        trained, initial = (
            r.model_.get_layer(name).get_weights()[0] for r in (reg, start)
        )
        assert initial.any()
        assert np.array_equal(trained, initial) == (name == "level_term")


def _blend_parts(reg):
    """Predictions of ``reg``, of its trained network alone, and of the
    untrained network (its ridge start), on WINDOWS."""
    blend = reg.model_.get_layer("linear_blend")
    combined = reg.predict(WINDOWS)
    weight = blend.weight.numpy()
    blend.weight.assign(0.0)
    try:
        alone = reg.predict(WINDOWS)
    finally:
        blend.weight.assign(weight)
    start = _reg(validation_split=0.0).initialize(WINDOWS, NEXT)
    start.model_.get_layer("linear_blend").weight.assign(0.0)
    return combined, alone, start.predict(WINDOWS)


def test_the_forecast_averages_the_network_and_its_frozen_ridge_start():
    reg = _reg(epochs=3, validation_split=0.0).fit(WINDOWS, NEXT)
    assert reg.linear_weight_ == 0.5  # "auto" with a ridge start
    combined, alone, ridge = _blend_parts(reg)
    assert not np.allclose(alone, ridge, rtol=1e-3)  # training moved the network
    np.testing.assert_allclose(combined, 0.5 * alone + 0.5 * ridge, rtol=1e-5)
    reg.set_params(linear_weight=0.2).fit(WINDOWS, NEXT)
    combined, alone, ridge = _blend_parts(reg)
    np.testing.assert_allclose(combined, 0.8 * alone + 0.2 * ridge, rtol=1e-5)


def test_training_fits_the_network_alone_whatever_the_linear_weight():
    params = {"epochs": 3, "validation_split": 0.0}
    blended = _reg(linear_weight=0.5, **params).fit(WINDOWS, NEXT)
    alone = _reg(linear_weight=0.0, **params).fit(WINDOWS, NEXT)
    assert alone.linear_weight_ == 0.0
    assert "linear_blend" not in [layer.name for layer in alone.model_.layers]
    # the same updates (to the bit on TensorFlow; XLA may fuse the graph
    # with the blend otherwise, to float rounding)
    np.testing.assert_allclose(
        blended.history_["loss"], alone.history_["loss"], rtol=1e-5
    )
    for name in ("autoregressive", "output", "lstm_0"):
        for a, b in zip(
            blended.model_.get_layer(name).get_weights(),
            alone.model_.get_layer(name).get_weights(),
            strict=True,
        ):
            np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-7)
    # and a second fit of the same network (warm start) trains it alone too
    blended.set_params(warm_start=True).fit(WINDOWS, NEXT)
    assert blended.model_.get_layer("linear_blend").weight.numpy() == 0.5


def test_a_linear_weight_without_a_ridge_start_is_refused_by_name():
    reg = _reg(autoregressive=False, linear_weight=0.3)
    with pytest.raises(ValueError, match=r"linear_weight=0.3 .* has none"):
        reg.fit(WINDOWS, NEXT)
    assert not hasattr(reg, "model_")
    auto = _reg(autoregressive=False).fit(WINDOWS, NEXT)
    assert auto.linear_weight_ == 0.0
    with pytest.raises(ValueError, match="linear_weight"):
        _reg(linear_weight=1.5).fit(WINDOWS, NEXT)


def test_the_blended_network_predicts_the_same_after_pickle_and_save(tmp_path):
    import pickle

    from sklstm import load_estimator, save_estimator

    reg = _reg(epochs=2, validation_split=0.0).fit(WINDOWS, NEXT)
    expected = reg.predict(WINDOWS)
    again = pickle.loads(pickle.dumps(reg))
    np.testing.assert_array_equal(again.predict(WINDOWS), expected)
    save_estimator(reg, tmp_path / "reg.keras")
    np.testing.assert_allclose(
        load_estimator(tmp_path / "reg.keras").predict(WINDOWS), expected, rtol=1e-6
    )
    archive = tmp_path / "network.keras"
    reg.model_.save(archive)
    loaded = keras.saving.load_model(archive)
    assert loaded.get_layer("linear_blend").weight.numpy() == 0.5
