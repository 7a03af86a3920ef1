"""Normalisation inside the network: inputs, targets, and each window's level.

The properties tested are exact consequences of the design, not scores: with
the statistics learned from the data, a network fitted on rescaled data learns
the same thing, so its predictions are the rescaled ones.
"""

import pickle

import keras
import numpy as np
import pytest

from sklstm import (
    LSTMAutoencoder,
    LSTMClassifier,
    LSTMRegressor,
    load_estimator,
    save_estimator,
)

RNG = np.random.RandomState(0)
X = RNG.normal(size=(48, 6, 2)).astype(np.float32)
Y = X[:, -1, 0] * 2.0 + X[:, 0, 1]
SERIES = np.cumsum(RNG.normal(size=120)) + 100.0
WINDOWS = np.stack([SERIES[i : i + 8] for i in range(110)])[:, :, None]
NEXT = SERIES[8:118]
BACKEND = keras.backend.backend()


def _reg(**params):
    return LSTMRegressor(**{"units": 3, "epochs": 2, "random_state": 0, **params})


def test_an_affine_change_of_x_and_y_changes_nothing_but_the_units():
    a = _reg().fit(X, Y)
    b = _reg().fit(X * 10.0 + 3.0, Y * 1000.0 + 5000.0)
    np.testing.assert_allclose(
        (b.predict(X * 10.0 + 3.0) - 5000.0) / 1000.0, a.predict(X), atol=1e-4
    )


def test_without_normalisation_the_units_matter():
    a = _reg(normalize=False).fit(X, Y)
    b = _reg(normalize=False).fit(X * 10.0 + 3.0, Y * 1000.0 + 5000.0)
    scaled_back = (b.predict(X * 10.0 + 3.0) - 5000.0) / 1000.0
    assert np.abs(scaled_back - a.predict(X)).max() > 1e-2


def test_the_statistics_live_in_the_network():
    reg = _reg().fit(X, Y * 100.0)
    inputs = reg.model_.get_layer("input_normalization")
    np.testing.assert_allclose(
        np.ravel(inputs.mean), X.reshape(-1, 2).mean(axis=0), rtol=1e-5
    )
    outputs = reg.model_.get_layer("output_normalization")
    np.testing.assert_allclose(np.ravel(outputs.mean), [(Y * 100.0).mean()], rtol=1e-5)
    assert outputs.invert


def test_padding_is_left_out_of_the_statistics():
    padded = np.concatenate([np.full((48, 3, 2), np.nan, np.float32), X], axis=1)
    reg = _reg().fit(padded, Y)
    mean = np.ravel(reg.model_.get_layer("input_normalization").mean)
    np.testing.assert_allclose(mean, X.reshape(-1, 2).mean(axis=0), rtol=1e-5)
    assert np.isfinite(reg.predict(padded)).all()


def test_normalised_networks_pickle_and_save_bit_for_bit(tmp_path):
    reg = _reg(window_normalization="log").fit(WINDOWS, NEXT)
    assert reg.model_.get_layer("level_term").get_weights()[0].any()
    expected = reg.predict(WINDOWS)
    np.testing.assert_array_equal(
        pickle.loads(pickle.dumps(reg)).predict(WINDOWS), expected
    )
    save_estimator(reg, tmp_path / "reg.keras")
    np.testing.assert_array_equal(
        load_estimator(tmp_path / "reg.keras").predict(WINDOWS), expected
    )


def test_weights_set_from_data_start_as_host_constants_and_rebuild_from_config():
    from sklstm._layers import HostConstant, LinearBlend, Standardization

    value = HostConstant(1.5)((2, 3), dtype="float32")
    assert isinstance(value, np.ndarray) and value.dtype == np.float32
    np.testing.assert_array_equal(value, np.full((2, 3), 1.5, np.float32))
    standardization, blend = Standardization(), LinearBlend(weight=0.25)
    standardization.build((None, 6, 2))
    blend.build([(None, 1), (None, 1)])
    np.testing.assert_array_equal(standardization.mean.numpy(), [0.0, 0.0])
    np.testing.assert_array_equal(standardization.variance.numpy(), [1.0, 1.0])
    assert float(blend.weight.numpy()) == 0.25
    # a fitted network's configuration names the initialiser; Keras rebuilds it
    reg = _reg(window_normalization="log", linear_weight=0.5).fit(WINDOWS, NEXT)
    rebuilt = keras.Model.from_config(reg.model_.get_config())
    initializer = rebuilt.get_layer("ridge").kernel_initializer
    assert isinstance(initializer, HostConstant) and initializer.value == 0.0
    rebuilt.set_weights(reg.model_.get_weights())
    np.testing.assert_allclose(
        rebuilt.predict(WINDOWS, verbose=0), reg.model_.predict(WINDOWS, verbose=0)
    )


