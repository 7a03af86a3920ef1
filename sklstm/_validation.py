"""One entry point for the sequences an estimator is given: :func:`validate_sequences`.

Like scikit-learn's ``validate_data``, it checks X, converts it to the
network's layout and, with ``reset=True`` (at fit), records what it learned
about it on the estimator: ``n_features_in_``, ``n_timesteps_in_``,
``feature_names_in_``, ``vocab_size_`` and the private ``_input_ndim`` and
``_masks_padding``. With ``reset=False`` (at predict) it checks X against them.
"""

import numbers

import numpy as np
from sklearn.utils import assert_all_finite, check_array
from sklearn.utils.validation import _check_feature_names, validate_data

from ._streaming import is_streamed, row_chunks

__all__ = ["tuple_of_positive_ints", "validate_sequences"]


def validate_sequences(estimator, X, *, reset):
    """Validate X and return it in the network's layout, as float32 or int32.

    2-D input ``(n_samples, n_timesteps)`` is read as univariate sequences
    (or as token ids when ``embedding_dim`` is set), 3-D input as
    ``(n_samples, n_timesteps, n_features)``. A 3-D array too costly to copy
    (:func:`sklstm._streaming.is_streamed`: overlapping windows, a memory-mapped
    file) is checked in chunks of rows and returned as it is, float64 included:
    whoever reads it converts one chunk or batch at a time.
    """
    try:
        return _validate(estimator, X, reset=reset)
    except ValueError as exc:
        if "could not convert" not in str(exc):
            raise
        raise ValueError(
            f"X must hold numbers, but {type(estimator).__name__} could not convert "
            f"it to float ({exc}). Map texts to token ids with "
            "sklstm.TextSequencer, and encode categories before the network."
        ) from exc


def _validate(est, X, *, reset):
    name = type(est).__name__
    if _is_ragged(X):
        lengths = sorted({len(seq) for seq in X})
        raise ValueError(
            f"X is a ragged list of sequences of lengths {lengths[:5]}"
            f"{'...' if len(lengths) > 5 else ''}; {name} needs sequences of "
            "equal length. Pad them first with sklstm.SequencePadder, e.g. "
            f"make_pipeline(SequencePadder(), {name}())."
        )
    if hasattr(X, "iloc") or _is_sparse(X):
        ndim = 2
    else:
        X = np.asarray(X)
        ndim = X.ndim
    if ndim not in (2, 3):
        raise ValueError(
            f"{name} expects X as a 2-D array (n_samples, n_timesteps) or a "
            f"3-D array (n_samples, n_timesteps, n_features); got a {ndim}-D "
            "array. Reshape your data into windows with "
            "sklstm.make_windows or sklstm.SlidingWindowTransformer."
            if ndim < 2
            else f"{name} expects X as a 2-D array (n_samples, n_timesteps) or "
            "a 3-D array (n_samples, n_timesteps, n_features); got a "
            f"{ndim}-D array of shape {np.shape(X)}."
        )
    if not reset and ndim != est._input_ndim:
        raise ValueError(
            f"X is {ndim}-D but {name} was fitted on {est._input_ndim}-D input; "
            "pass X in the layout used in fit."
        )
    if est.embedding_dim is not None:
        X = _validate_tokens(est, X, ndim, reset=reset)
    elif ndim == 2:
        X = validate_data(
            est, X, reset=reset, dtype=[np.float32, np.float64], ensure_min_samples=1
        )
        X = X[:, :, np.newaxis].astype(np.float32, copy=False)
    else:
        X = _validate_3d(est, X, reset=reset)
    _check_timesteps(est, X.shape[1], reset=reset)
    if reset:
        est._input_ndim = ndim
    return X


def _validate_3d(est, X, *, reset):
    nan_padding = est.mask_value is not None and np.isnan(est.mask_value)
    # At predict, a valid NumPy array (the one-row prediction of a service)
    # skips scikit-learn's checks, a tenth of a millisecond: they would return
    # it as is, with no feature names to compare.
    already_valid = (
        not reset
        and not hasattr(est, "feature_names_in_")
        and _is_valid_float_array(X, allow_nan=nan_padding)
    )
    if not already_valid:
        _check_feature_names(est, X, reset=reset)
        X = check_array(
            X,
            allow_nd=True,
            dtype=[np.float32, np.float64],
            ensure_all_finite=False,
            input_name="X",
        )
        for start, stop in row_chunks(X):
            assert_all_finite(X[start:stop], allow_nan=nan_padding, input_name="X")
    if est.data_format == "channels_first":
        X = np.swapaxes(X, 1, 2)
    if nan_padding:
        has_padding = _check_nan_is_padding(X)
        if reset:
            # The masking layer costs time in every step of every fit; a
            # network whose training data hold no padding goes without it.
            est._masks_padding = has_padding
        elif has_padding and not getattr(est, "_masks_padding", True):
            raise ValueError(
                "X contains padding (time steps whose features are all NaN), "
                f"but the data {type(est).__name__} was fitted on had none, "
                "so its network has no masking layer. Fit on padded data, or "
                "pad the training sequences with the same SequencePadder."
            )
    n_features = X.shape[2]
    if reset:
        est.n_features_in_ = n_features
    elif n_features != est.n_features_in_:
        raise ValueError(
            f"X has {n_features} features per time step, but {type(est).__name__} "
            f"is expecting {est.n_features_in_} features as input."
        )
    return X if is_streamed(X) else X.astype(np.float32, copy=False)


