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
    states = []
    for layer in _stateful_layers(model):
        layer_states = getattr(layer, "states", None) or []
        states.append([np.array(s) for s in layer_states if s is not None])
    return states


def reset_recurrent_states(model):
    """Set the states of the stateful recurrent layers to zeros."""
    for layer in _stateful_layers(model):
        layer.reset_state()


def set_recurrent_states(model, states):
    """Put states taken by :func:`recurrent_states` back into ``model``."""
    for layer, values in zip(_stateful_layers(model), states):
        for variable, value in zip(layer.states or [], values):
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
