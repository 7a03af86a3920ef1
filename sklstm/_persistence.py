"""Saving and loading fitted networks: pickling support and ``.keras`` archives.

Pickling an estimator stores its network as the bytes of a ``.keras`` archive
(Keras' own format: architecture, weights and optimizer state), plus the
recurrent states of stateful layers, which that archive leaves out. Weights are
stored as float32 exactly, so predictions after a reload are bit-identical.
"""

import io

import numpy as np

__all__ = [
    "dump_model",
    "load_model_bytes",
    "recurrent_states",
    "reset_recurrent_states",
    "set_recurrent_states",
]


def _stateful_layers(model):
    from keras import layers

    found = []
    for layer in model._flatten_layers(include_self=False):
        if isinstance(layer, layers.RNN) and getattr(layer, "stateful", False):
            found.append(layer)
    return found


def recurrent_states(model):
    """The current states of the stateful recurrent layers, as NumPy arrays."""
    from keras import ops

    states = []
    for layer in _stateful_layers(model):
        layer_states = getattr(layer, "states", None) or []
        states.append(
            [
                np.array(ops.convert_to_numpy(s.value))
                for s in layer_states
                if s is not None
            ]
        )
    return states


def reset_recurrent_states(model):
    """Set the states of the stateful recurrent layers to zeros."""
    for layer in _stateful_layers(model):
        layer.reset_state()


def set_recurrent_states(model, states):
    """Put states taken by :func:`recurrent_states` back into ``model``."""
    for layer, values in zip(_stateful_layers(model), states, strict=True):
        for variable, value in zip(layer.states or [], values, strict=True):
            variable.assign(value)


def dump_model(model):
    """Serialise a Keras model (and stateful layer states) to bytes."""
    from keras.src.saving import saving_lib

    buffer = io.BytesIO()
    saving_lib._save_model_to_fileobj(model, buffer, "h5")
    states = recurrent_states(model)
    states_buffer = io.BytesIO()
    flat = {
        f"{i}_{j}": value
        for i, layer in enumerate(states)
        for j, value in enumerate(layer)
    }
    np.savez(states_buffer, **flat)
    return {"keras": buffer.getvalue(), "states": states_buffer.getvalue()}


def load_model_bytes(data, *, safe_mode=False):
    """Inverse of :func:`dump_model`.

    ``safe_mode=False`` by default because unpickling runs code anyway: only
    unpickle data from trusted sources.
    """
    from keras.src.saving import saving_lib

    from . import _networks  # noqa: F401  registers sklstm's custom layers

    model = saving_lib._load_model_from_fileobj(
        io.BytesIO(data["keras"]),
        custom_objects=None,
        compile=True,
        safe_mode=safe_mode,
    )
    saved = np.load(io.BytesIO(data["states"]))
    if saved.files:
        n_layers = 1 + max(int(k.split("_")[0]) for k in saved.files)
        states = [
            [
                saved[k]
                for k in sorted(
                    (k for k in saved.files if int(k.split("_")[0]) == i),
                    key=lambda k: int(k.split("_")[1]),
                )
            ]
            for i in range(n_layers)
        ]
        set_recurrent_states(model, states)
    return model


# ----------------------------------------------------------------------
# Keras-native archives: a .keras file plus the scikit-learn attributes
# ----------------------------------------------------------------------
_ARCHIVE_ENTRY = "sklstm.json"
_STATES_ENTRY = "sklstm_states.npz"
_FITTED_ATTRIBUTES = (
    "n_features_in_",
    "n_timesteps_in_",
    "n_outputs_",
    "n_iter_",
    "history_",
    "loss_curve_",
    "vocab_size_",
    "_input_ndim",
    "_output_spec",
    "_masks_padding",
)
_ARRAY_ATTRIBUTES = ("classes_", "feature_names_in_")


def _estimator_classes():
    from ._autoencoder import LSTMAutoencoder
    from ._classifier import LSTMClassifier
    from ._regressor import LSTMRegressor

    return {
        cls.__name__: cls for cls in (LSTMRegressor, LSTMClassifier, LSTMAutoencoder)
    }


def _json_value(value):
    import json

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
    import json
    import os
    import warnings
    import zipfile

    from sklearn.utils.validation import check_is_fitted

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

    estimator.model_.save(path)
    states = recurrent_states(estimator.model_)
    buffer = io.BytesIO()
    np.savez(
        buffer,
        **{
            f"{i}_{j}": value
            for i, layer in enumerate(states)
            for j, value in enumerate(layer)
        },
    )
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr(_ARCHIVE_ENTRY, json.dumps(document))
        archive.writestr(_STATES_ENTRY, buffer.getvalue())


def load_estimator(path, *, safe_mode=True):
    """Load an estimator saved by :func:`save_estimator`.

    Parameters
    ----------
    path : str or path-like
        A ``.keras`` archive written by :func:`save_estimator`.
    safe_mode : bool, default=True
        Keras' safe mode: refuse archives whose configuration would run
        arbitrary code (``Lambda`` layers). Turn it off only for archives
        from a trusted source.

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
    import json
    import os
    import zipfile

    import keras

    from . import _networks  # noqa: F401  registers sklstm's custom layers
    from ._base import _set_model

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
    estimator = classes[document["class"]](**params)
    for key, value in document["fitted"].items():
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
    model = keras.saving.load_model(path, safe_mode=safe_mode)
    saved = np.load(io.BytesIO(states_bytes))
    if saved.files:
        n_layers = 1 + max(int(k.split("_")[0]) for k in saved.files)
        set_recurrent_states(
            model,
            [
                [
                    saved[f"{i}_{j}"]
                    for j in range(
                        sum(1 for k in saved.files if k.split("_")[0] == str(i))
                    )
                ]
                for i in range(n_layers)
            ],
        )
    _set_model(estimator, model)
    return estimator
