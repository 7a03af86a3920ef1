"""Compile and fit arguments made from an estimator's parameters."""

import pickle
import warnings

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
    params = {"units": 2, "epochs": 3, "refit": False, "random_state": 0, **params}
    reg = LSTMRegressor(**params).fit(X_60[:n_samples], Y_60[:n_samples])
    assert reg.validation_split_ == expected
    assert ("val_loss" in reg.history_) == (expected > 0)


def test_auto_early_stopping_stops_on_the_validation_loss_only():
    # patience 0: "auto" stops at the first epoch without a better val_loss
    with_split = LSTMRegressor(
        units=2, epochs=30, patience=0, refit=False, random_state=0
    )
    with_split.fit(X_60, Y_60)
    assert with_split.validation_split_ == 0.2
    assert with_split.n_iter_ < 30
    without = LSTMRegressor(
        units=2, epochs=30, patience=0, validation_split=0.0, random_state=0
    ).fit(X_60, Y_60)
    assert without.n_iter_ == 30  # no split: "auto" does not stop on the loss


def test_refit_trains_every_row_for_the_epochs_early_stopping_chose(tmp_path):
    reg = LSTMRegressor(units=2, epochs=30, patience=2, random_state=0)
    reg.fit(X_60, Y_60)
    val_loss = reg.validation_history_["val_loss"]
    best = int(np.argmin(val_loss)) + 1
    assert best < len(val_loss) < 30  # it stopped early, then refitted
    assert reg.n_iter_ == best
    assert reg.validation_split_ == 0.0
    assert "val_loss" not in reg.history_
    # the same network as a fit of that many epochs on every row
    plain = LSTMRegressor(
        units=2,
        epochs=best,
        validation_split=0.0,
        early_stopping=False,
        random_state=0,
    ).fit(X_60, Y_60)
    assert plain.validation_history_ is None
    np.testing.assert_array_equal(reg.predict(X_60), plain.predict(X_60))
    # the held-out fit's record travels with the estimator
    restored = pickle.loads(pickle.dumps(reg))
    assert restored.validation_history_ == reg.validation_history_
    save_estimator(reg, tmp_path / "reg.keras")
    loaded = load_estimator(tmp_path / "reg.keras")
    np.testing.assert_allclose(loaded.validation_history_["val_loss"], val_loss)


def test_refit_auto_leaves_a_split_of_yours_alone_and_true_refits_it():
    params = {"units": 2, "epochs": 4, "validation_split": 0.2, "random_state": 0}
    kept = LSTMRegressor(**params).fit(X_60, Y_60)
    assert kept.validation_split_ == 0.2
    assert kept.validation_history_ is None
    assert "val_loss" in kept.history_
    refitted = LSTMRegressor(refit=True, **params).fit(X_60, Y_60)
    assert refitted.validation_split_ == 0.0
    assert len(refitted.validation_history_["val_loss"]) == 4
    # never after validation data routed to Keras, nor without early stopping
    for other in (
        {"refit": True, "fit__validation_data": (X_60[:8], Y_60[:8])},
        {"refit": True, "early_stopping": False},
    ):
        reg = LSTMRegressor(**{**params, **other}).fit(X_60, Y_60)
        assert reg.validation_history_ is None
        assert "val_loss" in reg.history_


def test_refit_replays_the_learning_rates_of_the_plateau_schedule():
    reg = LSTMRegressor(
        units=2,
        epochs=40,
        patience=4,
        reduce_lr_on_plateau=True,
        learning_rate=0.05,
        random_state=0,
    ).fit(X_60, Y_60)
    rates = reg.validation_history_["learning_rate"]
    assert min(rates) < max(rates)  # the schedule lowered the rate
    np.testing.assert_allclose(reg.history_["learning_rate"], rates[: reg.n_iter_])


def test_a_refitted_classifier_keeps_its_classes():
    from sklstm import LSTMClassifier

    y = np.where(Y_60 > 1, "high", "low")
    clf = LSTMClassifier(
        units=2,
        epochs=3,
        validation_split=0.2,
        early_stopping=True,
        refit=True,
        random_state=0,
    ).fit(X_60, y)
    assert clf.validation_split_ == 0.0
    assert len(clf.validation_history_["val_loss"]) == 3
    assert set(clf.predict(X_60)) <= {"high", "low"}


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
    with pytest.raises(ValueError, match="refit"):
        LSTMRegressor(refit="always").fit(X_60, Y_60)


