"""Who owns a network, and compiled networks kept for the next fit.

Cross-validation and searches fit the same architecture again and again, and
each new Keras network pays again for tracing (TensorFlow) or compiling (JAX)
its training and predict steps. A network that sklstm built for a fit, once
its estimator is gone, waits here, compiled, for the next fit of the same
architecture on data of the same shapes. That fit builds its network as
before, under its own seed, then hands the fresh weights, a fresh optimizer
state and its normalisation statistics to the waiting network and trains
that one instead: the compiled steps are the ones a new network would trace,
the numbers are the new network's, so the result is the same to the bit
(``tests/test_reuse.py``).

A network is lent to one estimator at a time and returns here only when that
estimator is garbage or refitted, and only if no code outside sklstm ever
held it: reading ``model_`` from outside sklstm marks the network as the
user's (:func:`expose`), and such a network is never reused. At most
``CAPACITY`` networks wait; the least recently used is released first, with
its compiled steps. Only sklstm's own networks (``model=None``) are reused: a
user's network can hold state its configuration does not describe. Nor is a
network fitted under a Keras distribution or a TensorFlow strategy, which
places it on its devices.
"""

import collections
import json
import sys
import threading
import weakref

from ._backend import backend_name, import_keras
from ._inference import release_compiled_functions
from ._streaming import is_streamed

__all__ = [
    "CAPACITY",
    "NetworkOwnerMixin",
    "clear",
    "discard",
    "expose",
    "give_back",
    "reuse_compiled",
    "set_model",
    "waiting_networks",
]

# Networks kept waiting for a fit of their architecture.
CAPACITY = 4

_LOCK = threading.Lock()
# Waiting networks, least recently returned first: id -> (key, network).
_WAITING = collections.OrderedDict()
# Networks that may wait here once their estimator lets go: network -> key.
_REUSABLE = weakref.WeakKeyDictionary()
# Fitted estimator -> the finalizer that gives its network back.
_OWNERS = weakref.WeakKeyDictionary()


def network_key(estimator, model, X, y, sample_weight):
    """What a compiled network depends on, as a string; None: never reuse.

    The architecture (the network's configuration without its seeds, which
    only choose initial values), the compilation (optimizer, loss, metrics,
    steps per execution), the shape of a row of the data, its types and the
    fit arguments that change which steps are traced.

    The number of rows is not part of it: a step is compiled per batch shape,
    and a network keeps the steps it compiled for each, so the final fit
    after early stopping, a search's refit on every row and folds of unequal
    sizes take the network that the earlier fits compiled, and compile at
    most the step of a last, shorter batch. Nor is the validation split: it
    only adds an evaluation step.
    """
    if estimator.model is not None or _distributed():
        return None
    try:
        parts = {
            "backend": backend_name(),
            "floatx": import_keras().config.floatx(),
            "network": _canonical(model.get_config()),
            "compile": _without_optimizer_name(model.get_compile_config()),
            "X": (X.shape[1:], X.dtype.str),
            "y": (y.shape[1:], y.dtype.str),
            "sample_weight": None if sample_weight is None else sample_weight.shape[1:],
            "batch_size": estimator.batch_size,
            "streamed": is_streamed(X),
            "fit": sorted(estimator._routed("fit")),
        }
        return json.dumps(parts, sort_keys=True, default=_refuse)
    except (TypeError, ValueError, NotImplementedError):
        return None


def _distributed():
    """Whether a Keras distribution or a TensorFlow strategy is in effect.

    A network built under one is placed on its devices: never reused.
    """
    keras = import_keras()
    if keras.distribution.distribution() is not None:
        return True
    if "tensorflow" in sys.modules and backend_name() == "tensorflow":
        import tensorflow as tf

        return tf.distribute.has_strategy()
    return False


def _refuse(value):
    raise TypeError(f"not part of a network key: {type(value).__name__}")


def _without_optimizer_name(config):
    """The compile configuration less what the compiled steps do not hold.

    Keras numbers the names of optimizers (adam, adam_1, ...) as it makes
    them. A learning rate given as a number is an optimizer variable (the one
    ``ReduceLROnPlateau`` sets), which the steps read and :func:`_copy_state`
    copies, so networks that differ only in it share their compiled steps; a
    schedule stays in the key.
    """
    optimizer = dict(config.get("optimizer") or {})
    if isinstance(optimizer.get("config"), dict):
        optimizer["config"] = {
            k: v
            for k, v in optimizer["config"].items()
            if k != "name"
            and not (k == "learning_rate" and isinstance(v, (int, float)))
        }
    return {**config, "optimizer": optimizer}


