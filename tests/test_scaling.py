"""Training on several devices, and the conditions of the GPU's cuDNN kernels.

Data parallelism needs several devices before the backend starts, so each
backend's fit runs in a fresh interpreter: two virtual CPU devices on JAX
(``XLA_FLAGS=--xla_force_host_platform_device_count=2``) under
``keras.distribution.DataParallel``, two logical CPU devices on TensorFlow
under ``tf.distribute.MirroredStrategy``. Each child fits the same seeded
estimator on one device and then on two, and reports the largest
differences. ``docs/user_guide/scaling.rst`` quotes them.

The cuDNN tests need no GPU: they ask Keras' own predicates, through
``sklstm._compat``, about the layers of sklstm's networks and the masks of
sklstm's padded windows.
"""

import importlib
import json
import os
import subprocess
import sys
import textwrap

import keras
import numpy as np
import pytest

from sklstm import (
    LSTMAutoencoder,
    LSTMClassifier,
    LSTMRegressor,
    SequencePadder,
    SlidingWindowTransformer,
    _compat,
)

# Within this of the single-device fit: the goal. Two devices add
# each half-batch's gradient instead of summing one batch, which rounds
# differently in the last bits (measured: 1e-7 on either backend).
TOLERANCE = 1e-5

FIT = textwrap.dedent(
    """
    import json, sys
    import numpy as np
    {setup}
    from sklstm import LSTMRegressor, SlidingWindowTransformer

    # 64 windows of a noisy sine wave; the first five are NaN-padded at
    # the start, so the network masks them. 64 rows in batches of 16:
    # every batch splits evenly between the two devices.
    rng = np.random.RandomState(0)
    series = np.sin(np.arange(65) / 4) + rng.normal(0, 0.1, 65)
    X = SlidingWindowTransformer(sequence_length=6).fit_transform(series[:-1, None])
    y = series[1:]

    def fit(X):
        params = dict(units=3, epochs=3, batch_size=16, random_state=0)
        params.update(validation_split=0.0, early_stopping=False)
        return LSTMRegressor(**params).fit(X, y)

    def max_difference(a, b):
        return max(float(np.max(np.abs(np.subtract(u, v)))) for u, v in zip(a, b))

    results = {{}}
    # The windows as SlidingWindowTransformer returns them, a strided view
    # that sklstm trains on batch by batch, and as one materialised array.
    for name, data in (("streamed", X), ("materialised", np.array(X))):
        one = fit(data)
        with {scope}:
            two = fit(data)
            inside = two.predict(data)
            first_row = two.predict(data[:1])
            weights = two.model_.weights
            devices = {devices}
        outside = two.predict(data)
        results[name] = {{
            "devices": devices,
            "predictions": max_difference([one.predict(data)], [inside]),
            "first_row": max_difference([one.predict(data[:1])], [first_row]),
            "outside": max_difference([inside], [outside]),
            "weights": max_difference(
                one.model_.get_weights(), two.model_.get_weights()
            ),
            "losses": max_difference([one.history_["loss"]], [two.history_["loss"]]),
        }}
    print(json.dumps(results))
    """
)

JAX_SETUP = """
import jax
import keras
distribution = keras.distribution.DataParallel(devices=jax.devices())
"""

TF_SETUP = """
import tensorflow as tf
cpu = tf.config.list_physical_devices("CPU")[0]
tf.config.set_logical_device_configuration(
    cpu, [tf.config.LogicalDeviceConfiguration()] * 2
)
strategy = tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])
"""

CHILDREN = {
    # devices: how many devices hold each weight (a jax.Array's devices)
    "jax": (
        JAX_SETUP,
        "distribution.scope()",
        "min(len(w.value.devices()) for w in weights)",
    ),
    # devices: the replicas of each weight (a tf.distribute MirroredVariable)
    "tensorflow": (
        TF_SETUP,
        "strategy.scope()",
        "min(len(strategy.experimental_local_results(w.value)) for w in weights)",
    ),
}


def _fit_on_two_devices(backend):
    pytest.importorskip({"jax": "jax", "tensorflow": "tensorflow"}[backend])
    setup, scope, devices = CHILDREN[backend]
    code = FIT.format(setup=setup, scope=scope, devices=devices)
    env = {**os.environ, "KERAS_BACKEND": backend, "TF_CPP_MIN_LOG_LEVEL": "2"}
    if backend == "jax":
        env["XLA_FLAGS"] = "--xla_force_host_platform_device_count=2"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env
    )
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("backend", ["jax", "tensorflow"])
def test_a_fit_on_two_devices_equals_the_fit_on_one(backend):
    """DataParallel (JAX) and MirroredStrategy (TensorFlow): the same network.

    The weights live on both devices, the training is the single-device
    training to rounding, and the fitted estimator predicts the same inside
    the distribution's scope (one row included) and after it.
    """
    for path, result in _fit_on_two_devices(backend).items():
        assert result["devices"] == 2, path
        assert result["weights"] <= TOLERANCE, path
        assert result["predictions"] <= TOLERANCE, path
        assert result["first_row"] <= TOLERANCE, path
        assert result["losses"] <= TOLERANCE, path
        assert result["outside"] == 0.0, path