def _validate_tokens(est, X, ndim, *, reset):
    name = type(est).__name__
    if ndim != 2:
        raise ValueError(
            f"With embedding_dim set, {name} expects X as a 2-D array of integer "
            f"token ids (n_samples, n_timesteps); got a {ndim}-D array. Map texts "
            "to ids with sklstm.TextSequencer."
        )
    X = validate_data(est, X, reset=reset, dtype=None, ensure_min_samples=1)
    if not np.issubdtype(X.dtype, np.number) or not np.all(np.mod(X, 1) == 0):
        raise ValueError(
            "With embedding_dim set, X must hold integer token ids (0 = padding);"
            f" got values of dtype {X.dtype} that are not all integers."
        )
    X = X.astype(np.int64)
    if X.min() < 0:
        raise ValueError(
            f"X must hold non-negative token ids; got a minimum of {X.min()}."
        )
    if reset:
        vocab_size = est.vocab_size or int(X.max()) + 1
        if X.max() >= vocab_size:
            raise ValueError(
                f"X holds token id {X.max()}, but vocab_size={vocab_size}: "
                "vocab_size must exceed the largest id."
            )
        est.vocab_size_ = max(vocab_size, 2)
    elif X.max() >= est.vocab_size_:
        raise ValueError(
            f"X holds token id {X.max()}, but {name} was fitted with "
            f"vocab_size_={est.vocab_size_}: ids must be below it (map unknown "
            "tokens to the out-of-vocabulary id, as TextSequencer does)."
        )
    return X.astype(np.int32)


def _check_timesteps(est, n_timesteps, *, reset):
    if reset:
        est.n_timesteps_in_ = n_timesteps
    elif n_timesteps != est.n_timesteps_in_:
        raise ValueError(
            f"X has {n_timesteps} time steps, but {type(est).__name__} was "
            f"fitted on sequences of {est.n_timesteps_in_} time steps."
        )


def tuple_of_positive_ints(value, name):
    """``value`` (an int or a sequence of ints) as a tuple of positive ints."""
    values = (value,) if isinstance(value, numbers.Integral) else tuple(value)
    if not values or not all(
        isinstance(v, numbers.Integral) and not isinstance(v, bool) and v > 0
        for v in values
    ):
        raise ValueError(
            f"`{name}` must be a positive integer or a tuple of positive integers. "
            f"Received: {name}={value!r}"
        )
    return tuple(int(v) for v in values)


def _is_ragged(X):
    """True for a list / object array of sequences of different lengths."""
    if isinstance(X, np.ndarray) and X.dtype != object:
        return False
    if not isinstance(X, (list, tuple, np.ndarray)) or len(X) == 0:
        return False
    lengths = set()
    for seq in X:
        if isinstance(seq, (str, bytes)) or not hasattr(seq, "__len__"):
            return False
        lengths.add(len(seq))
        if len(lengths) > 1:
            return True
    return False


def _is_valid_float_array(X, *, allow_nan):
    """True if ``check_array`` would return 3-D ``X`` unchanged and unwarned."""
    if type(X) is not np.ndarray or X.dtype not in (np.float32, np.float64):
        return False
    if X.ndim != 3 or X.size == 0:
        return False
    for start, stop in row_chunks(X):
        chunk = X[start:stop]
        if np.isinf(chunk).any() if allow_nan else not np.isfinite(chunk).all():
            return False
    return True


def _is_sparse(X):
    return hasattr(X, "tocsr") or hasattr(X, "sparse") and hasattr(X, "format")


def _check_nan_is_padding(X):
    """NaN may only fill whole time steps: those are padding and get masked.

    Returns whether X holds padding; checks X in chunks of rows.
    """
    has_padding = False
    for start, stop in row_chunks(X):
        isnan = np.isnan(X[start:stop])
        if not isnan.any():
            continue
        _check_whole_steps(isnan, start)
        has_padding = True
    return has_padding


def _check_whole_steps(isnan, offset):
    partial = isnan.any(axis=-1) & ~isnan.all(axis=-1)
    if partial.any():
        sample, step = np.argwhere(partial)[0]
        sample += offset
        raise ValueError(
            f"X contains NaN in some but not all features of sample {sample}, step "
            f"{step}. A time step whose features are all NaN is padding and is "
            "masked; a NaN among real values is missing data: impute it (e.g. "
            "with StepwiseTransformer(SimpleImputer())) or drop the sequence."
        )
