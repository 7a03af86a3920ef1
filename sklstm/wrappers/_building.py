"""Building a wrapper's Keras model: the builder, its arguments, its compilation.

The ``model`` parameter is a ``keras.Model`` (used as it is), a callable
returning one, or None with a ``_keras_build_fn`` method on the subclass.
A builder receives the wrapper's unprefixed extra parameters and its
``model__`` ones, and, if its signature asks for them, ``meta`` (what ``fit``
learned of the data), ``compile_kwargs`` and ``params``. A model the builder
returns uncompiled is compiled with the wrapper's ``optimizer``, ``loss`` and
``metrics``; one it compiled is kept as it is.
"""

import functools
import inspect
import warnings

from .._backend import import_keras
from .._training import auto_steps_per_execution
from ._routing import accepts_kwargs, compile_kwargs, has_param, loss_name, route_params

__all__ = [
    "build_model",
    "check_model_compatibility",
    "custom_objects",
    "ensure_compiled",
]

_META_EXCLUDED = frozenset({"model_", "history_"})


def metadata(wrapper):
    """``meta``: the attributes ``fit`` learned so far (``n_features_in_``...)."""
    return {
        key: value
        for key, value in vars(wrapper).items()
        if len(key) > 1
        and key[-1] == "_"
        and key[-2] != "_"
        and key[0] != "_"
        and key not in _META_EXCLUDED
    }


def _builder(wrapper):
    """The function that builds ``wrapper``'s model."""
    keras = import_keras()
    model, build_fn = wrapper.model, getattr(wrapper, "build_fn", None)
    if model is None and build_fn is not None:
        model = build_fn
        warnings.warn(
            "``build_fn`` will be renamed to ``model`` in a future release, at which "
            "point use of ``build_fn`` will raise an Error instead. Write "
            f"{wrapper.__name__}(model=...) instead of "
            f"{wrapper.__name__}(build_fn=...).",
            UserWarning,
            stacklevel=5,
        )
    if model is None:
        if not hasattr(wrapper, "_keras_build_fn"):
            raise ValueError(
                "If not using the ``build_fn`` param, you must implement "
                "``_keras_build_fn``, or pass a builder or a keras.Model as `model`."
            )
        return wrapper._keras_build_fn
    if isinstance(model, keras.Model):
        return lambda: model
    if inspect.isclass(model) or not (
        callable(model) or isinstance(model, functools.partial)
    ):
        raise TypeError(
            "``model`` must be a callable, a Keras Model instance or None. "
            f"Received: model={model!r}"
        )
    if hasattr(wrapper, "_keras_build_fn"):
        raise ValueError(
            "This class cannot implement ``_keras_build_fn`` if using the `model` "
            "parameter"
        )
    return model


def _check_arguments(build_fn, arguments, wrapper):
    """Refuse, naming them, arguments that ``build_fn`` does not take."""
    if accepts_kwargs(build_fn):
        return
    taken = inspect.signature(build_fn).parameters
    unknown = [name for name in arguments if name not in taken]
    if unknown:
        name = getattr(build_fn, "__name__", type(build_fn).__name__)
        routed = [f"{key} (given as {key} or model__{key})" for key in unknown]
        raise TypeError(
            f"{name}() got an unexpected keyword argument {unknown[0]!r}: the model "
            f"builder takes no {', '.join(routed)}. It takes: "
            f"{', '.join(taken) or 'no parameters'}. Remove the parameter from "
            f"{wrapper.__name__}, or add it to the builder's signature."
        )


def build_model(wrapper):
    """Call ``wrapper``'s builder with the arguments its signature asks for."""
    build_fn = _builder(wrapper)
    params = wrapper._all_params()
    arguments = route_params(
        params,
        "model",
        pass_filter=getattr(wrapper, "_user_params", set()),
        strict=True,
    )
    takes_all = accepts_kwargs(build_fn)
    if takes_all or has_param(build_fn, "meta"):
        arguments["meta"] = metadata(wrapper)
    if takes_all or has_param(build_fn, "compile_kwargs"):
        arguments["compile_kwargs"] = compile_kwargs(params)
    if takes_all or has_param(build_fn, "params"):
        arguments["params"] = wrapper.get_params()
    _check_arguments(build_fn, arguments, wrapper)
    return build_fn(**arguments)


