"""How a fit's arrays reach Keras' TensorFlow trainer: few data iterators.

Keras' TensorFlow trainer reads arrays through ``tf.data`` iterators, and
making one costs about as much as an epoch of training on small data.
:func:`epoch_steps` lets ``fit`` keep one training iterator from epoch to
epoch, and :func:`validation_callbacks` one validation iterator for the whole
fit (:class:`sklstm._callbacks.ValidateFromOneIterator`). Both leave the
batches, and so the weights and ``val_loss``, the same to the bit;
``docs/user_guide/speed.rst`` has the measurements.
"""

import numpy as np

from ._backend import backend_name
from ._streaming import split_at

__all__ = [
    "batches_per_epoch",
    "epoch_steps",
    "one_validation_iterator",
    "validation_callbacks",
]


def batches_per_epoch(n_samples, validation_split, batch_size):
    """Training batches per epoch, the rows counted as Keras counts them."""
    return -(-max(split_at(n_samples, validation_split), 1) // batch_size)


def validation_callbacks(X, y, sample_weight, kwargs):
    """The callback that validates from one iterator, in a list, or none.

    For arrays split by ``validation_split``: the held-out rows are the last
    ones, as Keras splits them. Validation of the user's own
    (``fit__validation_data``, ``_steps``, ``_batch_size``) is left to Keras.
    """
    split = kwargs.get("validation_split")
    own = ("validation_data", "validation_steps", "validation_batch_size")
    arrays = all(isinstance(a, np.ndarray) for a in (X, y))
    if not split or not arrays or any(kwargs.get(name) is not None for name in own):
        return []
    start = split_at(len(X), split)
    if start in (0, len(X)):
        return []
    weights = None if sample_weight is None else sample_weight[start:]
    return one_validation_iterator(X[start:], y[start:], weights, kwargs["batch_size"])


def one_validation_iterator(x, y, sample_weight, batch_size):
    """:class:`sklstm._callbacks.ValidateFromOneIterator` in a list on
    TensorFlow; an empty list elsewhere."""
    if backend_name() != "tensorflow":
        return []
    from ._callbacks import ValidateFromOneIterator

    return [ValidateFromOneIterator(x, y, sample_weight, batch_size)]


def epoch_steps(X, kwargs):
    """``steps_per_epoch`` for arrays on TensorFlow: one data iterator an epoch.

    Without it, Keras' TensorFlow trainer makes two ``tf.data`` iterators per
    epoch: one as the epoch starts, and one as it ends, for the next epoch,
    which then makes its own instead. Making one took 30-66 ms on a loaded
    2-core machine, which fits of many short epochs, the small-data norm, pay
    for every epoch. Given the number of batches an epoch has, Keras keeps the
    iterator it made at the end of an epoch for the next one: the same batches
    in the same order, so the weights are the same to the bit. The batches are
    counted with the fit arguments a user routed (``fit__...``); a
    ``steps_per_epoch`` of theirs wins. Other backends draw each iterator's
    shuffle from NumPy, so keeping one would change the order: they are left
    alone.
    """
    if backend_name() != "tensorflow" or not isinstance(X, np.ndarray):
        return {}
    split = kwargs.get("validation_split")
    if kwargs.get("validation_data") is not None:
        split = 0.0  # Keras then ignores validation_split
    return {"steps_per_epoch": batches_per_epoch(len(X), split, kwargs["batch_size"])}
