"""Saving and loading fitted estimators as Keras-native ``.keras`` archives.

The archive is the network's own ``.keras`` file with the estimator's
parameters and fitted attributes added as JSON, and the recurrent states of a
stateful network as ``.npz``: nothing in it is pickled. This module sits at
the top of sklstm's imports: it imports the estimators, nothing imports it.
"""

import contextlib
import json
import os
import tempfile
import warnings
import zipfile

import numpy as np
from sklearn.utils.validation import check_is_fitted

from ._autoencoder import LSTMAutoencoder
from ._backend import import_keras
from ._classifier import LSTMClassifier
from ._regressor import LSTMRegressor
from ._reuse import set_model
from ._serialization import (
    pack_states,
    resolve_safe_mode,
    unpack_states,
    unsafe_code_error,
)
from ._stateful import recurrent_states, set_recurrent_states

__all__ = ["load_estimator", "save_estimator"]

_ARCHIVE_ENTRY = "sklstm.json"
_STATES_ENTRY = "sklstm_states.npz"
_FITTED_ATTRIBUTES = (
    "n_features_in_",
    "n_timesteps_in_",
    "n_outputs_",
    "n_iter_",
    "history_",
    "validation_history_",
    "loss_curve_",
    "vocab_size_",
    "_input_ndim",
    "_output_spec",
    "_masks_padding",
    "window_normalization_",
)
_ARRAY_ATTRIBUTES = ("classes_", "feature_names_in_")


def _estimator_classes():
    return {
        cls.__name__: cls for cls in (LSTMRegressor, LSTMClassifier, LSTMAutoencoder)
    }


def _json_value(value):
    if isinstance(value, float) and np.isnan(value):
        return {"__float__": "nan"}
    if isinstance(value, tuple):
        return {"__tuple__": [_json_value(v) for v in value]}
    if isinstance(value, (np.integer, np.floating, np.bool_)):
        return value.item()
    json.dumps(value)  # raises TypeError for anything JSON cannot hold
    return value


def _from_json(value):
    if isinstance(value, dict) and "__float__" in value:
        return float(value["__float__"])
    if isinstance(value, dict) and "__tuple__" in value:
        return tuple(_from_json(v) for v in value["__tuple__"])
    return value


def save_estimator(estimator, path):
    """Save a fitted sklstm estimator as a Keras-native ``.keras`` archive.

    The archive is Keras' own (architecture, weights, optimizer state), so
    ``keras.saving.load_model`` opens the network; sklstm adds the
    estimator's parameters and fitted attributes (``classes_``,
    ``n_features_in_``, ``history_``, …) and the recurrent states of a
    stateful network, which ``keras.Model.save`` leaves out. Nothing in the
    archive is pickled, so :func:`load_estimator` can use Keras' safe mode.

    Parameters that JSON cannot hold (a ``model`` callable or instance,
    callback or optimizer objects) are not stored: a warning names them; the
    loaded estimator predicts identically but would refit with their
    defaults. Use pickle or joblib to keep them.

    Parameters
    ----------
    estimator : LSTMRegressor, LSTMClassifier or LSTMAutoencoder
        A fitted estimator.
    path : str or path-like
        Destination, ending in ``.keras``.

    See Also
    --------
    load_estimator : Load an estimator saved by this function.

    Examples
    --------
    >>> import os, tempfile
    >>> import numpy as np
    >>> from sklstm import LSTMRegressor, save_estimator, load_estimator
    >>> X, y = np.random.RandomState(0).normal(size=(8, 3, 1)), np.arange(8.0)
    >>> reg = LSTMRegressor(units=2, epochs=1, random_state=0).fit(X, y)
    >>> path = os.path.join(tempfile.mkdtemp(), "reg.keras")
    >>> save_estimator(reg, path)
    >>> np.array_equal(load_estimator(path).predict(X), reg.predict(X))
    True
    """
    name = type(estimator).__name__
    if name not in _estimator_classes():
        raise TypeError(
            "save_estimator saves LSTMRegressor, LSTMClassifier and LSTMAutoencoder; "
            f"got {name}. Save other objects with joblib."
        )
    check_is_fitted(estimator)
    path = os.fspath(path)
    if not path.endswith(".keras"):
        raise ValueError(f"`path` must end with '.keras'. Received: path={path!r}")

    params, dropped = {}, []
    for key, value in estimator.get_params(deep=False).items():
        try:
            params[key] = _json_value(value)
        except TypeError:
            dropped.append(key)
    if dropped:
        warnings.warn(
            f"save_estimator does not store the parameters {dropped}, which JSON "
            "cannot hold; the loaded estimator predicts identically but refits with "
            "their defaults. Use joblib to keep them.",
            UserWarning,
            stacklevel=2,
        )
    fitted = {
        key: _json_value(getattr(estimator, key))
        for key in _FITTED_ATTRIBUTES
        if hasattr(estimator, key)
    }
    arrays = {
        key: {
            "values": getattr(estimator, key).tolist(),
            "dtype": str(getattr(estimator, key).dtype),
        }
        for key in _ARRAY_ATTRIBUTES
        if hasattr(estimator, key)
    }
    document = {"class": name, "params": params, "fitted": fitted, "arrays": arrays}

    # Written beside the target and moved over it only once complete: a failed
    # save (a full disk, an interrupted process) leaves the previous file intact.
    directory, name = os.path.split(os.path.abspath(path))
    handle, temporary = tempfile.mkstemp(
        dir=directory, prefix=f".{name}.", suffix=".keras"
    )
    os.close(handle)
    try:
        estimator.model_.save(temporary)
        with zipfile.ZipFile(temporary, "a") as archive:
            archive.writestr(_ARCHIVE_ENTRY, json.dumps(document))
            archive.writestr(
                _STATES_ENTRY, pack_states(recurrent_states(estimator.model_))
            )
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.remove(temporary)
        raise