@pytest.mark.parametrize(
    "n_samples, batch_size, validation_split",
    [(61, 8, 0.0), (61, 8, 0.2), (55, 4, 0.3), (330, 32, 0.2)],
)
def test_one_data_iterator_an_epoch_trains_the_same_weights(
    n_samples, batch_size, validation_split
):
    # On TensorFlow sklstm gives Keras the number of batches of an epoch, so
    # that it keeps one data iterator an epoch; "steps_per_epoch=None",
    # routed, is Keras' own way. A count off by one batch would train other
    # batches, or warn that the data ran out (an error here).
    rng = np.random.RandomState(1)
    X = rng.normal(size=(n_samples, 5, 2)).astype(np.float32)
    y = X[:, -1, 0] - X[:, 0, 1]
    params = {
        "units": 3,
        "epochs": 4,
        "batch_size": batch_size,
        "validation_split": validation_split,
        "early_stopping": False,
        "random_state": 0,
    }
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=".*ran out of data.*")
        ours = LSTMRegressor(**params).fit(X, y)
        keras_own = LSTMRegressor(fit__steps_per_epoch=None, **params).fit(X, y)
    assert ours.history_ == keras_own.history_
    assert len(ours.history_["loss"]) == 4
    theirs = keras_own.model_.get_weights()
    for a, b in zip(ours.model_.get_weights(), theirs, strict=True):
        np.testing.assert_array_equal(a, b)


def test_a_routed_validation_split_counts_the_batches_keras_trains():
    # fit__validation_split holds rows out where validation_split_ is 0
    reg = LSTMRegressor(units=2, epochs=3, fit__validation_split=0.25, random_state=0)
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=".*ran out of data.*")
        reg.fit(X, Y)
    assert len(reg.history_["val_loss"]) == 3


class _EvaluateHeldOut(keras.callbacks.Callback):
    """Each epoch: the logged ``val_loss``, Keras' ``evaluate`` of the held-out
    rows, and the validation iterator ``fit`` holds (TensorFlow)."""

    def __init__(self, X, y, batch_size):
        super().__init__()
        self.data, self.batch_size = (X, y), batch_size
        self.logged, self.evaluated, self.iterators = [], [], []

    def on_epoch_end(self, epoch, logs=None):
        self.logged.append(logs["val_loss"])
        kept = getattr(self.model, "_eval_epoch_iterator", None)
        self.iterators.append(getattr(kept, "_current_iterator", None))
        self.evaluated.append(
            self.model.evaluate(*self.data, batch_size=self.batch_size, verbose=0)
        )


def _fit_validating(X, y, record, **params):
    """A 4-epoch fit holding out its last 30 % in batches of 8, recorded."""
    return LSTMRegressor(
        units=3,
        epochs=4,
        batch_size=8,
        validation_split=0.3,
        early_stopping=False,
        callbacks=[record],
        random_state=0,
        **params,
    ).fit(X, y)


@pytest.mark.parametrize("steps_per_execution", [1, 2, 3])
def test_every_validation_pass_gives_kerass_val_loss_to_the_bit(steps_per_execution):
    # 30 held-out rows in batches of 8: 4 batches per pass, which 3 does not
    # divide (Keras' own iterators then) and 1 and 2 do (one kept iterator)
    X = RNG.uniform(size=(100, 5, 1)).astype(np.float32)
    y = X[:, -1, 0] + X[:, 0, 0]
    record = _EvaluateHeldOut(X[70:], y[70:, None], 8)  # y as the network gets it
    reg = _fit_validating(X, y, record, steps_per_execution=steps_per_execution)
    assert record.logged == record.evaluated
    assert reg.history_["val_loss"] == record.logged
    kept = {id(iterator) for iterator in record.iterators}
    if keras.backend.backend() == "tensorflow":
        assert len(kept) == (1 if steps_per_execution in (1, 2) else 4)


def test_auto_steps_per_execution_divides_the_validation_and_epoch_batches():
    from sklstm._training import resolve_steps_per_execution

    reg = LSTMRegressor(units=3, epochs=1, batch_size=1, random_state=0)
    reg.initialize(X, Y)
    reg._n_train_steps = 10_000  # as if it trained long, on small batches
    reg._n_epoch_batches = 96
    reg._n_validation_batches = 12
    expected = {"tensorflow": 12, "jax": 32}.get(keras.backend.backend(), 1)
    assert resolve_steps_per_execution(reg) == expected
    reg._n_validation_batches = 0
    expected = {"tensorflow": 32, "jax": 32}.get(keras.backend.backend(), 1)
    assert resolve_steps_per_execution(reg) == expected
    reg._n_epoch_batches = 90
    expected = {"tensorflow": 30, "jax": 32}.get(keras.backend.backend(), 1)
    assert resolve_steps_per_execution(reg) == expected


