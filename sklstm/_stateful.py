"""Stateful networks: their recurrent states, their batches, their backend."""

import numpy as np

from ._backend import backend_name, import_keras
from ._compat import flatten_layers
from ._streaming import as_batch

__all__ = [
    "check_stateful_backend",
    "check_stateful_batches",
    "predict_stateful",
    "recurrent_states",
    "reset_recurrent_states",
    "set_recurrent_states",
]


def _stateful_layers(model):
    keras = import_keras()
    return [
        layer
        for layer in flatten_layers(model, include_self=False)
        if isinstance(layer, keras.layers.RNN) and getattr(layer, "stateful", False)
    ]


def recurrent_states(model):
    """The current states of the stateful recurrent layers, as NumPy arrays."""
    ops = import_keras().ops
    return [
        [
            np.array(ops.convert_to_numpy(s.value))
            for s in getattr(layer, "states", None) or []
            if s is not None
        ]
        for layer in _stateful_layers(model)
    ]


def reset_recurrent_states(model):
    """Set the states of the stateful recurrent layers to zeros."""
    for layer in _stateful_layers(model):
        layer.reset_state()


def set_recurrent_states(model, states):
    """Put states taken by :func:`recurrent_states` back into ``model``."""
    for layer, values in zip(_stateful_layers(model), states, strict=True):
        for variable, value in zip(layer.states or [], values, strict=True):
            variable.assign(value)


def predict_stateful(model, X, batch_size):
    """Predict in the fixed batches of a stateful network, carrying its state."""
    return np.concatenate(
        [
            np.asarray(model.predict_on_batch(as_batch(X, slice(i, i + batch_size))))
            for i in range(0, len(X), batch_size)
        ],
        axis=0,
    )


def check_stateful_batches(estimator, n_samples, method):
    """Refuse a number of samples a stateful network cannot run in its batches."""
    if not estimator.stateful:
        return
    batch_size = estimator.batch_size
    if n_samples % batch_size:
        raise ValueError(
            f"A stateful {type(estimator).__name__} runs fixed batches of batch_size="
            f"{batch_size} samples, but X passed to {method} has {n_samples} "
            "samples, which is not a multiple of it. "
            + (
                f"Trim X (e.g. drop the first {n_samples % batch_size} "
                "samples) or choose"
                if n_samples > batch_size
                else "Choose"
            )
            + " a batch_size that divides the number of samples (batch_size=1 "
            "always does)."
        )
    if method == "fit" and estimator.validation_split_:
        raise ValueError(
            "validation_split is not supported with stateful=True: the held-out "
            "samples would break the sequence of states. Received "
            f"validation_split={estimator.validation_split}."
        )
    if method == "fit":
        check_stateful_backend(estimator)


def check_stateful_backend(estimator):
    """Refuse ``stateful=True`` where Keras does not carry the state.

    On Keras' JAX backend the recurrent state of a stateful layer is not
    among the variables that the compiled training and prediction steps
    thread through, so it would silently stay at zero: a stateless network
    under a stateful name. On the PyTorch backend the state is overwritten
    in place between batches, and the next backward pass fails inside
    autograd. TensorFlow carries it.
    """
    backend = backend_name()
    if estimator.stateful and backend != "tensorflow":
        reason = (
            "Keras does not carry the recurrent state from one compiled step "
            "to the next, so the network would be stateless"
            if backend == "jax"
            else "Keras overwrites the recurrent state in place between "
            "batches, which breaks the next backward pass"
        )
        raise ValueError(
            f"stateful=True needs Keras' TensorFlow backend: on the {backend} "
            f"backend {reason}. Set KERAS_BACKEND=tensorflow before Keras is "
            "imported, or use stateful=False with longer windows."
        )
