"""LSTMRegressor on real (tiny) Keras networks."""

import keras
import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError

from sklstm import LSTMRegressor
from sklstm._training import fit_kwargs

RNG = np.random.RandomState(0)
X3 = RNG.uniform(size=(40, 5, 2)).astype(np.float32)
Y = X3[:, -1, 0] + 0.5 * X3[:, -2, 1]


def small(**params):
    return LSTMRegressor(**{"units": 3, "epochs": 2, "random_state": 0, **params})


@pytest.fixture(scope="module")
def fitted():
    return small().fit(X3, Y)


def test_3d_input_attributes(fitted):
    assert fitted.n_features_in_ == 2
    assert fitted.n_timesteps_in_ == 5
    assert fitted.n_iter_ == 2
    assert set(fitted.history_) == {"loss"}
    assert len(fitted.loss_curve_) == 2
    assert fitted.predict(X3).shape == (40,)
    assert fitted.predict(X3).dtype == np.float64


def test_2d_input_is_univariate_sequences():
    X2 = X3[:, :, 0]
    reg = small().fit(X2, Y)
    assert reg.n_features_in_ == 5
    assert reg.n_timesteps_in_ == 5
    assert reg.model_.input_shape == (None, 5, 1)
    assert reg.predict(X2).shape == (40,)


def test_dataframe_and_list_input():
    frame = pd.DataFrame(X3[:, :, 0], columns=[f"lag_{i}" for i in range(5)])
    reg = small().fit(frame, pd.Series(Y))
    assert list(reg.feature_names_in_) == list(frame.columns)
    np.testing.assert_array_equal(reg.predict(frame), reg.predict(frame.to_numpy()))
    listed = small().fit(X3.tolist(), Y.tolist())
    np.testing.assert_array_equal(listed.predict(X3), small().fit(X3, Y).predict(X3))


def test_multi_output_targets():
    y2 = np.column_stack([Y, 2 * Y, -Y])
    reg = small().fit(X3, y2)
    assert reg.n_outputs_ == 3
    assert reg.predict(X3).shape == (40, 3)
    assert np.isfinite(reg.score(X3, y2))


def test_sequence_output_many_to_many():
    y3 = np.cumsum(X3, axis=1)[:, :, :1]
    reg = small().fit(X3, y3)
    assert reg.model_.output_shape == (None, 5, 1)
    assert reg.predict(X3).shape == (40, 5, 1)
    y2 = y3[:, :, 0]
    reg2 = small(return_sequences=True).fit(X3, y2)
    assert reg2.predict(X3).shape == (40, 5)


def test_decoder_one_to_many():
    horizon = np.column_stack([Y, Y, Y, Y, Y, Y, Y])
    reg = small(decoder=True).fit(X3, horizon)
    layer_types = {type(layer).__name__ for layer in reg.model_.layers}
    assert "RepeatVector" in layer_types
    assert reg.predict(X3).shape == (40, 7)
    with pytest.raises(ValueError, match="step axis"):
        small(decoder=True).fit(X3, Y)


def test_architecture_parameters_shape_the_network():
    reg = small(
        units=(4, 3),
        cell="gru",
        bidirectional=True,
        dense_units=(5,),
        dropout=0.1,
        recurrent_dropout=0.1,
        kernel_regularizer=0.01,
    ).fit(X3, Y)
    names = [type(layer).__name__ for layer in reg.model_.layers]
    assert names.count("Bidirectional") == 2
    grus = [
        layer.forward_layer
        for layer in reg.model_.layers
        if type(layer).__name__ == "Bidirectional"
    ]
    assert [type(g).__name__ for g in grus] == ["GRU", "GRU"]
    assert [g.units for g in grus] == [4, 3]
    assert grus[0].dropout == pytest.approx(0.1)
    assert grus[0].kernel_regularizer is not None
    assert reg.model_.get_layer("dense_0").units == 5


def test_masked_padding_does_not_change_predictions(fitted):
    """A sequence gives the same prediction whatever it is padded to."""
    from sklstm._networks import build_network

    reg = small(units=4, epochs=3).fit(
        np.concatenate([np.full((40, 3, 2), np.nan), X3], axis=1), Y
    )
    assert reg.n_timesteps_in_ == 8
    # the same network, accepting any length
    inputs = reg.model_.get_layer("input_normalization")
    outputs = reg.model_.get_layer("output_normalization")
    free = build_network(
        n_timesteps=None,
        n_features=2,
        n_outputs=1,
        output_activation="linear",
        units=(4,),
        mask_value="nan",
        input_normalization=(np.ravel(inputs.mean), np.ravel(inputs.variance)),
        output_normalization=(np.ravel(outputs.mean), np.ravel(outputs.variance)),
    )
    free.set_weights(reg.model_.get_weights())
    seq = X3[:4, 2:]  # 3 real steps
    outputs = []
    for total in (3, 5, 8, 12):
        padded = np.concatenate([np.full((4, total - 3, 2), np.nan), seq], axis=1)
        outputs.append(np.asarray(free.predict_on_batch(padded.astype(np.float32))))
    for out in outputs[1:]:
        np.testing.assert_allclose(out, outputs[0], rtol=1e-6, atol=1e-7)
    pre = np.concatenate([np.full((4, 5, 2), np.nan), seq], axis=1)
    post = np.concatenate([seq, np.full((4, 5, 2), np.nan)], axis=1)
    np.testing.assert_allclose(reg.predict(pre), reg.predict(post), rtol=1e-6)
    np.testing.assert_allclose(reg.predict(pre), outputs[0].ravel(), rtol=1e-5)