def test_windows_too_costly_to_copy_validate_from_one_iterator_too():
    series = RNG.uniform(size=105).astype(np.float32)
    X = np.lib.stride_tricks.sliding_window_view(series[:-1], 5)[:, :, None]
    y = series[5:]
    from sklstm._streaming import is_streamed

    assert is_streamed(X)  # trained from batches gathered from the view
    record = _EvaluateHeldOut(np.array(X[70:]), y[70:, None], 8)
    reg = _fit_validating(X, y, record)
    assert record.logged == record.evaluated == reg.history_["val_loss"]
    if keras.backend.backend() == "tensorflow":
        assert len({id(iterator) for iterator in record.iterators}) == 1


ON_TF = pytest.mark.skipif(
    keras.backend.backend() != "tensorflow", reason="TensorFlow's array pipeline"
)


@ON_TF
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("steps_per_execution", [1, 3])
def test_a_seeded_shuffled_fit_from_one_iterator_trains_kerass_weights(
    weighted, steps_per_execution
):
    # Keras' pipeline makes an iterator an epoch, each drawing the seeded
    # permutation again; sklstm's draws it once and repeats it: the same
    # batches, so the same weights, loss and val_loss to the bit. 3 divides
    # the 6 training batches of an epoch; Keras' own is routed as None.
    rng = np.random.RandomState(2)
    X = rng.normal(size=(53, 5, 2)).astype(np.float32)
    y = X[:, -1, 0] - X[:, 0, 1]
    weights = rng.uniform(0.5, 2.0, size=len(X)) if weighted else None
    params = {
        "units": 3,
        "epochs": 5,
        "batch_size": 8,
        "validation_split": 0.1,
        "early_stopping": False,
        "steps_per_execution": steps_per_execution,
        "random_state": 4,
    }
    ours = LSTMRegressor(**params).fit(X, y, sample_weight=weights)
    keras_own = LSTMRegressor(fit__steps_per_epoch=None, **params)
    keras_own.fit(X, y, sample_weight=weights)
    assert ours.history_ == keras_own.history_
    theirs = keras_own.model_.get_weights()
    for a, b in zip(ours.model_.get_weights(), theirs, strict=True):
        np.testing.assert_array_equal(a, b)


@ON_TF
def test_only_a_seeded_fit_of_shuffled_arrays_gets_the_one_iterator_pipeline():
    import tensorflow as tf

    from sklstm._compat import tf_global_seed
    from sklstm._seeding import seeded
    from sklstm._training import fit_kwargs

    reg = LSTMRegressor(units=2, epochs=3, batch_size=4, random_state=0)
    reg.fit(X, Y)  # sets the fit's attributes fit_kwargs reads
    with seeded(0):
        kwargs = fit_kwargs(reg, 3, X, Y)
    assert isinstance(kwargs["x"], tf.data.Dataset)
    assert kwargs["steps_per_epoch"] == 4 and kwargs["shuffle"] is False
    assert "validation_split" not in kwargs and "y" not in kwargs
    reg.set_params(validation_split=0.25)
    reg.fit(X, Y)
    with seeded(0):
        kwargs = fit_kwargs(reg, 3, X, Y)
    held_out_x, held_out_y = kwargs["validation_data"]
    np.testing.assert_array_equal(held_out_x, X[12:])  # the last rows, as Keras
    np.testing.assert_array_equal(held_out_y, Y[12:])
    assert kwargs["steps_per_epoch"] == 3
    if tf_global_seed() is None:  # unseeded, Keras permutes each epoch anew
        assert fit_kwargs(reg, 3, X, Y)["x"] is X
    reg.set_params(shuffle=False)
    with seeded(0):
        assert fit_kwargs(reg, 3, X, Y)["x"] is X  # unshuffled: Keras' pipeline


@ON_TF
def test_the_one_iterator_pipeline_repeats_the_permutation_of_kerass():
    from sklstm._iterators import repeated_permutation_batches
    from sklstm._seeding import seeded

    rows = np.arange(10, dtype=np.float32)[:, None]

    def orders(dataset, n_epochs):
        batches = [np.asarray(b[0]).ravel() for b in dataset.take(3 * n_epochs)]
        return [np.concatenate(batches[i : i + 3]) for i in range(0, len(batches), 3)]

    with seeded(5):
        epochs = orders(repeated_permutation_batches((rows,), 4), 3)
    for order in epochs:  # every row once an epoch, in batches of 4, 4 and 2
        assert sorted(order.tolist()) == list(range(10))
    assert all(np.array_equal(epochs[0], order) for order in epochs)
    assert not np.array_equal(epochs[0], np.arange(10))
