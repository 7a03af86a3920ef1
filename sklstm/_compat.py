"""Every use of Keras' and TensorFlow's private internals, in one place.

sklstm reaches below the public API of Keras and TensorFlow only here, and each
use is pinned by ``tests/test_compat.py``, which fails loudly when an upgrade
removes or renames what it relies on. Where an internal has gone, the
functions below return None, and their callers fall back to the public path
(slower or less complete, never wrong).
"""

import contextlib
import importlib
import sys

__all__ = [
    "compile_metrics",
    "cudnn_arguments_ok",
    "cudnn_mask_ok",
    "flatten_layers",
    "get_keras_seed_state",
    "gradient_registry",
    "keep_validation_iterator",
    "load_model_from_fileobj",
    "save_model_to_fileobj",
    "set_keras_seed_state",
    "symbolic_build",
    "tensorflow_left_unimported",
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


@contextlib.contextmanager
def tensorflow_left_unimported(backend):
    """Keep Keras from importing TensorFlow in the block, on another backend.

    Keras asks whether TensorFlow is installed, importing it, before it seeds
    (``keras.utils.set_random_seed`` seeds TensorFlow's ``tf.data`` too) and
    whenever it serialises an object (``get_config`` checks for TensorFlow's
    shapes and types): 2.4 s on a 2-core machine, most of a first fit on JAX
    in a new process, such as each ``n_jobs`` worker of a search. While
    TensorFlow is not imported, nothing can be a TensorFlow object, and
    sklstm's fits on JAX and PyTorch shuffle with NumPy; so for the block
    Keras' lazy TensorFlow module reports itself unavailable. Once anything
    has imported TensorFlow, or on the TensorFlow backend, nothing changes.
    """
    from keras.src.utils import module_utils

    lazy = getattr(module_utils, "tensorflow", None)
    if (
        backend == "tensorflow"
        or "tensorflow" in sys.modules
        or getattr(lazy, "_available", True) is not None
    ):
        yield
        return
    lazy._available = False
    try:
        yield
    finally:
        lazy._available = None


def tf_global_seed():
    """TensorFlow's global seed as set by ``tf.random.set_seed``, or None."""
    try:
        from tensorflow.python.eager import context

        return context.global_seed()
    except (ImportError, AttributeError):
        return None


def keep_validation_iterator(model, x, y, sample_weight, batch_size):
    """Serve every validation pass of a TensorFlow ``fit`` from one iterator.

    Keras' TensorFlow ``evaluate`` drops the ``tf.data`` iterator of the
    validation batches it kept, makes a new one, and at the end of the pass
    makes another for a next pass that drops it again: two iterators for
    every epoch, at 25 ms each on this project's 2-core machines, as much as
    the epoch's training on small data. Called from a callback's
    ``on_train_begin`` (after ``fit`` has split off the validation rows and
    cleared its own iterator), this installs an epoch iterator whose
    ``tf.data`` iterator runs over the validation batches repeated without
    end and is kept between passes: the same batches in the same order
    through the same compiled step, so ``val_loss`` is the same to the bit.

    Returns False, and leaves Keras its own iterator, where the internals
    are missing, or where a compiled call runs several batches
    (``steps_per_execution``) that do not divide a pass: the last call would
    run on into the next pass's batches.
    """
    try:
        from keras.src.backend.tensorflow.trainer import TFEpochIterator
    except ImportError:
        return False
    steps = getattr(model, "steps_per_execution", 1) or 1
    if not hasattr(model, "_eval_epoch_iterator") or not hasattr(
        TFEpochIterator, "_get_iterator"
    ):
        return False
    iterator = TFEpochIterator(
        x=x,
        y=y,
        sample_weight=sample_weight,
        batch_size=batch_size,
        shuffle=False,
        distribute_strategy=model.distribute_strategy,
        steps_per_execution=steps,
    )
    n_batches = iterator.num_batches
    if not n_batches or n_batches % steps:
        return False
    model._eval_epoch_iterator = _kept_iterator(iterator, n_batches, model)
    return True


def _kept_iterator(iterator, n_batches, model):
    """``iterator`` turned into one that keeps its ``tf.data`` iterator."""
    dataset = iterator.data_adapter.get_tf_dataset().repeat()
    iterator._distributed_dataset = (
        model.distribute_strategy.experimental_distribute_dataset(dataset)
    )
    # A known number of steps, and no number of batches to run out of: the
    # iterator is made once and never remade.
    iterator.steps_per_epoch = n_batches
    iterator._num_batches = None

    def reset():
        iterator._steps_seen = 0
        iterator._epoch_iterator = None

    iterator.reset = reset
    return iterator


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
    import keras
    from keras.src.saving import saving_lib

    with tensorflow_left_unimported(keras.backend.backend()):
        saving_lib._save_model_to_fileobj(model, fileobj, "h5")


def load_model_from_fileobj(fileobj, *, safe_mode):
    """Read a model written by :func:`save_model_to_fileobj`, compiled."""
    import keras
    from keras.src.saving import saving_lib

    with tensorflow_left_unimported(keras.backend.backend()):
        return saving_lib._load_model_from_fileobj(
            fileobj, custom_objects=None, compile=True, safe_mode=safe_mode
        )


def cudnn_arguments_ok(layer):
    """Keras' own test of an ``LSTM`` or ``GRU`` layer's arguments for cuDNN.

    The test TensorFlow's backend applies before it runs the cuDNN kernel
    (``keras.src.backend.tensorflow.rnn``): tanh activation, sigmoid
    recurrent activation, no unrolling, a bias and, for a GRU,
    ``reset_after``. It is the test without its last clause, whether a GPU is
    present, so that it can be asked on any machine. JAX's backend asks the
    same of an LSTM (``keras.src.backend.jax.rnn.cudnn_ok``), but only in one
    expression with its test for a GPU. Returns None without TensorFlow.
    """
    try:
        rnn = importlib.import_module("keras.src.backend.tensorflow.rnn")
    except ImportError:
        return None
    cell = layer.cell
    arguments = (cell.activation, cell.recurrent_activation, layer.unroll)
    if hasattr(cell, "reset_after"):
        return bool(
            rnn._do_gru_arguments_support_cudnn(
                *arguments, cell.use_bias, cell.reset_after
            )
        )
    return bool(rnn._do_lstm_arguments_support_cudnn(*arguments, cell.use_bias))


def cudnn_mask_ok(mask):
    """Whether TensorFlow's cuDNN path accepts a boolean mask (batch, steps).

    Keras' own checks (``_is_sequence_right_padded`` and
    ``_has_fully_masked_sequence``): every row right-padded, none fully
    masked. On a GPU a mask that fails them stops the compiled step with
    Keras' ``InvalidArgumentError`` ("You are passing a RNN mask that does
    not correspond to right-padded sequences, while using cuDNN"). Returns
    None without TensorFlow.
    """
    try:
        import tensorflow as tf

        rnn = importlib.import_module("keras.src.backend.tensorflow.rnn")
    except ImportError:
        return None
    mask = tf.convert_to_tensor(mask, dtype=tf.bool)
    right_padded = bool(rnn._is_sequence_right_padded(mask))
    return right_padded and not bool(rnn._has_fully_masked_sequence(mask))