@pytest.mark.parametrize(
    "mode, change, undo",
    [
        ("subtract", lambda v: v + 50.0, lambda p: p - 50.0),
        ("log", lambda v: v * 3.0, lambda p: p / 3.0),
    ],
)
def test_window_normalisation_forecasts_relative_to_each_windows_level(
    mode, change, undo
):
    a = _reg(window_normalization=mode).fit(WINDOWS, NEXT)
    b = _reg(window_normalization=mode).fit(change(WINDOWS), change(NEXT))
    np.testing.assert_allclose(
        undo(b.predict(change(WINDOWS))), a.predict(WINDOWS), rtol=1e-5
    )


def test_the_window_level_layers_match_their_numpy_twin():
    from sklstm._layers import WindowLevel
    from sklstm._normalization import remove_window_level

    data = np.abs(X) + 0.5
    for mode in ("subtract", "log"):
        layer = WindowLevel(feature=1, mode=mode)
        Xw, yw = remove_window_level(data, data[:, -1, 1:2] * 1.5, 1, mode)
        np.testing.assert_allclose(np.asarray(layer(data)), Xw, rtol=1e-5, atol=1e-6)
        restore = WindowLevel(feature=1, mode=mode, restore=True)
        back = np.asarray(restore([yw.astype(np.float32), data]))
        np.testing.assert_allclose(back, data[:, -1, 1:2] * 1.5, rtol=1e-5)


def test_window_normalisation_takes_the_target_feature_of_multivariate_windows():
    multi = np.concatenate([WINDOWS, RNG.normal(size=WINDOWS.shape)], axis=2)
    reg = _reg(window_normalization="subtract", target_feature=0).fit(multi, NEXT)
    assert reg.model_.get_layer("window_level").feature == 0
    assert reg.predict(multi).shape == (110,)


@pytest.mark.parametrize(
    "params, y",
    [
        ({"decoder": True}, np.stack([NEXT, NEXT + 1.0], axis=1)),
        ({}, np.stack([NEXT, NEXT * 2.0], axis=1)),
        ({"return_sequences": True}, WINDOWS[:, :, 0] + 1.0),
    ],
    ids=["decoder", "multi-output", "per-step"],
)
def test_window_normalisation_with_multi_step_targets(params, y):
    a = _reg(window_normalization="subtract", **params).fit(WINDOWS, y)
    b = _reg(window_normalization="subtract", **params).fit(WINDOWS + 20.0, y + 20.0)
    np.testing.assert_allclose(
        b.predict(WINDOWS + 20.0) - 20.0, a.predict(WINDOWS), atol=1e-3
    )
    assert a.predict(WINDOWS).shape == y.shape


def test_the_classifier_is_invariant_to_the_units_of_x():
    labels = Y > np.median(Y)
    a = LSTMClassifier(units=3, epochs=2, random_state=0).fit(X, labels)
    b = LSTMClassifier(units=3, epochs=2, random_state=0).fit(X * 100.0 - 7.0, labels)
    np.testing.assert_allclose(
        b.predict_proba(X * 100.0 - 7.0), a.predict_proba(X), atol=1e-5
    )


def test_the_autoencoder_reconstructs_in_the_inputs_units():
    a = LSTMAutoencoder(units=(3, 2), epochs=2, random_state=0).fit(X)
    b = LSTMAutoencoder(units=(3, 2), epochs=2, random_state=0).fit(X * 10.0 + 1.0)
    # The loss is in the input's units: Adam's epsilon makes the only difference.
    np.testing.assert_allclose(b.transform(X * 10.0 + 1.0), a.transform(X), atol=1e-3)
    np.testing.assert_allclose(
        (b.inverse_transform(b.transform(X * 10.0 + 1.0)) - 1.0) / 10.0,
        a.inverse_transform(a.transform(X)),
        atol=1e-3,
    )


@pytest.mark.skipif(BACKEND != "tensorflow", reason="stateful networks need TensorFlow")
def test_stateful_networks_normalise_too():
    reg = _reg(stateful=True, batch_size=2, window_normalization="subtract").fit(
        WINDOWS, NEXT
    )
    assert "input_normalization" in [layer.name for layer in reg.model_.layers]
    assert reg.reset_states().predict(WINDOWS).shape == (110,)


