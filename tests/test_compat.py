"""Each private Keras / TensorFlow internal that sklstm uses, pinned.

``sklstm/_compat.py`` is the only module that reaches below the public API. If
a Keras or TensorFlow upgrade removes or renames one of these internals, the
test naming it fails here, before a user meets a slower or broken fit.
"""

import io

import keras
import numpy as np
import pytest

from sklstm import _compat

BACKEND = keras.backend.backend()


def _compiled_model(metrics=None):
    inputs = keras.Input((3, 1))
    outputs = keras.layers.Dense(1)(keras.layers.LSTM(2)(inputs))
    model = keras.Model(inputs, outputs)
    model.compile(optimizer="adam", loss="mse", metrics=metrics)
    return model


@pytest.mark.skipif(BACKEND != "tensorflow", reason="TensorFlow's registry")
def test_gradient_registry_is_a_dict_of_gradient_functions():
    import tensorflow  # noqa: F401

    registry = _compat.gradient_registry()
    assert isinstance(registry, dict)
    assert "MatMul" in registry


def test_gradient_registry_is_none_without_tensorflow_ops(monkeypatch):
    import sys

    monkeypatch.delitem(sys.modules, "tensorflow.python.framework.ops", raising=False)
    assert _compat.gradient_registry() is None


@pytest.mark.skipif(BACKEND != "tensorflow", reason="TensorFlow's global seed")
def test_tf_global_seed_reads_what_set_seed_wrote():
    import tensorflow as tf

    before = _compat.tf_global_seed()
    try:
        tf.random.set_seed(1234)
        assert _compat.tf_global_seed() == 1234
    finally:
        tf.random.set_seed(before)


def test_compile_metrics_flatten_layers_and_symbolic_build():
    model = _compiled_model(metrics=["mae"])
    metrics = _compat.compile_metrics(model)
    assert metrics is not None and not metrics.built
    layers = _compat.flatten_layers(model, include_self=False)
    names = [type(layer).__name__ for layer in layers]
    assert {"LSTM", "LSTMCell", "Dense"} <= set(names)  # nested layers included
    assert _compat.flatten_layers(model)[0] is model
    build = _compat.symbolic_build(model)
    X, y = np.zeros((1, 3, 1), np.float32), np.zeros((1, 1), np.float32)
    build(data_batch=(X, y, None))
    assert metrics.built and model.optimizer.built


def test_keras_seed_state_round_trips():
    state = _compat.get_keras_seed_state()
    try:
        keras.utils.set_random_seed(5)
        assert _compat.get_keras_seed_state() != state
    finally:
        _compat.set_keras_seed_state(state)
    assert _compat.get_keras_seed_state() == state


def test_model_file_objects_round_trip_bit_for_bit():
    model = _compiled_model()
    X = np.random.RandomState(0).normal(size=(4, 3, 1)).astype(np.float32)
    buffer = io.BytesIO()
    _compat.save_model_to_fileobj(model, buffer)
    loaded = _compat.load_model_from_fileobj(
        io.BytesIO(buffer.getvalue()), safe_mode=True
    )
    assert loaded.compiled
    np.testing.assert_array_equal(
        np.asarray(loaded.predict_on_batch(X)), np.asarray(model.predict_on_batch(X))
    )


def test_loading_a_lambda_layer_in_safe_mode_is_refused():
    inputs = keras.Input((3, 1))
    outputs = keras.layers.Lambda(lambda x: x * 2.0)(inputs)
    model = keras.Model(inputs, outputs)
    buffer = io.BytesIO()
    _compat.save_model_to_fileobj(model, buffer)
    with pytest.raises(ValueError, match="(?i)lambda"):
        _compat.load_model_from_fileobj(io.BytesIO(buffer.getvalue()), safe_mode=True)


