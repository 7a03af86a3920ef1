"""How a fit's arrays reach Keras' TensorFlow trainer: few data iterators.

Keras' TensorFlow trainer reads arrays through ``tf.data`` iterators, and
making one costs about as much as an epoch of training on small data.
:func:`epoch_steps` lets ``fit`` keep one training iterator from epoch to
epoch, :func:`seeded_shuffle_data` one for the whole of a seeded fit of
shuffled arrays, and :func:`validation_callbacks` one validation iterator for
the whole fit (:class:`sklstm._callbacks.ValidateFromOneIterator`). All three
leave the batches, and so the weights and ``val_loss``, the same to the bit;
``docs/user_guide/speed.rst`` has the measurements.
"""

import numpy as np

from ._backend import backend_name
from ._streaming import split_at

__all__ = [
    "batches_per_epoch",
    "epoch_steps",
    "one_validation_iterator",
    "seeded_shuffle_data",
    "validation_callbacks",
]

# Arguments of a user's (``fit__...``) that leave the batches to Keras.
_KERAS_BATCHING = (
    "validation_data",
    "validation_steps",
    "validation_batch_size",
    "steps_per_epoch",
    "class_weight",
)


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


def seeded_shuffle_data(X, y, sample_weight, kwargs, steps_per_execution):
    """``fit`` arguments that feed a seeded fit of shuffled arrays on
    TensorFlow from one ``tf.data`` iterator, or None to leave them to Keras.

    Keras' TensorFlow pipeline for arrays draws each epoch's order with
    ``tf.random.shuffle`` in a new iterator. Under TensorFlow's global seed
    (which every fit with a ``random_state`` sets) each new iterator draws
    the same permutation again: every epoch sees the batches in one order.
    :func:`repeated_permutation_batches` builds that pipeline, draws the
    permutation once and repeats it without end, so ``fit`` keeps one
    iterator for the whole fit (Keras makes one an epoch) and the batches,
    and so the weights, are the same to the bit. The held-out rows of
    ``validation_split`` are the last ones, as Keras keeps them, validated
    from one iterator (:func:`one_validation_iterator`).

    None (Keras' own pipeline) for another backend, no global seed (each
    epoch is then permuted anew), unshuffled data, arguments of the user's
    that batch the data themselves (routed, even as None), or a compiled
    call of several batches (``steps_per_execution``) that does not divide
    an epoch's batches: its last call would run on into the next epoch.
    """
    from ._compat import tf_global_seed

    arrays = (X, y) if sample_weight is None else (X, y, sample_weight)
    if (
        backend_name() != "tensorflow"
        or kwargs.get("shuffle") is not True
        or tf_global_seed() is None
        or not all(isinstance(a, np.ndarray) for a in arrays)
        or any(name in kwargs for name in _KERAS_BATCHING)
    ):
        return None
    batch_size, split = kwargs["batch_size"], kwargs.get("validation_split")
    n_train = split_at(len(X), split)
    n_batches = batches_per_epoch(len(X), split, batch_size)
    if n_train == 0 or n_batches % steps_per_execution:
        return None
    kwargs = {
        key: value
        for key, value in kwargs.items()
        if key not in ("validation_split", "batch_size")
    }
    kwargs["shuffle"] = False  # the pipeline orders the rows
    kwargs["steps_per_epoch"] = n_batches
    if n_train < len(X):
        held_out = tuple(a[n_train:] for a in arrays)
        kwargs["validation_data"] = held_out
        kwargs["validation_batch_size"] = batch_size
        kwargs["callbacks"] = [
            *kwargs["callbacks"],
            *one_validation_iterator(*(*held_out, None)[:3], batch_size),
        ]
    train = tuple(a[:n_train] for a in arrays)
    return {"x": repeated_permutation_batches(train, batch_size), **kwargs}


def repeated_permutation_batches(arrays, batch_size):
    """Keras' ``tf.data`` pipeline of shuffled array batches, with the
    epoch's permutation drawn once and repeated without end
    (:func:`seeded_shuffle_data`).

    The permutation is drawn as Keras draws it (``ArrayDataAdapter``): the
    same ops in a dataset function of the same shape, so that under a global
    seed the operation seed, and so the permutation, are Keras'.
    """
    import tensorflow as tf

    num_samples = len(arrays[0])
    num_full_batches = num_samples // batch_size
    partial_batch_size = num_samples % batch_size

    def permutation(_):
        indices = tf.range(num_samples, dtype=tf.int64)
        indices = tf.random.shuffle(indices)
        return indices

    def slice_batch_indices(indices):
        num_in_full_batch = num_full_batches * batch_size
        first_k_indices = tf.slice(indices, [0], [num_in_full_batch])
        first_k_indices = tf.reshape(first_k_indices, [num_full_batches, batch_size])
        flat_dataset = tf.data.Dataset.from_tensor_slices(first_k_indices)
        if partial_batch_size:
            remainder = tf.slice(indices, [num_in_full_batch], [partial_batch_size])
            flat_dataset = flat_dataset.concatenate(
                tf.data.Dataset.from_tensors(remainder)
            )
        return flat_dataset

    indices = tf.data.Dataset.range(1).map(permutation).cache().repeat()
    indices = indices.flat_map(slice_batch_indices)
    data = tf.data.Dataset.from_tensors(tuple(arrays)).repeat()

    def gather(batch, data):
        return tuple(tf.gather(array, batch, axis=0) for array in data)

    dataset = tf.data.Dataset.zip((indices, data)).map(
        gather, num_parallel_calls=tf.data.AUTOTUNE
    )
    options = tf.data.Options()
    options.experimental_optimization.apply_default_optimizations = False
    options.experimental_external_state_policy = (
        tf.data.experimental.ExternalStatePolicy.IGNORE
    )
    options.experimental_distribute.auto_shard_policy = (
        tf.data.experimental.AutoShardPolicy.DATA
    )
    return dataset.with_options(options).prefetch(tf.data.AUTOTUNE)
