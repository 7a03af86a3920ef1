"""Routed parameters, as scikeras routes them, and the Keras objects they build.

``route_params`` picks the parameters of one destination (``fit__batch_size``
-> ``batch_size`` for ``fit``), ``unflatten_params`` instantiates classes
(optimizers, losses, metrics, callbacks) with their routed arguments, nested
or positional (``callbacks__0__monitor``, ``loss__1__label_smoothing``,
``callbacks__args__0``), and ``compile_kwargs`` / ``fit_callbacks`` apply both
to a wrapper's parameters. ``loss_name`` and ``metric_name`` give Keras'
full snake-case names. Keras is imported when a function first needs it.
"""

import inspect
from collections.abc import Mapping, Sequence

from .._backend import import_keras

__all__ = [
    "accepts_kwargs",
    "compile_kwargs",
    "has_param",
    "initialize_callbacks",
    "loss_name",
    "metric_name",
    "route_params",
    "unflatten_params",
]

DIGITS = frozenset("0123456789")

# Parameters of the wrappers destined to keras.Model.compile, fit and predict.
COMPILE_KWARGS = frozenset(
    {"optimizer", "loss", "metrics", "loss_weights", "weighted_metrics", "run_eagerly"}
)
FIT_KWARGS = frozenset(
    {
        "batch_size",
        "epochs",
        "verbose",
        "validation_split",
        "shuffle",
        "class_weight",
        "sample_weight",
        "initial_epoch",
        "validation_steps",
        "validation_batch_size",
        "validation_freq",
    }
)
PREDICT_KWARGS = frozenset({"batch_size", "verbose", "steps"})


def route_params(params, destination, pass_filter, strict=False):
    """The parameters of ``destination``, with its prefix removed.

    Unprefixed parameters pass if they are in ``pass_filter`` (all of them if
    it is None); ``destination__name`` parameters always pass, as ``name``,
    except, with ``strict``, those routed further (``destination__a__b``).
    """
    prefix = destination + "__"
    routed = {}
    for key, value in params.items():
        if "__" not in key:
            if pass_filter is None or key in pass_filter:
                routed[key] = value
        elif key.startswith(prefix):
            name = key[len(prefix) :]
            if not (strict and "__" in name):
                routed[name] = value
    return routed


def has_param(func, name):
    """True if ``func`` takes a parameter called ``name`` by keyword."""
    return any(
        p.name == name and p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)
        for p in inspect.signature(func).parameters.values()
    )


def accepts_kwargs(func):
    """True if ``func`` takes ``**kwargs``."""
    return any(
        p.kind is p.VAR_KEYWORD for p in inspect.signature(func).parameters.values()
    )


def _own_params(params):
    return {key: value for key, value in params.items() if "__" not in key}


def unflatten_params(items, params, base_params=None, path=""):
    """Instantiate the classes in ``items`` with their routed ``params``.

    ``items`` is a class, an object, or a list or dict of them. Parameters
    without ``__`` go to every item; ``0__x`` or ``name__x`` to one item of a
    list or dict; digit keys are passed positionally. Objects that are not
    classes are returned as they are, and refuse parameters. ``path`` (such as
    ``"optimizer"``) names the parameters in error messages.
    """
    own = _own_params(params)
    if inspect.isclass(items):
        arguments = {**(base_params or {}), **own}
        for name, value in arguments.items():
            arguments[name] = unflatten_params(
                value, route_params(params, name, set()), path=f"{path}__{name}"
            )
        kwargs = {k: v for k, v in arguments.items() if k[0] not in DIGITS}
        args = [
            v
            for k, v in sorted(
                (int(k), v) for k, v in arguments.items() if k[0] in DIGITS
            )
        ]
        try:
            return items(*args, **kwargs)
        except (TypeError, ValueError) as exc:
            given = ", ".join(f"{path}__{name}" for name in arguments) or "none"
            raise type(exc)(
                f"{items.__name__} could not be created from the routed parameters "
                f"of `{path}` (given: {given}): {exc}"
            ) from exc
    if isinstance(items, (list, tuple)):
        return type(items)(
            unflatten_params(
                item, route_params(params, str(i), set()), own, path=f"{path}__{i}"
            )
            for i, item in enumerate(items)
        )
    if isinstance(items, dict):
        return {
            key: unflatten_params(
                item, route_params(params, str(key), set()), own, path=f"{path}__{key}"
            )
            for key, item in items.items()
        }
    kwargs = {**(base_params or {}), **own}
    if kwargs:
        raise TypeError(
            f'TypeError: "{items}" object of type "{type(items)}" '
            "does not accept parameters because it's not a class."
            f' However, it received parameters "{kwargs}" (routed as '
            f"{', '.join(f'{path}__{k}' for k in kwargs)}). Pass the class "
            "instead of an instance to route parameters to it."
        )
    return items


