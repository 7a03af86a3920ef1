"""Sequences too big to copy: work in chunks of rows, train batch by batch.

``SlidingWindowTransformer`` returns its windows as a strided view in which
neighbouring windows share their rows: the view takes the memory of the series,
a copy of it ``sequence_length`` times more. A NumPy memory-mapped array stays
on disk until read. :func:`is_streamed` recognises both; for them the
estimators never copy the whole array: checks and statistics go through
:func:`row_chunks`, predictions through chunks of rows
(:func:`sklstm._inference.predict_in_chunks`) and training through
:func:`streamed_fit_data`, a ``keras.utils.PyDataset`` that gathers each
batch's rows from the array, in an order drawn from the estimator's own seeded
generator, so that a seeded fit is reproducible.
"""

import functools
import math
import mmap

import numpy as np

from ._backend import import_keras

__all__ = [
    "CHUNK_BYTES",
    "as_batch",
    "is_memory_mapped",
    "is_streamed",
    "row_chunks",
    "split_at",
    "streamed_fit_data",
]

# Bytes of float64 that one chunk of rows may take once copied.
CHUNK_BYTES = 64 * 2**20


def _base_chain(X):
    """``X``, the array it views, the array that one views, ... to the buffer."""
    chain, base = [], X
    while base is not None and all(base is not seen for seen in chain):
        chain.append(base)
        base = getattr(base, "base", None)
    return chain


def is_memory_mapped(X):
    """Whether ``X`` is (a view of) a NumPy memory-mapped array."""
    return any(isinstance(b, (np.memmap, mmap.mmap)) for b in _base_chain(X))


def _buffer_nbytes(X):
    """Bytes of the memory ``X`` views, or None if unknown."""
    root = _base_chain(X)[-1]
    if isinstance(root, np.ndarray):
        return root.nbytes
    try:
        return memoryview(root).nbytes
    except TypeError:
        return None


def is_streamed(X):
    """Whether ``X`` is a NumPy array too costly to copy whole.

    True for a memory-mapped array (copying reads the whole file into memory)
    and for a view whose elements overlap in memory, such as the windows of
    ``SlidingWindowTransformer`` (a copy would take ``sequence_length`` times
    the memory the view does). An array in memory that a copy would not
    enlarge (C- or Fortran-ordered, sliced or transposed) is not streamed:
    Keras' own input pipeline handles it.
    """
    if not isinstance(X, np.ndarray) or X.size == 0:
        return False
    if is_memory_mapped(X):
        return True
    if X.flags.c_contiguous or X.flags.f_contiguous:
        return False
    nbytes = _buffer_nbytes(X)
    return nbytes is not None and X.nbytes > nbytes


