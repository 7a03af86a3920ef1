"""A fitted network, with the states of its stateful layers, to bytes and back.

A network is stored as the bytes of a ``.keras`` archive (Keras' own format:
architecture, weights and optimizer state), plus the recurrent states of
stateful layers, which that archive leaves out, packed as one ``.npz``. Weights
are stored as float32 exactly, so predictions after a reload are bit-identical.
"""

import io

import numpy as np

from ._compat import (
    load_model_from_fileobj,
    save_model_to_fileobj,
    unsafe_deserialization_enabled,
)
from ._stateful import recurrent_states, set_recurrent_states

__all__ = [
    "dump_model",
    "load_model_bytes",
    "pack_states",
    "resolve_safe_mode",
    "unsafe_code_error",
    "unpack_states",
]

OPT_IN = (
    "If you trust the file's source, call "
    "keras.config.enable_unsafe_deserialization() before loading it (this covers "
    "pickle, joblib, skops and copies), or pass safe_mode=False to "
    "sklstm.load_estimator."
)


def pack_states(states):
    """The states of :func:`~sklstm._stateful.recurrent_states` as ``.npz`` bytes.

    Entry ``"i_j"`` holds state ``j`` of stateful layer ``i``.
    """
    buffer = io.BytesIO()
    np.savez(
        buffer,
        **{
            f"{i}_{j}": value
            for i, layer in enumerate(states)
            for j, value in enumerate(layer)
        },
    )
    return buffer.getvalue()


def unpack_states(data):
    """Inverse of :func:`pack_states`: a list of lists of arrays."""
    saved = np.load(io.BytesIO(data))
    keys = sorted(tuple(int(i) for i in k.split("_")) for k in saved.files)
    states = []
    for i, j in keys:
        while len(states) <= i:
            states.append([])
        states[i].append(saved[f"{i}_{j}"])
    return states


def dump_model(model):
    """Serialise a Keras model (and stateful layer states) to bytes."""
    buffer = io.BytesIO()
    save_model_to_fileobj(model, buffer)
    return {"keras": buffer.getvalue(), "states": pack_states(recurrent_states(model))}


def resolve_safe_mode(safe_mode):
    """Keras' rule: safe unless asked otherwise, here or through Keras' switch."""
    if safe_mode is None:
        return not unsafe_deserialization_enabled()
    return bool(safe_mode)


def unsafe_code_error(what, exc):
    """The error for a network that safe mode refused to rebuild."""
    return ValueError(
        f"{what} holds a network whose configuration runs Python code when it is "
        "rebuilt (a Lambda layer, or an object Keras' safe mode refuses), and "
        f"sklstm rebuilds networks in Keras' safe mode. {OPT_IN} Keras said: {exc}"
    )


def load_model_bytes(data, *, safe_mode=None):
    """Inverse of :func:`dump_model`.

    ``safe_mode=None`` follows Keras: safe, unless the user called
    ``keras.config.enable_unsafe_deserialization()``. A network that safe mode
    refuses raises a ``ValueError`` saying how to opt in; nothing of it runs.
    """
    from . import _networks  # noqa: F401  registers sklstm's custom layers

    try:
        model = load_model_from_fileobj(
            io.BytesIO(data["keras"]), safe_mode=resolve_safe_mode(safe_mode)
        )
    except ValueError as exc:
        if "safe_mode" not in str(exc):
            raise
        raise unsafe_code_error("This pickled estimator", exc) from exc
    states = unpack_states(data["states"])
    if states:
        set_recurrent_states(model, states)
    return model
