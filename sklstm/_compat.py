"""Every use of Keras' and TensorFlow's private internals, in one place.

sklstm reaches below the public API of Keras and TensorFlow only here, and each
use is pinned by ``tests/test_compat.py``, which fails loudly when an upgrade
removes or renames what it relies on. Where an internal has gone, the
functions below return None, and their callers fall back to the public path
(slower or less complete, never wrong).
"""

import sys

__all__ = [
    "compile_metrics",
    "flatten_layers",
    "get_keras_seed_state",
    "gradient_registry",
    "load_model_from_fileobj",
    "save_model_to_fileobj",
    "set_keras_seed_state",
    "symbolic_build",
    "tf_global_seed",
    "unsafe_deserialization_enabled",
]


def gradient_registry():
    """TensorFlow's process-wide gradient registry (a dict), or None.

    None when TensorFlow is not imported (another backend) or keeps no such
    registry.
    """
    tf_ops = sys.modules.get("tensorflow.python.framework.ops")
    if tf_ops is None:
        return None
    gradients = getattr(tf_ops, "_gradient_registry", None)
    registry = getattr(gradients, "_registry", None)
    return registry if isinstance(registry, dict) else None


def tf_global_seed():
    """TensorFlow's global seed as set by ``tf.random.set_seed``, or None."""
    try:
        from tensorflow.python.eager import context

        return context.global_seed()
    except (ImportError, AttributeError):
        return None


def compile_metrics(model):
    """The metrics container that ``compile`` made, or None."""
    return getattr(model, "_compile_metrics", None)


def compile_loss(model):
    """The loss container that ``compile`` made, or None."""
    return getattr(model, "_compile_loss", None)


def flatten_layers(model, *, include_self=True):
    """Every layer of ``model``, nested ones included, or None."""
    flatten = getattr(model, "_flatten_layers", None)
    if flatten is None:
        return None
    return list(flatten(include_self=include_self))


def symbolic_build(model):
    """Keras' symbolic build of a compiled model's training state, or None."""
    return getattr(model, "_symbolic_build", None)


def get_keras_seed_state():
    """Keras' global seed and seed generator, to put back later."""
    from keras.src.backend.common import global_state
    from keras.src.random import seed_generator
    from keras.src.utils import rng_utils

    return (
        global_state.get_global_attribute(rng_utils.GLOBAL_RANDOM_SEED),
        global_state.get_global_attribute(seed_generator.GLOBAL_SEED_GENERATOR),
    )


def set_keras_seed_state(state):
    """Put back what :func:`get_keras_seed_state` returned."""
    from keras.src.backend.common import global_state
    from keras.src.random import seed_generator
    from keras.src.utils import rng_utils

    seed, generator = state
    global_state.set_global_attribute(rng_utils.GLOBAL_RANDOM_SEED, seed)
    global_state.set_global_attribute(seed_generator.GLOBAL_SEED_GENERATOR, generator)


def unsafe_deserialization_enabled():
    """True once the user called ``keras.config.enable_unsafe_deserialization()``."""
    from keras.src.saving import serialization_lib

    return serialization_lib.in_safe_mode() is False


def save_model_to_fileobj(model, fileobj):
    """Write ``model`` as a ``.keras`` archive into an open binary file."""
    from keras.src.saving import saving_lib

    saving_lib._save_model_to_fileobj(model, fileobj, "h5")


def load_model_from_fileobj(fileobj, *, safe_mode):
    """Read a model written by :func:`save_model_to_fileobj`, compiled."""
    from keras.src.saving import saving_lib

    return saving_lib._load_model_from_fileobj(
        fileobj, custom_objects=None, compile=True, safe_mode=safe_mode
    )