def test_numeric_mask_value_uses_keras_masking():
    X = X3.copy()
    X[:, :2] = 0.0
    reg = small(mask_value=0.0).fit(X, Y)
    assert reg.model_.get_layer("masking").__class__.__name__ == "Masking"


def test_user_model_instance_is_copied_not_modified():
    model = keras.Sequential(
        [keras.Input((5, 2)), keras.layers.LSTM(2), keras.layers.Dense(1)]
    )
    before = [w.copy() for w in model.get_weights()]
    reg = LSTMRegressor(model=model, epochs=2, random_state=0).fit(X3, Y)
    assert reg.model_ is not model
    for w0, w1 in zip(before, model.get_weights(), strict=True):
        np.testing.assert_array_equal(w0, w1)
    assert reg.predict(X3).shape == (40,)


def test_builder_callable_receives_meta_and_routed_params():
    seen = {}

    def build(meta, hidden, compile_kwargs):
        seen.update(meta=meta, hidden=hidden, compile_kwargs=compile_kwargs)
        model = keras.Sequential(
            [
                keras.Input((meta["n_timesteps_in_"], meta["n_features_in_"])),
                keras.layers.GRU(hidden),
                keras.layers.Dense(meta["n_outputs"]),
            ]
        )
        model.compile(optimizer="sgd", loss="mae")
        return model

    reg = LSTMRegressor(model=build, model__hidden=3, epochs=1).fit(X3, Y)
    assert seen["hidden"] == 3
    assert seen["meta"]["n_timesteps_in_"] == 5
    assert seen["meta"]["n_outputs"] == 1
    assert seen["compile_kwargs"]["loss"] == "mse"
    assert reg.model_.layers[0].units == 3
    assert reg.model_.optimizer.__class__.__name__ == "SGD"  # its compile is kept


def test_routed_parameters_reach_keras():
    reg = small(optimizer__beta_1=0.5, fit__validation_split=0.25)
    assert reg.get_params()["optimizer__beta_1"] == 0.5
    reg.fit(X3, Y)
    assert float(reg.model_.optimizer.beta_1) == pytest.approx(0.5)
    assert "val_loss" in reg.history_
    reg.set_params(optimizer__beta_1=0.7)
    cloned = clone(reg)
    assert cloned.get_params()["optimizer__beta_1"] == 0.7
    assert cloned.get_params()["fit__validation_split"] == 0.25
    with pytest.raises(TypeError, match="unexpected parameter 'optimiser__beta_1'"):
        small(optimiser__beta_1=0.5).fit(X3, Y)


def test_optimizer_instance_is_not_mutated():
    opt = keras.optimizers.SGD(learning_rate=0.05)
    reg = small(optimizer=opt).fit(X3, Y)
    assert reg.model_.optimizer is not opt
    assert int(opt.iterations) == 0


def test_warm_start_partial_fit_and_initialize():
    reg = small(warm_start=True).fit(X3, Y)
    model = reg.model_
    reg.fit(X3, Y)
    assert reg.model_ is model
    assert reg.n_iter_ == 4 and len(reg.history_["loss"]) == 4
    cold = small().fit(X3, Y)
    first = cold.model_
    cold.fit(X3, Y)
    assert cold.model_ is not first and cold.n_iter_ == 2

    inc = small()
    inc.partial_fit(X3, Y)
    inc.partial_fit(X3, Y)
    assert inc.n_iter_ == 2

    init = small().initialize(X3, Y)
    assert init.n_iter_ == 0 and init.predict(X3).shape == (40,)


def test_early_stopping_stops_and_restores():
    noise = np.random.RandomState(1).normal(size=40)
    reg = small(
        epochs=100,
        early_stopping=True,
        patience=1,
        validation_split=0.25,
        learning_rate=0.1,
    ).fit(X3, noise)
    assert reg.n_iter_ < 100
    callbacks = fit_kwargs(reg, 1)["callbacks"]
    stopper = [c for c in callbacks if isinstance(c, keras.callbacks.EarlyStopping)]
    assert stopper[0].restore_best_weights and stopper[0].monitor == "val_loss"


def test_nan_loss_names_learning_rate_and_leaves_estimator_untouched():
    big = Y * 1e15
    reg = small(learning_rate=1e12, epochs=3)
    with pytest.raises(ValueError, match="learning_rate"):
        reg.fit(X3, big)
    with pytest.raises(NotFittedError):
        reg.predict(X3)
    assert not hasattr(reg, "n_features_in_")

    good = small().fit(X3, Y)
    before = good.predict(X3)
    good.set_params(learning_rate=1e12, epochs=3)
    with pytest.raises(ValueError, match="learning_rate"):
        good.fit(X3, big)
    np.testing.assert_array_equal(good.predict(X3), before)


def test_sample_weight_changes_the_fit():
    weights = np.where(np.arange(40) < 20, 1.0, 0.0)
    a = small().fit(X3, Y).predict(X3)
    b = small().fit(X3, Y, sample_weight=weights).predict(X3)
    assert not np.allclose(a, b)


def test_callbacks_are_called():
    seen = []

    class Record(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            seen.append(epoch)

    small(callbacks=[Record()]).fit(X3, Y)
    assert seen == [0, 1]


def test_metrics_are_recorded():
    reg = small(metrics=["mae"]).fit(X3, Y)
    assert len(reg.history_["mae"]) == 2
