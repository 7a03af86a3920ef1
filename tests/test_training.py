"""Compile and fit arguments made from an estimator's parameters."""

import pickle

import keras
import numpy as np
import pytest

from sklstm import LSTMRegressor, load_estimator, save_estimator

RNG = np.random.RandomState(0)
X = RNG.uniform(size=(16, 4, 1)).astype(np.float32)
Y = X[:, -1, 0] * 2.0


def test_an_unknown_optimizer_argument_is_named_with_the_accepted_ones():
    reg = LSTMRegressor(units=2, epochs=1, optimizer="adam", optimizer__beta1=0.8)
    with pytest.raises(ValueError, match=r"Adam takes no argument 'beta1'") as info:
        reg.fit(X, Y)
    assert "optimizer__beta1" in str(info.value)
    assert "beta_1" in str(info.value)  # among the accepted names
    assert not hasattr(reg, "model_")


def test_an_unknown_optimizer_argument_of_an_optimizer_class_is_named():
    reg = LSTMRegressor(
        units=2, epochs=1, optimizer=keras.optimizers.SGD, optimizer__momentun=0.9
    )
    with pytest.raises(ValueError, match=r"SGD takes no argument 'momentun'"):
        reg.fit(X, Y)


def test_an_unknown_optimizer_name_is_still_named():
    with pytest.raises(ValueError, match="must name a Keras optimizer"):
        LSTMRegressor(units=2, epochs=1, optimizer="adamm").fit(X, Y)


@pytest.mark.parametrize("metric", [keras.metrics.R2Score, keras.metrics.R2Score()])
def test_metric_classes_and_instances_fit_pickle_and_save(metric, tmp_path):
    reg = LSTMRegressor(units=2, epochs=2, metrics=[metric], random_state=0).fit(X, Y)
    assert "r2_score" in reg.history_
    restored = pickle.loads(pickle.dumps(reg))
    np.testing.assert_array_equal(restored.predict(X), reg.predict(X))
    path = tmp_path / "reg.keras"
    save_estimator(reg, path)
    np.testing.assert_array_equal(load_estimator(path).predict(X), reg.predict(X))
    assert reg.metrics == [metric]  # the parameter itself is left as given


def test_clipnorm_reaches_the_optimizer_unless_routed():
    reg = LSTMRegressor(units=2, epochs=1, clipnorm=0.5).fit(X, Y)
    assert reg.model_.optimizer.clipnorm == 0.5
    reg = LSTMRegressor(units=2, epochs=1, clipnorm=0.5, optimizer__clipvalue=0.1)
    reg.fit(X, Y)
    assert reg.model_.optimizer.clipnorm is None
    assert reg.model_.optimizer.clipvalue == 0.1


def test_reduce_lr_on_plateau_halves_the_learning_rate():
    # A learning rate far too large: the loss stops improving at once.
    reg = LSTMRegressor(
        units=2,
        epochs=8,
        learning_rate=5.0,
        reduce_lr_on_plateau=True,
        patience=2,
        normalize=False,
        random_state=0,
    )
    reg.fit(X, Y * 0.0 + 1.0)
    rates = reg.history_["learning_rate"]
    assert rates[0] == pytest.approx(5.0) and min(rates) < 5.0
    assert min(rates) >= 5.0 / 64 - 1e-9


def test_scikeras_spellings_of_metrics_and_callbacks_are_accepted():
    history = keras.callbacks.History()
    reg = LSTMRegressor(units=2, epochs=2, metrics="mae", callbacks=history)
    reg.fit(X, Y)
    assert "mae" in reg.history_
    assert history.epoch == [0, 1]  # the callback object itself was used