def test_a_model_of_your_own_is_not_normalised_by_auto():
    def build(meta, compile_kwargs):
        inputs = keras.Input((meta["n_timesteps_in_"], meta["n_features_in_"]))
        model = keras.Model(inputs, keras.layers.Dense(1)(keras.layers.LSTM(2)(inputs)))
        model.compile(**compile_kwargs)
        return model

    reg = _reg(model=build).fit(X, Y)
    names = [layer.name for layer in reg.model_.layers]
    assert "input_normalization" not in names


def test_token_ids_are_never_scaled():
    tokens = RNG.randint(1, 6, size=(24, 5))
    reg = _reg(embedding_dim=2).fit(tokens, tokens[:, -1] * 1.0)
    names = [layer.name for layer in reg.model_.layers]
    assert "input_normalization" not in names and "output_normalization" in names


# "auto": window normalisation for forecasting windows, and only for them -----


def test_auto_uses_log_windows_for_a_positive_series_and_subtract_otherwise():
    reg = _reg().fit(WINDOWS, NEXT)
    assert reg.window_normalization_ == "log"
    names = [layer.name for layer in reg.model_.layers]
    assert {"window_level", "window_restore", "autoregressive"} <= set(names)
    reg = _reg().fit(WINDOWS - 150.0, NEXT - 150.0)
    assert reg.window_normalization_ == "subtract"


def test_auto_leaves_other_regressions_alone():
    target = RNG.normal(size=len(WINDOWS))  # not a continuation of the windows
    reg = _reg().fit(WINDOWS, target)
    assert reg.window_normalization_ is None
    names = [layer.name for layer in reg.model_.layers]
    assert "window_level" not in names and "autoregressive" not in names
    assert _reg().fit(X, Y).window_normalization_ is None  # two features, no index


def test_auto_recognises_a_seasonal_series_that_its_last_value_predicts_badly():
    """Month-to-month swings larger than the series' spread: the last value
    predicts the next worse than the mean, the value a season earlier
    better. The first windows are padded, as a SlidingWindowTransformer
    pads them."""
    months = np.arange(160)
    series = 100.0 + 30.0 * np.sign(np.sin(2 * np.pi * (months + 0.5) / 4))
    series += RNG.normal(scale=3.0, size=months.size)
    windows = np.stack([series[i : i + 8] for i in range(150)])[:, :, None]
    windows[:6, :2] = np.nan
    target = series[8:158]
    assert np.mean((target - windows[:, -1, 0]) ** 2) > np.var(target)
    reg = _reg().fit(windows, target)
    assert reg.window_normalization_ == "log"
    assert reg.linear_weight_ == 0.5  # the ridge start and the combination
    # a target unrelated to every step is still left alone
    unrelated = RNG.normal(loc=100.0, scale=30.0, size=len(windows))
    assert _reg().fit(windows, unrelated).window_normalization_ is None


def test_auto_leaves_one_step_windows_alone_and_learns_from_them():
    """A one-step window less its level would be all zeros (look_back=1)."""
    reg = _reg(epochs=20).fit(WINDOWS[:, -1:], NEXT)
    assert reg.window_normalization_ is None
    assert np.std(reg.predict(WINDOWS[:, -1:])) > 0.0


def test_auto_takes_target_feature_of_multivariate_windows():
    multi = np.concatenate([WINDOWS, RNG.normal(size=WINDOWS.shape)], axis=2)
    reg = _reg(target_feature=0).fit(multi, NEXT)
    assert reg.window_normalization_ == "log"


def test_none_turns_window_normalisation_off():
    reg = _reg(window_normalization=None).fit(WINDOWS, NEXT)
    assert reg.window_normalization_ is None


def test_the_autoregressive_term_starts_at_its_ridge_fit_and_is_learned():
    params = {"window_normalization": None, "autoregressive": True}
    untrained = _reg(**params).initialize(WINDOWS, NEXT)
    start = untrained.model_.get_layer("autoregressive").get_weights()[0]
    assert start.shape == (8, 1) and start.any()
    # the recurrent stack starts silent: the network is the linear regression
    assert not untrained.model_.get_layer("output").get_weights()[0].any()
    reg = _reg(**params).fit(WINDOWS, NEXT)
    kernel = reg.model_.get_layer("autoregressive").get_weights()[0]
    assert not np.allclose(kernel, start)
    assert reg.model_.get_layer("output").get_weights()[0].any()


def test_estimators_pickled_by_0_1_0_keep_their_behaviour():
    import pathlib

    path = pathlib.Path(__file__).parent / "data" / "v0_1_0" / "regressor.pkl"
    reg = pickle.loads(path.read_bytes())
    assert reg.normalize is False and reg.window_normalization is None
    assert reg.window_normalization_ is None and reg.autoregressive is False
