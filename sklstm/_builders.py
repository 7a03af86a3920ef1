"""The network a fit trains: sklstm's own, or a ``model`` of the user's own
(a callable to call, or a Keras model to copy), compiled."""

import inspect

from ._backend import import_keras
from ._training import compile_kwargs

__all__ = ["build_compiled", "call_builder", "copy_keras_model"]


def build_compiled(estimator, spec, plan):
    """Build and compile the network for ``spec`` and normalisation ``plan``."""
    keras = import_keras()
    model = estimator.model
    per_step = spec.get("return_sequences") or spec.get("output_steps")
    if estimator.conv_branch and (per_step or model is not None):
        raise ValueError(
            "conv_branch=True adds a convolutional block to sklstm's own "
            "network for one output per sequence; it cannot be used with a "
            "`model` of your own, return_sequences or decoder=True."
        )
    if model is None:
        network = estimator._default_network(spec, plan)
    elif isinstance(model, keras.Model):
        network = copy_keras_model(model)
    elif callable(model):
        network = call_builder(estimator, spec)
    else:  # pragma: no cover - guarded by _parameter_constraints
        raise TypeError(
            "`model` must be None, a keras.Model or a callable returning one. "
            f"Received: model={model!r}"
        )
    if not isinstance(network, keras.Model):
        raise TypeError(
            "The `model` callable must return a keras.Model; it returned "
            f"{type(network).__name__}."
        )
    if not getattr(network, "compiled", False) or isinstance(model, keras.Model):
        network.compile(**compile_kwargs(estimator, spec))
    return network


def call_builder(estimator, spec):
    """Call the estimator's ``model`` callable with the arguments it names.

    It may name ``meta`` (the data's shape and the output specification),
    ``compile_kwargs``, any parameter of the estimator and the routed
    ``model__<name>`` ones; a ``model__<name>`` it does not take is an error.
    """
    builder = estimator.model
    meta = {
        "n_features_in_": getattr(estimator, "n_features_in_", None),
        "n_timesteps_in_": estimator.n_timesteps_in_,
        "vocab_size_": getattr(estimator, "vocab_size_", None),
        **spec,
    }
    params = estimator.get_params(deep=False).items()
    available = {
        **{key: value for key, value in params if "__" not in key},
        **estimator._routed("model"),
        "meta": meta,
        "compile_kwargs": compile_kwargs(estimator, meta),
    }
    signature = inspect.signature(builder)
    if any(p.kind is p.VAR_KEYWORD for p in signature.parameters.values()):
        return builder(**available)
    unknown = sorted(set(estimator._routed("model")) - set(signature.parameters))
    if unknown:
        name = getattr(builder, "__name__", type(builder).__name__)
        raise ValueError(
            f"The `model` builder {name!r} takes no parameter "
            f"{', '.join(map(repr, unknown))} (given as "
            f"{', '.join('model__' + key for key in unknown)}). It takes: "
            f"{', '.join(signature.parameters) or 'no parameters'}."
        )
    return builder(
        **{name: available[name] for name in signature.parameters if name in available}
    )


def copy_keras_model(model):
    """A copy of a user's model, with its current weights, never the original."""
    keras = import_keras()
    try:
        copy = keras.models.clone_model(model)
        copy.set_weights(model.get_weights())
    except (ValueError, TypeError, NotImplementedError):
        import copy as copy_module

        copy = copy_module.deepcopy(model)
    return copy