def _canonical(config):
    """A network's configuration without what does not change its steps.

    Seeds only choose initial values, which the fit copies. Keras numbers the
    names of the layers it makes for operations on symbolic tensors (``any``,
    ``any_1``, ...): every layer name becomes its position.
    """
    names = {
        layer["name"]: f"#{i}"
        for i, layer in enumerate(config.get("layers", ()))
        if isinstance(layer, dict) and isinstance(layer.get("name"), str)
    }

    def walk(value):
        if isinstance(value, dict):
            return {k: walk(v) for k, v in value.items() if k != "seed"}
        if isinstance(value, (list, tuple)):
            return [walk(v) for v in value]
        if isinstance(value, str):
            return names.get(value, value)
        return value

    return walk(config)


def reuse_compiled(estimator, model, X, y, sample_weight):
    """The network to train: a waiting compiled twin of ``model``, or ``model``.

    ``model`` is the freshly built and compiled network of this fit. A twin
    gets its variables (initial weights, statistics, seed states) and a fresh
    optimizer state, so that training it is training ``model``.
    """
    key = network_key(estimator, model, X, y, sample_weight)
    if key is None:
        return model
    twin = _take(key)
    if twin is None:
        _REUSABLE[model] = key
        return model
    _copy_state(model, twin)
    _REUSABLE[twin] = key
    return twin


def _take(key):
    with _LOCK:
        for ident, (waiting_key, network) in reversed(_WAITING.items()):
            if waiting_key == key:
                del _WAITING[ident]
                return network
    return None


def _copy_state(source, target):
    from ._stateful import reset_recurrent_states

    for variable, value in zip(target.variables, source.variables, strict=True):
        variable.assign(value)
    optimizer = source.optimizer
    if not optimizer.built:
        optimizer.build(source.trainable_variables)
    for variable, value in zip(
        target.optimizer.variables, optimizer.variables, strict=True
    ):
        variable.assign(value)
    target.reset_metrics()
    reset_recurrent_states(target)


def expose(network):
    """Mark ``network`` as held by code outside sklstm: never reuse it."""
    _REUSABLE.pop(network, None)


def discard(network):
    """Forget ``network`` (a fit on it failed): it is never reused."""
    if _REUSABLE.pop(network, None) is not None:
        release_compiled_functions(network)


def give_back(network):
    """An estimator let go of ``network``: keep it waiting, or release it."""
    key = _REUSABLE.get(network)
    if key is None:
        release_compiled_functions(network)
        return
    evicted = []
    with _LOCK:
        _WAITING[id(network)] = (key, network)
        while len(_WAITING) > CAPACITY:
            evicted.append(_WAITING.popitem(last=False)[1][1])
    for old in evicted:
        _REUSABLE.pop(old, None)
        release_compiled_functions(old)


class NetworkOwnerMixin:
    """``model_``, the estimator's network, marked as the caller's once read.

    sklstm's own code reads it freely; a read from any other module makes
    the network the caller's (:func:`expose`), never to be reused.
    """

    @property
    def model_(self):
        """The fitted ``keras.Model``.

        A network read here by code outside sklstm is the caller's: sklstm
        never hands it to another fit (``sklstm._reuse``).
        """
        try:
            network = vars(self)["_network"]
        except KeyError:
            raise AttributeError(
                f"{type(self).__name__!r} object has no attribute 'model_'"
            ) from None
        caller = sys._getframe(1).f_globals.get("__name__", "")
        if caller != "sklstm" and not caller.startswith("sklstm."):
            expose(network)
        return network

    @model_.setter
    def model_(self, network):
        vars(self)["_network"] = network


def set_model(estimator, model):
    """Give ``estimator`` its fitted ``model_``, owning its compiled steps.

    The network it replaces is given back now, ``model`` when the estimator
    is garbage: kept for reuse where :func:`reuse_compiled` allows it, else
    released with its compiled steps (see
    :func:`~sklstm._inference.release_compiled_functions`).
    """
    previous = _OWNERS.pop(estimator, None)
    if previous is not None:
        detached = previous.detach()
        if detached is not None and detached[2][0] is not model:
            give_back(detached[2][0])
    estimator.model_ = model
    finalizer = weakref.finalize(estimator, give_back, model)
    finalizer.atexit = False
    _OWNERS[estimator] = finalizer


def waiting_networks():
    """How many compiled networks wait for reuse."""
    with _LOCK:
        return len(_WAITING)


def clear():
    """Release every waiting network and its compiled steps."""
    with _LOCK:
        networks = [network for _, network in _WAITING.values()]
        _WAITING.clear()
    for network in networks:
        _REUSABLE.pop(network, None)
        release_compiled_functions(network)
