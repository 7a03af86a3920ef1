"""Predicting with a fitted network: the fast paths, their caches, their release.

A fitted estimator owns its network's compiled steps
(:func:`sklstm._reuse.set_model`): they are kept for the next fit of the same
architecture or dropped when the estimator goes or is refitted, so that a loop
of fits does not keep every network's compiled code alive.
"""

import threading
import weakref

import numpy as np

from ._backend import backend_name
from ._streaming import as_batch

__all__ = [
    "DERIVED_MODELS",
    "predict_in_chunks",
    "predict_padded",
    "release_compiled_functions",
]

# Rows passed to the network in one call.
PREDICT_CHUNK = 8192
# Batches are padded to a multiple of this many rows (see predict_padded).
ROW_MULTIPLE = 16

_PREDICT_LOCK = threading.Lock()
_JAX_PREDICT_LOCK = threading.Lock()
# TensorFlow: model -> {(input shape, dtype): concrete predict function}
_TF_PREDICT_FUNCTIONS = weakref.WeakKeyDictionary()
# Network -> networks built on its layers (the autoencoder's encoder, decoder).
DERIVED_MODELS = weakref.WeakKeyDictionary()


def predict_in_chunks(model, X):
    """``model``'s outputs for X, in chunks of ``PREDICT_CHUNK`` rows.

    Only one chunk of X is copied at a time (to a C-contiguous float32 array,
    when it is not one): a strided view of windows or a memory-mapped X is
    never copied whole.
    """
    outputs = [
        predict_padded(model, X[start : start + PREDICT_CHUNK])
        for start in range(0, len(X), PREDICT_CHUNK)
    ]
    return np.concatenate(outputs, axis=0)


def predict_padded(model, X):
    """Predict a batch padded to a multiple of ``ROW_MULTIPLE`` rows.

    The CPU kernels vectorise over rows and treat a remainder of rows with
    other code, which rounds differently in the last bit. Padding the batch
    makes every row take the vectorised path, so a row's prediction does not
    depend on its position or on the other rows of the batch. Floats reach
    the network as a C-contiguous float32 array.
    """
    X = as_batch(X)
    n = len(X)
    pad = (-n) % ROW_MULTIPLE
    if pad:
        X = np.concatenate([X, np.zeros((pad,) + X.shape[1:], dtype=X.dtype)])
    backend = backend_name()
    if backend == "tensorflow":
        function = _tf_predict_function(model, X)
        if function is not None:
            import tensorflow as tf

            return function(tf.constant(X)).numpy()[:n]
    # Keras' own compiled predict step, built once even when threads call
    # predict on a fresh model together.
    if getattr(model, "predict_function", None) is None:
        with _PREDICT_LOCK:
            if getattr(model, "predict_function", None) is None:
                model.make_predict_function()
    if backend == "jax":
        # Keras' JAX predict step donates the variables' buffers and writes
        # new ones back, so two threads predicting at once would each find
        # the other's buffers deleted. One prediction at a time.
        with _JAX_PREDICT_LOCK:
            return np.asarray(model.predict_on_batch(X))[:n]
    return np.asarray(model.predict_on_batch(X))[:n]


def _tf_predict_function(model, X):
    """A concrete TensorFlow function computing ``model(X, training=False)``.

    ``predict_on_batch`` computes the same graph, but each call first matches
    its arguments against the signatures of a polymorphic ``tf.function`` and
    goes through the distribution-strategy wrappers: half the time of a
    one-row prediction of a small network. A concrete function traced once per
    model and input shape skips both; its outputs are those of
    ``predict_on_batch``, bit for bit. A model compiled with
    ``jit_compile=True`` gets an XLA-compiled function, as Keras' own predict
    does, with results that differ from the uncompiled ones in the last bits.
    Returns None, and the caller falls back to ``predict_on_batch``, for a
    model whose output is not one tensor.
    """
    key = (X.shape[1:], X.dtype.str)
    functions = _TF_PREDICT_FUNCTIONS.get(model)
    if functions is not None and key in functions:
        return functions[key]
    with _PREDICT_LOCK:
        functions = _TF_PREDICT_FUNCTIONS.setdefault(model, {})
        if key not in functions:
            import tensorflow as tf

            # A weak reference: the traced function holds the variables it
            # reads, not the model, so that the cache does not keep it alive.
            model_ref = weakref.ref(model)
            spec = tf.TensorSpec((None, *X.shape[1:]), tf.as_dtype(X.dtype))
            traced = tf.function(
                lambda x: model_ref()(x, training=False),
                input_signature=[spec],
                autograph=False,
                jit_compile=bool(getattr(model, "jit_compile", False)),
            ).get_concrete_function()
            if not tf.is_tensor(traced.structured_outputs):
                traced = None
            functions[key] = traced
    return functions[key]


def release_compiled_functions(model):
    """Drop the compiled training, evaluation and prediction steps of ``model``.

    Each step holds a reference back to its network, so a dropped network and
    its compiled code form a reference cycle that only a full garbage
    collection frees, and full collections are rare in a process that holds a
    backend. On JAX the compiled steps are XLA executables of several
    megabytes, outside Python's accounting. Dropping the steps when the
    estimator goes frees them at once (measurements in
    ``docs/user_guide/speed.rst``). A network still used elsewhere compiles
    its steps again on its next ``fit`` or ``predict``, as Keras does after
    ``compile``.
    """
    for name in ("train_function", "test_function", "predict_function"):
        if getattr(model, name, None) is not None:
            setattr(model, name, None)
    _TF_PREDICT_FUNCTIONS.pop(model, None)
    for derived in DERIVED_MODELS.pop(model, ()):
        release_compiled_functions(derived)