# ----------------------------------------------------------------------------
# cuDNN
# ----------------------------------------------------------------------------
X = np.random.RandomState(0).normal(size=(8, 5, 2)).astype("float32")
Y = X[:, -1, 0]
NETWORKS = {
    "lstm": (LSTMRegressor, {}),
    "gru": (LSTMRegressor, {"cell": "gru"}),
    "stacked": (LSTMRegressor, {"units": (4, 3)}),
    "bidirectional": (LSTMRegressor, {"bidirectional": True, "units": (4, 3)}),
    "dropout": (LSTMRegressor, {"dropout": 0.2}),
    "sequence_outputs": (LSTMRegressor, {"return_sequences": True}),
    "gru_classifier": (LSTMClassifier, {"cell": "gru", "bidirectional": True}),
    "classifier": (LSTMClassifier, {}),
    "autoencoder": (LSTMAutoencoder, {"units": (4, 3)}),
}


def _recurrent_layers(model):
    found = []
    for layer in model.layers:
        if isinstance(layer, keras.layers.Bidirectional):
            found += [layer.forward_layer, layer.backward_layer]
        elif isinstance(layer, (keras.layers.LSTM, keras.layers.GRU)):
            found.append(layer)
    return found


@pytest.mark.parametrize("name", sorted(NETWORKS))
def test_sklstms_networks_meet_keras_conditions_for_cudnn(name):
    """Every recurrent layer sklstm builds without padding can run on cuDNN.

    Keras' own test of the arguments (TensorFlow's, which JAX's repeats for
    an LSTM) plus the conditions Keras' layers check themselves before they
    try the kernel (``LSTM.inner_loop``): ``use_cudnn`` left to "auto" and
    no recurrent dropout. Input dropout is allowed: Keras applies it first.
    """
    estimator, params = NETWORKS[name]
    y = (Y > 0).astype(int) if estimator is LSTMClassifier else Y
    if params.get("return_sequences"):
        y = X[..., :1]
    if estimator is LSTMAutoencoder:
        y = None
    params = {"units": 3, "random_state": 0, **params}
    model = estimator(**params).initialize(X, y).model_
    layers = _recurrent_layers(model)
    assert layers
    for layer in layers:
        assert layer.use_cudnn == "auto"
        assert not layer.recurrent_dropout
        assert not layer.unroll
        if isinstance(layer, keras.layers.GRU):
            assert layer.cell.reset_after
        arguments_ok = _compat.cudnn_arguments_ok(layer)
        if arguments_ok is None:
            pytest.skip("Keras' predicate needs TensorFlow")
        assert arguments_ok, layer.name


def test_what_keeps_a_layer_off_cudnn_is_seen():
    """The predicate says no where Keras would not use cuDNN."""
    pytest.importorskip("tensorflow")
    model = LSTMRegressor(units=3, unroll=True).initialize(X, Y).model_
    assert not any(_compat.cudnn_arguments_ok(la) for la in _recurrent_layers(model))
    relu = keras.layers.LSTM(2, activation="relu")
    before = keras.layers.GRU(2, reset_after=False)
    for layer in (relu, before):
        layer.build((None, 5, 2))
        assert _compat.cudnn_arguments_ok(layer) is False


def _masks(X):
    """The mask sklstm's network gives X: steps whose features are all NaN."""
    return ~np.all(np.isnan(X), axis=-1)


def test_pre_padded_windows_fail_tensorflows_cudnn_mask_check():
    """sklstm pads at the start; cuDNN on TensorFlow takes right padding only.

    The windows of the start of a series are NaN-padded at the start, as are
    SequencePadder's sequences by default ("pre"): their masks fail Keras'
    check, and on a GPU the compiled step stops with Keras' error. The same
    sequences padded "post" pass it.
    """
    pytest.importorskip("tensorflow")
    series = np.arange(10.0)[:, None]
    windows = SlidingWindowTransformer(sequence_length=4).fit_transform(series)
    assert _compat.cudnn_mask_ok(_masks(windows)) is False
    assert _compat.cudnn_mask_ok(_masks(windows[3:])) is True  # complete windows

    sequences = [np.arange(4.0), np.arange(2.0), np.arange(3.0)]
    pre = SequencePadder().fit_transform(sequences)
    post = SequencePadder(padding="post").fit_transform(sequences)
    assert _compat.cudnn_mask_ok(_masks(pre)) is False
    assert _compat.cudnn_mask_ok(_masks(post)) is True

    # And the mask that sklstm's network computes is that one, so its
    # recurrent layers are kept off cuDNN, which would stop on it.
    model = LSTMRegressor(units=2).initialize(pre, np.zeros(3)).model_
    mask = keras.ops.convert_to_numpy(model.get_layer("masking").compute_mask(pre))
    np.testing.assert_array_equal(mask, _masks(pre))
    assert [layer.use_cudnn for layer in _recurrent_layers(model)] == [False]


@pytest.mark.skipif(
    keras.backend.backend() != "tensorflow", reason="TensorFlow's cuDNN path"
)
def test_a_failed_mask_check_stops_a_compiled_step():
    """Inside ``tf.function`` (Keras' fit and predict) the check is an assert
    that raises when the step runs, after the layer's ``try`` has passed: no
    fallback to the generic kernel. This is the check the cuDNN path runs
    before its kernel; on CPU Keras never reaches it."""
    import tensorflow as tf

    # the module, which the package's ``rnn`` function hides
    rnn = importlib.import_module("keras.src.backend.tensorflow.rnn")

    step = tf.function(lambda mask: rnn._assert_valid_mask(mask))
    step(tf.constant([[True, True, False]]))  # right-padded: passes
    with pytest.raises(tf.errors.InvalidArgumentError, match="right-padded"):
        step(tf.constant([[False, True, True]]))