def ensure_compiled(wrapper, model, X=None, fit_arguments=None):
    """Compile ``model`` with the wrapper's parameters unless it is compiled.

    With the training data ``X`` and ``fit_arguments`` (those of
    ``keras.Model.fit``), a model the wrapper compiles runs several small
    training steps per compiled call where sklstm's own networks would
    (:func:`steps_per_execution`).
    """
    if not model.compiled:
        arguments = compile_kwargs(wrapper._all_params())
        if X is not None and "steps_per_execution" not in arguments:
            arguments["steps_per_execution"] = steps_per_execution(
                wrapper, model, X, fit_arguments
            )
        model.compile(**arguments)
    if not getattr(model, "loss", None):
        raise ValueError(
            "You must provide a loss or a compiled model: pass `loss` (e.g. "
            f"{wrapper.__name__}(loss='mse')) or compile the model in its builder."
        )
    if not getattr(model, "optimizer", None):
        raise ValueError(
            "You must provide an optimizer or a compiled model: pass `optimizer` "
            f"(e.g. {wrapper.__name__}(optimizer='adam')) or compile the model in "
            "its builder."
        )


def steps_per_execution(wrapper, model, X, fit_arguments):
    """Batches per compiled call for a model the wrapper compiles.

    The updates are the same whatever the number; only Keras' per-batch
    callbacks see fewer calls, so a fit with callbacks of the user's keeps 1.
    Otherwise sklstm's "auto" rule (:func:`auto_steps_per_execution`), with
    the multiply-adds of a batch estimated as batch size x weights x
    time steps (the second axis of 3-D input).
    """
    if wrapper._fit_callbacks or not hasattr(X, "shape"):
        return 1
    batch_size = fit_arguments.get("batch_size") or 32
    split = fit_arguments.get("validation_split") or 0.0
    n_train = X.shape[0] - int(X.shape[0] * split)
    epochs = fit_arguments.get("epochs", 1) - fit_arguments.get("initial_epoch", 0)
    n_steps = epochs * -(-max(n_train, 1) // batch_size)
    steps = X.shape[1] if len(X.shape) >= 3 else 1
    return auto_steps_per_execution(
        n_steps, lambda: batch_size * model.count_params() * steps
    )


def check_model_compatibility(wrapper, model):
    """Check the model's outputs and loss against the wrapper's, as scikeras does."""
    expected = getattr(wrapper, "n_outputs_expected_", None)
    outputs = getattr(model, "outputs", None)
    if expected and outputs is not None and expected != len(outputs):
        raise ValueError(
            f"Detected a Keras model input of size {expected}, but {model} has "
            f"{len(outputs)} outputs"
        )
    keras = import_keras()
    init_params = inspect.signature(type(wrapper).__init__).parameters
    if "loss" not in init_params:
        return
    default = init_params["loss"].default
    kinds = (str, keras.losses.Loss, type)
    if all(isinstance(x, kinds) for x in (wrapper.loss, model.loss)):
        if default is not None and default is not inspect.Parameter.empty:
            default = loss_name(default)
        given, got = loss_name(wrapper.loss), loss_name(model.loss)
        if given != default and got != given:
            raise ValueError(
                f"loss={wrapper.loss} but model compiled with {model.loss}. Data may "
                "not match loss function!"
            )


def _classes(items):
    """The classes of the objects (or the classes) in a nested list or dict."""
    if isinstance(items, dict):
        items = list(items.values())
    if isinstance(items, (list, tuple)):
        return [cls for item in items for cls in _classes(item)]
    if items is None or isinstance(items, str):
        return []
    return [items if inspect.isclass(items) else type(items)]


def custom_objects(wrapper, model):
    """The user's classes that a pickled model needs to be rebuilt.

    Keras rebuilds a model from the names of its classes; a class of the
    user's that is not registered with ``keras.saving.register_keras_serializable``
    (a model subclass, a layer, a loss or metric class given as a parameter)
    travels with the pickle, by reference, and is put in scope when the model
    is loaded. Classes defined inside a function cannot be pickled by
    reference and are left out.
    """
    keras = import_keras()
    layers = getattr(model, "layers", None) or []
    candidates = [type(model), *map(type, layers)]
    candidates += _classes(wrapper.loss) + _classes(wrapper.metrics)
    candidates += _classes(getattr(model, "loss", None))
    found = {}
    for cls in candidates:
        module = getattr(cls, "__module__", "") or ""
        if module.split(".")[0] in ("keras", "builtins", "tensorflow"):
            continue
        if "<locals>" in getattr(cls, "__qualname__", "<locals>"):
            continue
        found[keras.saving.get_registered_name(cls)] = cls
    return found