def _to_classes(items, getter):
    """Shorthand names (``"adam"``, ``"mse"``) replaced by Keras' objects."""
    if isinstance(items, str):
        return getter(items)
    if isinstance(items, Sequence):
        return type(items)([_to_classes(item, getter) for item in items])
    if isinstance(items, Mapping):
        return {key: _to_classes(item, getter) for key, item in items.items()}
    return items


def _optimizer_class(optimizer):
    # optimizers.get returns an instance; its class takes the routed arguments
    return type(import_keras().optimizers.get(optimizer))


def _metric_class(metric):
    if metric in ("acc", "accuracy", "ce", "crossentropy"):
        # Keras matches these to the loss and the outputs' shape at compile
        return metric
    return import_keras().metrics.get(metric)


def _loss(loss):
    return import_keras().losses.get(loss)


def compile_kwargs(params):
    """The arguments of ``keras.Model.compile`` from a wrapper's parameters.

    Optimizer, loss and metrics are instantiated with their routed
    parameters (``optimizer__learning_rate=0.1``); shorthand names become
    Keras objects first, as scikeras does.
    """
    kwargs = route_params(params, "compile", pass_filter=COMPILE_KWARGS)
    for name, getter, strict in (
        ("optimizer", _optimizer_class, True),
        ("loss", _loss, False),
        ("metrics", _metric_class, False),
    ):
        kwargs[name] = unflatten_params(
            _to_classes(kwargs.get(name), getter),
            route_params(params, name, set(), strict=strict),
            path=name,
        )
    metrics = kwargs["metrics"]
    if metrics is not None and not isinstance(metrics, (dict, list)):
        # Keras expects a list or dict of metrics, not a single one
        kwargs["metrics"] = [metrics]
    return kwargs


_CALLBACKS_ERROR = (
    "If specified, ``callbacks`` must be one of:"
    "\n - A dict of string keys with callbacks or lists of callbacks as values"
    "\n - A list of callbacks or lists of callbacks"
    "\n - A single callback"
    "\nWhere each callback can be a instance of `keras.callbacks.Callback` or a "
    "subclass of it to be created with its routed parameters (callbacks__...)"
)


def _callbacks(params, destination):
    if params.get(destination) is None:
        return []
    keras = import_keras()
    callbacks = unflatten_params(
        params[destination], route_params(params, destination, set()), path=destination
    )
    if isinstance(callbacks, Mapping):
        callbacks = list(callbacks.values())
    elif isinstance(callbacks, keras.callbacks.Callback):
        callbacks = [callbacks]
    if not isinstance(callbacks, list):
        raise TypeError(_CALLBACKS_ERROR)
    flat = [
        cb for item in callbacks for cb in (item if isinstance(item, list) else [item])
    ]
    if not all(isinstance(cb, keras.callbacks.Callback) for cb in flat):
        raise TypeError(_CALLBACKS_ERROR)
    return callbacks


def initialize_callbacks(params):
    """The callbacks of ``fit`` and of ``predict``, instantiated.

    ``callbacks`` go to both; ``fit__callbacks`` and ``predict__callbacks``
    to one.
    """
    shared = _callbacks(params, "callbacks")
    return (
        shared + _callbacks(params, "fit__callbacks"),
        shared + _callbacks(params, "predict__callbacks"),
    )


def _camel_to_snake(name):
    return "".join("_" + c.lower() if c.isupper() else c for c in name).lstrip("_")


def loss_name(loss):
    """A loss's full snake-case name (``"mse"`` -> ``"mean_squared_error"``)."""
    keras = import_keras()
    if inspect.isclass(loss):
        loss = loss()
    if not (isinstance(loss, (str, keras.losses.Loss)) or callable(loss)):
        raise TypeError(
            "``loss`` must be a string, a function, an instance of "
            "``keras.losses.Loss`` or a type inheriting from ``keras.losses.Loss``"
        )
    found = keras.losses.get(loss)
    if isinstance(found, keras.losses.Loss):
        return _camel_to_snake(type(found).__name__)
    if hasattr(found, "__name__"):
        return _camel_to_snake(found.__name__)
    return found


def metric_name(metric):
    """A metric's full name (``"mse"`` -> ``"mean_squared_error"``)."""
    keras = import_keras()
    if inspect.isclass(metric):
        metric = metric()
    if not (isinstance(metric, (str, keras.metrics.Metric)) or callable(metric)):
        raise TypeError(
            "``metric`` must be a string, a function, an instance of "
            "``keras.metrics.Metric`` or a type inheriting from "
            "``keras.metrics.Metric``"
        )
    found = keras.metrics.get(metric)
    if isinstance(found, keras.metrics.Metric):
        return _camel_to_snake(type(found).__name__)
    if hasattr(found, "__name__"):
        return found.__name__
    return found
