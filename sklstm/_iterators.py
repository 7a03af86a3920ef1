"""How a fit's arrays reach Keras' TensorFlow trainer: few data iterators.

Keras' TensorFlow trainer reads arrays through ``tf.data`` iterators, and
making one costs about as much as an epoch of training on small data.
:func:`reshuffled_fit_data` feeds shuffled arrays through a pipeline that
permutes every epoch anew (Keras' repeats one permutation in a seeded fit)
and keeps one iterator for the whole fit; for unshuffled arrays,
:func:`epoch_steps` lets ``fit`` keep one training iterator from epoch to
epoch; :func:`validation_callbacks` keeps one validation iterator for the
whole fit (:class:`sklstm._callbacks.ValidateFromOneIterator`). The last two
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
    "reshuffled_fit_data",
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


def reshuffled_fit_data(X, y, sample_weight, kwargs, seed, steps_per_execution):
    """``fit`` arguments that feed arrays on TensorFlow, permuted every epoch.

    Keras' TensorFlow pipeline for arrays draws each epoch's permutation with
    ``tf.random.shuffle``, whose seed comes from TensorFlow's global seed:
    in a seeded fit (every fit with a ``random_state``) each epoch's new
    iterator draws the same permutation again, so every epoch sees the same
    batches. Here the permutation comes from a ``tf.random.Generator``
    seeded with the fit's ``seed`` (``None``: from the operating system),
    which advances from epoch to epoch: each epoch is permuted anew, and a
    fit is reproducible. The batches are gathered as Keras gathers them.

    When the compiled call's ``steps_per_execution`` divides an epoch's
    batches, the pipeline repeats without end and ``fit`` keeps one
    iterator for the whole fit; otherwise (a call would run on into the next
    epoch) it makes one an epoch. The held-out rows of ``validation_split``
    are the last ones, as Keras keeps them; they are validated from one
    iterator (:func:`one_validation_iterator`). Returns ``None`` (leave the
    arrays to Keras) for another backend, unshuffled or streamed data, or
    where the user routed arguments that batch the data themselves.
    """
    arrays = (X, y) if sample_weight is None else (X, y, sample_weight)
    if (
        backend_name() != "tensorflow"
        or kwargs.get("shuffle") is not True
        or not all(isinstance(a, np.ndarray) for a in arrays)
        or any(kwargs.get(name) is not None for name in _KERAS_BATCHING)
    ):
        return None
    batch_size = kwargs["batch_size"]
    n_train = split_at(len(X), kwargs.get("validation_split"))
    if n_train == 0:
        return None  # Keras says that the split leaves nothing to train on
    n_batches = -(-n_train // batch_size)
    endless = n_batches % steps_per_execution == 0
    kwargs = {
        key: value
        for key, value in kwargs.items()
        if key not in ("validation_split", "batch_size", "shuffle")
    }
    kwargs["shuffle"] = False  # the pipeline permutes the rows
    if endless:
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
    dataset = _permuted_batches(train, batch_size, seed, endless)
    return {"x": dataset, **kwargs}


def _permuted_batches(arrays, batch_size, seed, endless):
    """A ``tf.data`` pipeline of the batches of ``arrays``, in a new order
    every epoch (:func:`reshuffled_fit_data`)."""
    import tensorflow as tf

    n_rows = len(arrays[0])
    n_full = n_rows // batch_size
    if seed is None:
        generator = tf.random.Generator.from_non_deterministic_state()
    else:
        generator = tf.random.Generator.from_seed(int(seed))

    def epoch_batches(_):
        order = tf.argsort(generator.uniform_full_int([n_rows], dtype=tf.int64))
        order = tf.cast(order, tf.int64)
        full = tf.reshape(order[: n_full * batch_size], [n_full, batch_size])
        batches = tf.data.Dataset.from_tensor_slices(full)
        if n_rows > n_full * batch_size:
            rest = tf.data.Dataset.from_tensors(order[n_full * batch_size :])
            batches = batches.concatenate(rest)
        return batches

    indices = tf.data.Dataset.range(1)
    if endless:
        indices = indices.repeat().flat_map(epoch_batches)
    else:  # Keras then counts an epoch's batches, as it does for arrays
        n_batches = -(-n_rows // batch_size)
        indices = indices.flat_map(epoch_batches).apply(
            tf.data.experimental.assert_cardinality(n_batches)
        )
    data = tf.data.Dataset.from_tensors(tuple(arrays)).repeat()

    def gather(batch, data):
        return tuple(tf.gather(array, batch, axis=0) for array in data)

    dataset = tf.data.Dataset.zip((indices, data)).map(
        gather, num_parallel_calls=tf.data.AUTOTUNE, deterministic=True
    )
    options = tf.data.Options()
    options.experimental_optimization.apply_default_optimizations = False
    return dataset.with_options(options).prefetch(tf.data.AUTOTUNE)
