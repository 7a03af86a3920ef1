"""Checking the data given to the wrappers, and recording what fit learned of it.

:func:`validate_data` checks ``X`` (any number of dimensions, dense or sparse)
and ``y``, records ``X_shape_``, ``X_dtype_``, ``n_features_in_``,
``feature_names_in_``, ``y_dtype_``, ``y_ndim_`` and ``target_type_`` at fit
(``reset=True``) and checks new data against them afterwards, as scikeras
does. ``X`` keeps its dtype: only object and string arrays are converted, to
Keras' float type.
"""

import numpy as np
import scipy.sparse
from sklearn.utils import _safe_indexing
from sklearn.utils.validation import (
    _check_feature_names,
    _check_sample_weight,
    check_array,
    check_X_y,
)

from .._backend import import_keras

__all__ = ["resolve_batch_size", "validate_data", "validate_sample_weight"]


def _numeric_dtype(array, force_numeric):
    """None (keep the dtype) unless a non-numeric array must become numeric."""
    if not isinstance(array, np.ndarray) and not scipy.sparse.issparse(array):
        array = np.asarray(array)
    if array.dtype.kind not in ("O", "U", "S") or not force_numeric:
        return None
    return import_keras().backend.floatx()


def _check_y(est, y, *, reset, y_numeric):
    y = check_array(
        y, ensure_2d=False, allow_nd=False, dtype=_numeric_dtype(y, y_numeric)
    )
    name = type(est).__name__
    if reset:
        est.target_type_ = est._type_of_target(y)
        est.y_dtype_ = y.dtype
        est.y_ndim_ = y.ndim
        return y
    if not np.can_cast(y.dtype, est.y_dtype_):
        raise ValueError(
            f"Got y with dtype {y.dtype}, but this {name} expected {est.y_dtype_} "
            f"and casting from {y.dtype} to {est.y_dtype_} is not safe!"
        )
    if est.y_ndim_ != y.ndim:
        raise ValueError(
            f"y has {y.ndim} dimensions, but this {name} is expecting "
            f"{est.y_ndim_} dimensions in y."
        )
    return y


def _check_X(est, X, *, reset):
    _check_feature_names(est, X, reset=reset)
    if scipy.sparse.issparse(X):
        # Keras reads CSR and COO matrices; convert the other formats here
        X = X.tocsr() if X.format not in ("csr", "coo") else X
    X = check_array(
        X,
        allow_nd=True,
        dtype=_numeric_dtype(X, True),
        accept_sparse=["csr", "coo"],
        accept_large_sparse=False,
    )
    name = type(est).__name__
    if reset:
        est.X_dtype_ = X.dtype
        est.X_shape_ = X.shape
        est.n_features_in_ = X.shape[1]
        return X
    if not np.can_cast(X.dtype, est.X_dtype_):
        raise ValueError(
            f"Got X with dtype {X.dtype}, but this {name} expected {est.X_dtype_} "
            f"and casting from {X.dtype} to {est.X_dtype_} is not safe!"
        )
    if X.ndim != len(est.X_shape_):
        raise ValueError(
            f"X has {X.ndim} dimensions, but this {name} is expecting "
            f"{len(est.X_shape_)} dimensions in X."
        )
    if X.shape[1] != est.n_features_in_:
        raise ValueError(
            f"X has {X.shape[1]} features, but {name} is expecting "
            f"{est.n_features_in_} features as input (X has shape {X.shape[1:]}, "
            f"the estimator was fitted on X of shape {tuple(est.X_shape_[1:])})."
        )
    if X.shape[1:] != tuple(est.X_shape_[1:]):
        raise ValueError(
            f"X has shape {X.shape[1:]}, but this {name} is expecting X of shape "
            f"{tuple(est.X_shape_[1:])}"
        )
    return X


def validate_data(est, X=None, y=None, *, reset=False, y_numeric=False):
    """Check ``X`` and ``y`` (either may be None); return them as arrays.

    With ``reset`` their shapes and dtypes are recorded on ``est``, else
    they are checked against those recorded.
    """
    if X is not None and y is not None:
        X, y = check_X_y(
            X, y, accept_sparse=True, allow_nd=True, multi_output=True, dtype=None
        )
    if y is not None:
        y = _check_y(est, y, reset=reset, y_numeric=y_numeric)
    if X is not None:
        X = _check_X(est, X, reset=reset)
    return X, y


def validate_sample_weight(X, y, sample_weight):
    """``sample_weight`` as an array, and the samples of zero weight dropped."""
    floatx = np.dtype(import_keras().backend.floatx())
    if not np.all(np.asarray(sample_weight) == 0):
        sample_weight = _check_sample_weight(sample_weight, X, dtype=floatx)
    if np.all(np.asarray(sample_weight) == 0):
        raise ValueError(
            "No training samples had any weight; only zeros were passed in "
            "sample_weight. That means there's nothing to train on by definition, "
            "so training can not be completed."
        )
    kept = np.flatnonzero(sample_weight != 0)
    return _safe_indexing(X, kept), _safe_indexing(y, kept), sample_weight[kept]


def resolve_batch_size(arguments, X, names=("batch_size", "validation_batch_size")):
    """Replace a batch size of -1 by the number of samples of ``X``."""
    for name in names:
        if arguments.get(name) == -1:
            try:
                arguments[name] = X.shape[0]
            except AttributeError:
                raise ValueError(
                    f"`{name}=-1` requires that `X` implement `shape`"
                ) from None
    return arguments