def test_cudnn_predicates_are_keras_own():
    """Keras' argument test for cuDNN, and its mask test, answer as documented
    (the conditions sklstm's networks meet: ``tests/test_scaling.py``)."""
    pytest.importorskip("tensorflow")
    lstm, relu = keras.layers.LSTM(2), keras.layers.LSTM(2, activation="relu")
    gru, old_gru = keras.layers.GRU(2), keras.layers.GRU(2, reset_after=False)
    for layer in (lstm, relu, gru, old_gru):
        layer.build((None, 3, 1))
    assert _compat.cudnn_arguments_ok(lstm) is True
    assert _compat.cudnn_arguments_ok(gru) is True
    assert _compat.cudnn_arguments_ok(relu) is False
    assert _compat.cudnn_arguments_ok(old_gru) is False
    assert _compat.cudnn_mask_ok(np.array([[True, True, False]])) is True
    assert _compat.cudnn_mask_ok(np.array([[False, True, True]])) is False
    assert _compat.cudnn_mask_ok(np.array([[False, False, False]])) is False


def test_no_other_module_reaches_private_internals():
    import pathlib
    import re

    pattern = re.compile(
        r"keras\.src|tensorflow\.python|_gradient_registry|_compile_metrics|"
        r"_flatten_layers|_symbolic_build|saving_lib"
    )
    package = pathlib.Path(_compat.__file__).parent
    offenders = [
        str(path.relative_to(package))
        for path in package.rglob("*.py")
        if path.name != "_compat.py" and pattern.search(path.read_text())
    ]
    assert offenders == []


@pytest.mark.skipif(BACKEND != "tensorflow", reason="TensorFlow's epoch iterator")
def test_kept_validation_iterator_serves_the_same_batches_every_pass():
    model = _compiled_model()
    x = np.linspace(0, 1, 30, dtype="float32").reshape(10, 3, 1)
    y = x[:, -1, :]
    model.fit(x, y, epochs=1, verbose=0)  # fit leaves the attribute it reads
    assert _compat.keep_validation_iterator(model, x, y, None, 4)
    kept = model._eval_epoch_iterator
    expected = model.evaluate(x, y, batch_size=4, verbose=0)
    for _ in range(3):
        assert model.evaluate(verbose=0, _use_cached_eval_dataset=True) == expected
    assert kept.steps_per_epoch == 3
    model.steps_per_execution = 2  # 3 batches a pass: a call would run over
    assert not _compat.keep_validation_iterator(model, x, y, None, 4)


def test_keras_lazy_tensorflow_module_is_left_unimported_on_other_backends():
    """Keras' lazy TensorFlow module keeps ``_available``; the context sets it
    only where TensorFlow is not imported and the backend is another."""
    import sys

    from keras.src.utils import module_utils

    lazy = module_utils.tensorflow
    assert isinstance(lazy, module_utils.LazyModule)
    assert hasattr(lazy, "_available")
    before = lazy._available
    with _compat.tensorflow_left_unimported("tensorflow"):
        assert lazy._available is before  # the TensorFlow backend: untouched
    if "tensorflow" not in sys.modules and before is None:
        with _compat.tensorflow_left_unimported("jax"):
            assert lazy.available is False
        assert lazy._available is None


FIT_WITHOUT_TENSORFLOW = """
import pickle
import sys
import numpy as np
from sklstm import LSTMClassifier, LSTMRegressor
X = np.random.RandomState(0).normal(size=(40, 5, 1)).astype("float32")
y = X[:, -1, 0]
for random_state in (0, None):
    LSTMRegressor(units=2, epochs=2, random_state=random_state).fit(X, y).score(X, y)
clf = LSTMClassifier(units=2, epochs=2, random_state=0).fit(X, y > 0)
copy = pickle.loads(pickle.dumps(clf))
assert (copy.predict(X) == clf.predict(X)).all()
print("tensorflow imported:", "tensorflow" in sys.modules)
"""


def test_fits_on_jax_do_not_import_tensorflow():
    """A first fit on JAX in a new process (each n_jobs worker of a search)
    does not pay TensorFlow's import, which Keras would make to seed it and
    to serialise a network's configuration; nor does pickling the network."""
    import os
    import subprocess
    import sys

    pytest.importorskip("jax")
    env = {**os.environ, "KERAS_BACKEND": "jax", "SKLSTM_JAX_CACHE": "0"}
    result = subprocess.run(
        [sys.executable, "-c", FIT_WITHOUT_TENSORFLOW],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    assert "tensorflow imported: False" in result.stdout