def load_estimator(path, *, safe_mode=None):
    """Load an estimator saved by :func:`save_estimator`.

    Parameters
    ----------
    path : str or path-like
        A ``.keras`` archive written by :func:`save_estimator`.
    safe_mode : bool or None, default=None
        Keras' safe mode: refuse archives whose configuration would run
        arbitrary code (``Lambda`` layers). None follows Keras: safe, unless
        ``keras.config.enable_unsafe_deserialization()`` was called. Pass
        False only for archives from a trusted source.

    Returns
    -------
    estimator : LSTMRegressor, LSTMClassifier or LSTMAutoencoder
        The fitted estimator, predicting exactly as the saved one did
        (stateful networks continue from the saved state).

    See Also
    --------
    save_estimator : Save a fitted estimator.

    Examples
    --------
    See :func:`save_estimator`.
    """
    from . import _networks  # noqa: F401  registers sklstm's custom layers

    path = os.fspath(path)
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        if _ARCHIVE_ENTRY not in names:
            raise ValueError(
                f"{path!r} is a Keras archive without sklstm's attributes; open it "
                "with keras.saving.load_model, or save estimators with save_estimator."
            )
        document = json.loads(archive.read(_ARCHIVE_ENTRY))
        states_bytes = archive.read(_STATES_ENTRY)
    classes = _estimator_classes()
    if document.get("class") not in classes:
        raise ValueError(
            f"{path!r} names an unknown estimator {document.get('class')!r}."
        )
    params = {key: _from_json(value) for key, value in document["params"].items()}
    cls = classes[document["class"]]
    estimator = cls(**{**cls._legacy_params(), **params})
    fitted = {**estimator._legacy_fitted_attributes, **document["fitted"]}
    for key, value in fitted.items():
        setattr(estimator, key, _from_json(value))
    if "_output_spec" in document["fitted"]:
        estimator._output_spec = {
            k: _from_json(v) for k, v in document["fitted"]["_output_spec"].items()
        }
    for key, entry in document["arrays"].items():
        dtype = entry["dtype"]
        values = entry["values"]
        setattr(
            estimator,
            key,
            np.asarray(values, dtype=object if dtype == "object" else dtype),
        )
    try:
        model = import_keras().saving.load_model(
            path, safe_mode=resolve_safe_mode(safe_mode)
        )
    except ValueError as exc:
        if "safe_mode" not in str(exc):
            raise
        raise unsafe_code_error(f"The archive {path!r}", exc) from exc
    states = unpack_states(states_bytes)
    if states:
        set_recurrent_states(model, states)
    set_model(estimator, model)
    return estimator