def row_chunks(X, nbytes=None):
    """``(start, stop)`` of consecutive chunks of rows of ``X``.

    Each chunk copied as float64 takes at most about ``nbytes``
    (``CHUNK_BYTES`` by default); a small ``X`` is one chunk, so that a
    computation over chunks gives the same result as over the whole array.
    """
    nbytes = CHUNK_BYTES if nbytes is None else nbytes
    n = len(X)
    row_bytes = 8 * max(int(np.prod(X.shape[1:], dtype=np.int64)), 1)
    size = max(1, nbytes // row_bytes)
    return [(start, min(start + size, n)) for start in range(0, max(n, 1), size)]


def as_batch(X, rows=None):
    """Rows ``rows`` (a slice or indices; all if None) as a C-contiguous array.

    Floats become float32, the network's input type; other types are kept.
    """
    batch = X if rows is None else X[rows]
    dtype = np.float32 if batch.dtype.kind == "f" else batch.dtype
    return np.ascontiguousarray(batch, dtype=dtype)


def split_at(n_samples, validation_split):
    """Rows kept for training before the validation split, as Keras counts."""
    return int(math.floor(n_samples * (1.0 - float(validation_split or 0.0))))


def streamed_fit_data(estimator, X, y, sample_weight, kwargs):
    """``keras.Model.fit`` arguments that feed ``X`` batch by batch.

    ``kwargs`` are the arguments :func:`sklstm._training.fit_kwargs` would pass
    with arrays. The rows are shuffled (when ``kwargs["shuffle"]``) by a
    permutation per epoch drawn from a generator seeded with the estimator's
    seed; ``validation_split`` keeps the last rows for validation, as Keras
    does with arrays, and the sample weights travel with their rows.
    """
    kwargs = dict(kwargs)
    batch_size = kwargs.pop("batch_size")
    validation_split = kwargs.pop("validation_split", 0.0)
    shuffle = kwargs.pop("shuffle", False)
    arrays = (X, y) if sample_weight is None else (X, y, sample_weight)
    n_train = len(X)
    if validation_split and kwargs.get("validation_data") is None:
        n_train = split_at(len(X), validation_split)
        if n_train in (0, len(X)):
            raise ValueError(
                f"validation_split={validation_split} leaves no sample for "
                f"{'training' if n_train == 0 else 'validation'} out of the "
                f"{len(X)} samples of X. Received: "
                f"validation_split={validation_split}"
            )
        kwargs.update(_validation_data(arrays, n_train, batch_size, kwargs))
    rng = np.random.default_rng(getattr(estimator, "_build_seed", None))
    train = row_batches(arrays, range(n_train), batch_size, rng if shuffle else None)
    return {"x": train, "shuffle": False, **kwargs}


def _validation_data(arrays, n_train, batch_size, kwargs):
    """``validation_data`` for the rows from ``n_train`` on, in a dict.

    On TensorFlow, held-out rows whose copy takes at most ``CHUNK_BYTES``
    are copied, as the batches would gather them, and validated in batches
    of ``batch_size``, so that the fit can validate them from one
    ``tf.data`` iterator (:class:`sklstm._callbacks.ValidateFromOneIterator`):
    Keras would make two for each pass over a ``PyDataset``. The batches,
    and so ``val_loss``, are the same. More rows, other backends, or a
    ``validation_steps`` or ``validation_batch_size`` of the user's: a
    ``PyDataset`` that gathers them batch by batch.
    """
    n_rows = len(arrays[0])
    copy_bytes = 4 * arrays[0][:1].size * (n_rows - n_train)
    own = {"validation_steps", "validation_batch_size"} & set(kwargs)
    tensorflow = import_keras().backend.backend() == "tensorflow"
    if not tensorflow or own or copy_bytes > CHUNK_BYTES:
        rows = range(n_train, n_rows)
        return {"validation_data": row_batches(arrays, rows, batch_size)}
    held_out = tuple(as_batch(array, slice(n_train, n_rows)) for array in arrays)
    return {"validation_data": held_out, "validation_batch_size": batch_size}


def row_batches(arrays, rows, batch_size, rng=None):
    """A ``keras.utils.PyDataset`` of batches of ``rows`` of ``arrays``.

    With a NumPy generator ``rng`` the rows are permuted anew for each epoch;
    without one they come in order.
    """
    return _row_batches_class()(arrays, rows, batch_size, rng)


@functools.cache
def _row_batches_class():
    keras = import_keras()

    class RowBatches(keras.utils.PyDataset):
        """Batches gathered from arrays too big to copy; see ``row_batches``."""

        def __init__(self, arrays, rows, batch_size, rng):
            super().__init__()
            self.arrays = arrays
            self.rows = rows
            self.batch_size = batch_size
            self.rng = rng
            self.order = rows if rng is None else rng.permutation(rows)

        def __len__(self):
            return -(-len(self.rows) // self.batch_size)

        def __getitem__(self, index):
            if not 0 <= index < len(self):
                raise IndexError(f"batch {index} out of range")
            start = index * self.batch_size
            rows = self.order[start : start + self.batch_size]
            if isinstance(rows, range):
                rows = slice(rows.start, rows.stop)
            return tuple(as_batch(array, rows) for array in self.arrays)

        def on_epoch_end(self):
            if self.rng is not None:
                self.order = self.rng.permutation(self.rows)

    return RowBatches
