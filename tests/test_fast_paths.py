"""The fast paths chosen by "auto": which, and that they change no result."""

import keras
import numpy as np
import pytest

from sklstm import LSTMClassifier, LSTMRegressor
from sklstm._training import batch_work, resolve_steps_per_execution

BACKEND = keras.backend.backend()
RNG = np.random.RandomState(0)
# 60 one-sample batches a epoch: the small-batch regime of the airline recipe
X_SMALL = RNG.uniform(size=(60, 3, 1)).astype(np.float32)
Y_SMALL = X_SMALL[:, -1, 0] - 0.5 * X_SMALL[:, 0, 0]


def _spe(est):
    return est.model_.steps_per_execution


def test_auto_runs_many_small_batches_per_call():
    reg = LSTMRegressor(
        units=3, epochs=20, batch_size=1, validation_split=0.0, random_state=0
    )
    reg.fit(X_SMALL, Y_SMALL)  # 1200 steps of 1 x 3 x 3 x 4 multiply-adds
    # on TensorFlow the largest count up to 32 that divides the 60 batches of
    # an epoch, so that a seeded fit's batches come from one iterator
    assert _spe(reg) == {"tensorflow": 30, "jax": 32}.get(BACKEND, 1)


def test_auto_keeps_one_batch_per_call_for_few_steps_on_tensorflow():
    reg = LSTMRegressor(units=3, epochs=2, batch_size=1, random_state=0)
    reg.fit(X_SMALL, Y_SMALL)  # 120 steps: tracing the loop would not pay off
    expected = {"tensorflow": 1, "jax": 32}.get(BACKEND, 1)
    assert _spe(reg) == expected


def test_auto_keeps_one_batch_per_call_for_large_batches_on_tensorflow():
    X = RNG.uniform(size=(64, 24, 1)).astype(np.float32)
    reg = LSTMRegressor(units=64, epochs=1, batch_size=64, random_state=0)
    reg.initialize(X, X[:, -1, 0])
    reg._n_train_steps = 10_000  # as if it trained long
    expected = {"tensorflow": 1, "jax": 32}.get(BACKEND, 1)
    assert resolve_steps_per_execution(reg) == expected
    assert batch_work(reg) == 64 * 24 * 64 * 65


def test_integer_steps_per_execution_is_used_as_given():
    reg = LSTMRegressor(units=3, epochs=1, steps_per_execution=4, random_state=0)
    if BACKEND == "torch":  # Keras' own check, and the estimator stays unfitted
        with pytest.raises(ValueError, match="steps_per_execution"):
            reg.fit(X_SMALL, Y_SMALL)
        assert not hasattr(reg, "model_")
        return
    assert _spe(reg.fit(X_SMALL, Y_SMALL)) == 4


@pytest.mark.parametrize("Estimator", [LSTMRegressor, LSTMClassifier])
def test_many_batches_per_call_give_the_same_loss_curve(Estimator):
    y = Y_SMALL if Estimator is LSTMRegressor else (Y_SMALL > 0.2).astype(int)
    params = {"units": 3, "epochs": 20, "batch_size": 1, "random_state": 0}
    params["validation_split"] = 0.0  # 1200 steps: several batches per call
    fast = Estimator(**params).fit(X_SMALL, y)
    plain = Estimator(steps_per_execution=1, **params).fit(X_SMALL, y)
    if BACKEND in ("tensorflow", "jax"):
        assert _spe(fast) == {"tensorflow": 30, "jax": 32}[BACKEND]
        assert _spe(plain) == 1
    np.testing.assert_allclose(fast.loss_curve_, plain.loss_curve_, rtol=1e-5)
    np.testing.assert_allclose(
        fast.model_.get_weights()[0],
        plain.model_.get_weights()[0],
        rtol=1e-4,
        atol=1e-6,
    )


@pytest.mark.skipif(BACKEND != "tensorflow", reason="stateful networks need TensorFlow")
def test_stateful_fit_with_many_batches_per_call_matches_one_per_call():
    params = {
        "units": 3,
        "epochs": 20,
        "batch_size": 1,
        "stateful": True,
        "shuffle": False,
        "random_state": 0,
    }
    fast = LSTMRegressor(steps_per_execution=32, **params).fit(X_SMALL, Y_SMALL)
    plain = LSTMRegressor(steps_per_execution=1, **params).fit(X_SMALL, Y_SMALL)
    np.testing.assert_allclose(fast.loss_curve_, plain.loss_curve_, rtol=1e-5)
    fast.reset_states()
    plain.reset_states()
    np.testing.assert_allclose(
        fast.predict(X_SMALL), plain.predict(X_SMALL), rtol=1e-5, atol=1e-7
    )


