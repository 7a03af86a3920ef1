"""Reproducible fits that leave the caller's global random state untouched."""

import contextlib
import random
import sys

import numpy as np
from sklearn.utils import check_random_state

from ._backend import import_keras
from ._compat import (
    get_keras_seed_state,
    set_keras_seed_state,
    tensorflow_left_unimported,
    tf_global_seed,
)

__all__ = ["seed_from_random_state", "seeded"]

_MAX_SEED = 2**31 - 1


def seed_from_random_state(random_state):
    """Turn an sklearn-style ``random_state`` into an int seed, or None.

    An int is used as it is; a ``RandomState`` instance gives a new seed on
    every call (so successive fits differ, as scikit-learn's estimators do);
    None means unseeded.
    """
    if random_state is None:
        return None
    if isinstance(random_state, (int, np.integer)):
        return int(random_state)
    return int(check_random_state(random_state).randint(_MAX_SEED))


@contextlib.contextmanager
def seeded(seed):
    """Seed Python, NumPy, Keras and TensorFlow for the block, then restore them.

    ``keras.utils.set_random_seed`` seeds everything a Keras fit draws from:
    weight initialisers (seeded from Python's ``random``), dropout (Keras'
    global ``SeedGenerator``) and the shuffling of the training data (TF's
    global seed, or NumPy's on the other backends). It changes those settings
    for the whole process; this context manager saves them first and puts them
    back afterwards, so the caller sees no change. Op determinism
    (``tf.config.experimental.enable_op_determinism``) is never touched: the
    CPU kernels used by recurrent layers are deterministic already.

    With ``seed=None`` nothing is seeded or restored. On a backend other than
    TensorFlow, Keras does not import TensorFlow inside the block
    (:func:`sklstm._compat.tensorflow_left_unimported`).
    """
    keras = import_keras()
    with tensorflow_left_unimported(keras.backend.backend()):
        if seed is None:
            yield
            return
        with _seeded(keras, seed):
            yield


@contextlib.contextmanager
def _seeded(keras, seed):
    python_state = random.getstate()
    numpy_state = np.random.get_state()
    keras_state = get_keras_seed_state()
    tf_seed = tf_global_seed() if "tensorflow" in sys.modules else None
    torch_state = None
    if keras.backend.backend() == "torch":
        import torch

        torch_state = torch.random.get_rng_state()
    try:
        keras.utils.set_random_seed(seed)
        yield
    finally:
        random.setstate(python_state)
        np.random.set_state(numpy_state)
        set_keras_seed_state(keras_state)
        tf = sys.modules.get("tensorflow")
        if tf is not None:
            tf.random.set_seed(tf_seed)
        if torch_state is not None:
            import torch

            torch.random.set_rng_state(torch_state)
