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


# ----------------------------------------------------------------------
# validation_split="auto" and early_stopping="auto" (the regressor's defaults)
# ----------------------------------------------------------------------
X_60 = RNG.uniform(size=(60, 4, 1)).astype(np.float32)
Y_60 = X_60[:, -1, 0] * 2.0


@pytest.mark.parametrize(
    ("n_samples", "params", "expected"),
    [
        (60, {}, 0.2),  # enough samples, several epochs: the latest 20 % held out
        (40, {}, 0.0),  # fewer than 50 samples
        (60, {"epochs": 1}, 0.0),  # one epoch: nothing to stop early
        (60, {"validation_split": 0.1}, 0.1),  # a number is used as given
        (60, {"validation_split": 0.0}, 0.0),
    ],
)
def test_auto_validation_split_holds_out_the_latest_rows_when_it_can(
    n_samples, params, expected
):
    params = {"units": 2, "epochs": 3, "random_state": 0, **params}
    reg = LSTMRegressor(**params).fit(X_60[:n_samples], Y_60[:n_samples])
    assert reg.validation_split_ == expected
    assert ("val_loss" in reg.history_) == (expected > 0)


def test_auto_early_stopping_stops_on_the_validation_loss_only():
    # patience 0: "auto" stops at the first epoch without a better val_loss
    with_split = LSTMRegressor(units=2, epochs=30, patience=0, random_state=0)
    with_split.fit(X_60, Y_60)
    assert with_split.validation_split_ == 0.2
    assert with_split.n_iter_ < 30
    without = LSTMRegressor(
        units=2, epochs=30, patience=0, validation_split=0.0, random_state=0
    ).fit(X_60, Y_60)
    assert without.n_iter_ == 30  # no split: "auto" does not stop on the loss


def test_the_classifier_holds_nothing_out_by_default():
    from sklstm import LSTMClassifier

    clf = LSTMClassifier(units=2, epochs=2, random_state=0)
    clf.fit(X_60, (Y_60 > 1).astype(int))
    assert clf.validation_split_ == 0.0


def test_auto_validation_split_is_refused_only_where_given_for_stateful():
    reg = LSTMRegressor(units=2, epochs=2, stateful=True, batch_size=10, shuffle=False)
    if keras.backend.backend() != "tensorflow":
        pytest.skip("stateful networks need TensorFlow")
    assert reg.fit(X_60, Y_60).validation_split_ == 0.0  # "auto": none
    with pytest.raises(ValueError, match="validation_split is not supported"):
        reg.set_params(validation_split=0.2).fit(X_60, Y_60)


def test_a_bad_validation_split_names_the_parameter():
    with pytest.raises(ValueError, match="validation_split"):
        LSTMRegressor(validation_split="half").fit(X_60, Y_60)
    with pytest.raises(ValueError, match="early_stopping"):
        LSTMRegressor(early_stopping="sometimes").fit(X_60, Y_60)