@pytest.mark.skipif(BACKEND == "torch", reason="Keras runs one batch per call on torch")
def test_steps_per_execution_beyond_an_epoch_trains_every_batch():
    X, y = X_SMALL[:20], Y_SMALL[:20]  # 3 batches of 8 per epoch
    fast = LSTMRegressor(
        units=3,
        epochs=3,
        batch_size=8,
        steps_per_execution=32,
        shuffle=False,
        random_state=0,
    ).fit(X, y)
    plain = LSTMRegressor(
        units=3,
        epochs=3,
        batch_size=8,
        steps_per_execution=1,
        shuffle=False,
        random_state=0,
    ).fit(X, y)
    np.testing.assert_allclose(fast.loss_curve_, plain.loss_curve_, rtol=1e-5)


def test_predict_equals_keras_predict_on_batch_bit_for_bit():
    reg = LSTMRegressor(
        units=4, epochs=2, batch_size=8, window_normalization=None, random_state=0
    )
    reg.fit(X_SMALL, Y_SMALL)
    X = X_SMALL[:16]  # a multiple of 16 rows: no padding on either side
    expected = np.asarray(reg.model_.predict_on_batch(X)).ravel()
    np.testing.assert_array_equal(reg.predict(X), expected)
    np.testing.assert_array_equal(reg.predict(X[:1]), expected[:1])


def test_predict_of_forecasting_networks_equals_keras_to_the_last_bit():
    """A network that adds two branches (the window level, the autoregressive
    term) may be fused differently by TensorFlow's graph optimiser in Keras'
    own fixed-shape trace: the results then agree to float32's last bit."""
    reg = LSTMRegressor(units=4, epochs=2, batch_size=8, random_state=0)
    reg.fit(X_SMALL, Y_SMALL)
    assert reg.window_normalization_ == "subtract"
    X = X_SMALL[:16]
    expected = np.asarray(reg.model_.predict_on_batch(X)).ravel()
    np.testing.assert_allclose(reg.predict(X), expected, rtol=3e-7, atol=1e-7)
    np.testing.assert_array_equal(reg.predict(X[:1]), reg.predict(X)[:1])


@pytest.mark.skipif(BACKEND != "tensorflow", reason="TensorFlow's predict path")
def test_compiled_predict_cache_does_not_keep_models_alive():
    import gc
    import weakref

    from sklstm._inference import _TF_PREDICT_FUNCTIONS

    reg = LSTMRegressor(units=2, epochs=1, random_state=0).fit(X_SMALL, Y_SMALL)
    reg.predict(X_SMALL)
    model = weakref.ref(reg.model_)
    assert model() in _TF_PREDICT_FUNCTIONS
    del reg
    gc.collect()
    assert model() is None


@pytest.mark.skipif(BACKEND != "tensorflow", reason="TensorFlow's predict path")
@pytest.mark.parametrize("jit_compile", [False, True])
def test_compiled_predict_uses_xla_only_when_asked(jit_compile):
    from sklstm._inference import _TF_PREDICT_FUNCTIONS

    reg = LSTMRegressor(units=3, epochs=1, jit_compile=jit_compile, random_state=0)
    got = reg.fit(X_SMALL, Y_SMALL).predict(X_SMALL[:16])
    (function,) = _TF_PREDICT_FUNCTIONS[reg.model_].values()
    assert function.function_def.attr["_XlaMustCompile"].b is jit_compile
    expected = np.asarray(reg.model_.predict_on_batch(X_SMALL[:16])).ravel()
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6)


def _counting_builder(counts):
    """A model callable whose network counts the traces of its steps."""

    class CountingModel(keras.Model):
        # Python code in a step runs once per trace on TensorFlow and JAX.
        def train_step(self, *args, **kwargs):
            counts["train"] += 1
            return super().train_step(*args, **kwargs)

        def test_step(self, *args, **kwargs):
            counts["test"] += 1
            return super().test_step(*args, **kwargs)

    def build(meta, compile_kwargs):
        inputs = keras.Input((meta["n_timesteps_in_"], 1))
        outputs = keras.layers.Dense(1)(keras.layers.LSTM(3)(inputs))
        model = CountingModel(inputs, outputs)
        model.compile(**compile_kwargs)
        return model

    return build


@pytest.mark.skipif(BACKEND == "torch", reason="steps run eagerly on torch")
@pytest.mark.parametrize("metrics", [None, ["mae"]])
@pytest.mark.parametrize("validation_split", [0.0, 0.25])
def test_training_step_is_traced_once(metrics, validation_split):
    counts = {"train": 0, "test": 0}
    X, y = X_SMALL[:48], Y_SMALL[:48]  # whole batches only: one input shape
    reg = LSTMRegressor(
        model=_counting_builder(counts),
        epochs=3,
        batch_size=12,
        metrics=metrics,
        validation_split=validation_split,
        steps_per_execution=1,
        random_state=0,
    )
    reg.fit(X, y)
    # Keras alone traces the step twice on TensorFlow: first creating the
    # optimizer's (and metrics') variables, then again without them.
    assert counts["train"] == 1
    assert counts["test"] == (1 if validation_split else 0)
    assert len(reg.loss_curve_) == 3


@pytest.mark.parametrize("metrics", [None, ["mae"]])
def test_building_the_training_state_first_changes_no_loss(metrics):
    params = {
        "units": 3,
        "epochs": 4,
        "batch_size": 8,
        "shuffle": False,
        "steps_per_execution": 1,
        "metrics": metrics,
        "validation_split": 0.0,  # Keras' fit below trains on every row
        "linear_weight": 0.0,  # Keras' fit would train a blend's output
        "random_state": 0,
    }
    reg = LSTMRegressor(**params).fit(X_SMALL, Y_SMALL)
    # the same initial network, trained by Keras itself from an unbuilt optimizer
    by_hand = LSTMRegressor(**params).initialize(X_SMALL, Y_SMALL).model_
    assert not by_hand.optimizer.built
    history = by_hand.fit(
        X_SMALL, Y_SMALL, epochs=4, batch_size=8, shuffle=False, verbose=0
    )
    np.testing.assert_allclose(reg.loss_curve_, history.history["loss"], rtol=1e-6)
    for got, expected in zip(
        reg.model_.get_weights(), by_hand.get_weights(), strict=True
    ):
        np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-7)


def test_dropping_an_estimator_releases_its_compiled_steps():
    reg = LSTMRegressor(units=3, epochs=1, batch_size=8, random_state=0)
    expected = reg.fit(X_SMALL, Y_SMALL).predict(X_SMALL[:16])
    model = reg.model_
    assert model.train_function is not None
    del reg  # no collection needed: the estimator is not in a reference cycle
    assert model.train_function is None and model.predict_function is None
    # a network still used elsewhere compiles its steps again when needed
    got = np.asarray(model.predict_on_batch(X_SMALL[:16])).ravel()
    np.testing.assert_allclose(got, expected, rtol=1e-6, atol=1e-7)


def test_refitting_releases_the_replaced_network_and_keeps_the_new_one():
    import gc
    import weakref

    reg = LSTMRegressor(units=3, epochs=1, batch_size=8, random_state=0)
    first = weakref.ref(reg.fit(X_SMALL, Y_SMALL).model_)
    assert first().train_function is not None
    reg.set_params(random_state=1).fit(X_SMALL, Y_SMALL)
    assert reg.model_ is not first()
    if first() is not None:  # not collected yet: its steps are dropped already
        assert first().train_function is None
    gc.collect()
    assert first() is None  # nothing of sklstm keeps the replaced network alive
    assert reg.model_.train_function is not None
    assert np.all(np.isfinite(reg.predict(X_SMALL)))


def test_reloaded_estimators_release_their_compiled_steps_too():
    import pickle

    reg = LSTMRegressor(units=3, epochs=1, batch_size=8, random_state=0)
    expected = reg.fit(X_SMALL, Y_SMALL).predict(X_SMALL)
    copy = pickle.loads(pickle.dumps(reg))
    np.testing.assert_array_equal(copy.predict(X_SMALL), expected)
    model = copy.model_
    copy.partial_fit(X_SMALL, Y_SMALL)  # compiles its training step
    assert model.train_function is not None
    del copy
    assert model.train_function is None and model.predict_function is None
    # the original keeps its own network and steps
    np.testing.assert_array_equal(reg.predict(X_SMALL), expected)
