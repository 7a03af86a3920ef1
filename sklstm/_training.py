"""Training a network: compile and fit arguments, and the fit itself.

:func:`compile_kwargs` turns an estimator's parameters into the arguments of
``keras.Model.compile``, :func:`fit_kwargs` into those of ``keras.Model.fit``,
and :func:`train` runs the fit with sklstm's habits: the training state built
before the step is traced, and TensorFlow's gradient registry left as found.
Why each habit exists, with measurements, is in ``docs/user_guide/speed.rst``.
"""

import contextlib
import inspect
import threading

import numpy as np

from ._backend import backend_name, import_keras
from ._compat import (
    compile_loss,
    compile_metrics,
    flatten_layers,
    gradient_registry,
    symbolic_build,
)
from ._holdout import stops_early, validation_fraction
from ._iterators import (
    batches_per_epoch,
    epoch_steps,
    one_validation_iterator,
    seeded_shuffle_data,
    validation_callbacks,
)
from ._streaming import as_batch, is_streamed, split_at, streamed_fit_data
from ._validation import tuple_of_positive_ints

__all__ = [
    "compile_kwargs",
    "fit_kwargs",
    "merge_history",
    "n_batches",
    "plan_batches",
    "release_traced_gradients",
    "auto_steps_per_execution",
    "resolve_steps_per_execution",
    "train",
]

# Batches per compiled training call where "auto" chooses several.
AUTO_STEPS_PER_EXECUTION = 32

_TRAINING_LOCK = threading.Lock()
# Fits in progress, and the gradient registry's names when the first began.
_ACTIVE_FITS = {"count": 0, "registered_before": frozenset()}

_LOSS_CLASS_NAMES = {
    "mse": "MeanSquaredError",
    "mean_squared_error": "MeanSquaredError",
    "mae": "MeanAbsoluteError",
    "mean_absolute_error": "MeanAbsoluteError",
    "huber": "Huber",
    "binary_crossentropy": "BinaryCrossentropy",
    "categorical_crossentropy": "CategoricalCrossentropy",
    "sparse_categorical_crossentropy": "SparseCategoricalCrossentropy",
}


def compile_kwargs(estimator, spec):
    """The arguments of ``compile`` for output specification ``spec``."""
    kwargs = {
        "optimizer": _optimizer(estimator),
        "loss": _loss(estimator, spec),
        "metrics": _metrics(estimator.metrics),
        "steps_per_execution": resolve_steps_per_execution(estimator),
        "jit_compile": estimator.jit_compile,
    }
    kwargs.update(estimator._routed("compile"))
    return kwargs


def _optimizer(estimator):
    keras = import_keras()
    optimizer = estimator.optimizer
    if not isinstance(optimizer, (str, type)):
        # A fresh copy, so that the parameter is never mutated by training.
        return optimizer.__class__.from_config(optimizer.get_config())
    arguments = {"learning_rate": estimator.learning_rate}
    routed = estimator._routed("optimizer")
    if estimator.clipnorm is not None and not {
        "clipnorm",
        "clipvalue",
        "global_clipnorm",
    } & set(routed):
        arguments["clipnorm"] = estimator.clipnorm
    arguments.update(routed)
    try:
        if isinstance(optimizer, str):
            return keras.optimizers.get({"class_name": optimizer, "config": arguments})
        return optimizer(**arguments)
    except (ValueError, TypeError) as exc:
        # Say which of the name and the arguments is wrong.
        if isinstance(optimizer, str):
            try:
                optimizer_class = type(keras.optimizers.get(optimizer))
            except ValueError:
                raise ValueError(
                    "`optimizer` must name a Keras optimizer such as 'adam', 'sgd' "
                    f"or 'rmsprop'. Received: optimizer={optimizer!r}"
                ) from exc
        else:
            optimizer_class = optimizer
        _check_arguments(optimizer_class, arguments, "optimizer")
        raise


def _check_arguments(klass, arguments, prefix):
    """Refuse routed arguments that ``klass`` takes nowhere in its ``__init__``s."""
    accepted = []
    for base in klass.__mro__:
        if "__init__" in vars(base):
            for name, parameter in inspect.signature(base.__init__).parameters.items():
                named = parameter.kind not in (
                    parameter.VAR_KEYWORD,
                    parameter.VAR_POSITIONAL,
                )
                if named and name != "self" and name not in accepted:
                    accepted.append(name)
    unknown = sorted(set(arguments) - set(accepted))
    if unknown:
        raise ValueError(
            f"{klass.__name__} takes no argument {', '.join(map(repr, unknown))} "
            f"(given as {', '.join(prefix + '__' + name for name in unknown)}). "
            f"It takes: {', '.join(accepted)}."
        )


def _metrics(metrics):
    """The ``metrics`` parameter for ``compile``; metric classes instantiated.

    A class (``keras.metrics.R2Score``) would compile, but a network holding it
    cannot be saved or pickled: Keras calls ``get_config`` on it.
    """
    if not metrics:
        return None
    if isinstance(metrics, str):  # scikeras' spelling: metrics="accuracy"
        metrics = [metrics]
    return [metric() if isinstance(metric, type) else metric for metric in metrics]


def _loss(estimator, spec):
    keras = import_keras()
    loss = spec["loss"] if estimator.loss == "auto" else estimator.loss
    if isinstance(loss, str):
        try:
            keras.losses.get(loss)
        except ValueError as exc:
            raise ValueError(
                "`loss` must be 'auto' or name a Keras loss such as 'mse', 'mae' "
                f"or 'huber'. Received: loss={loss!r}"
            ) from exc
    loss_kwargs = estimator._routed("loss")
    if loss_kwargs and isinstance(loss, str):
        loss = keras.losses.get(
            {"class_name": _LOSS_CLASS_NAMES.get(loss, loss), "config": loss_kwargs}
        )
    return loss


def resolve_steps_per_execution(estimator):
    """Batches per compiled call; an integer is used as given.

    "auto" is ``AUTO_STEPS_PER_EXECUTION`` on JAX; on TensorFlow it is that
    only for sklstm's own networks whose batches are small
    (:func:`batch_work` of at most 2e5) over at least 1000 steps, else 1,
    lowered to the largest count that divides an epoch's training batches
    and the validation batches; and 1 on other backends
    (``docs/user_guide/speed.rst`` has the measurements).
    """
    if estimator.steps_per_execution != "auto":
        return estimator.steps_per_execution
    if backend_name() == "tensorflow" and estimator.model is not None:
        return 1
    steps = auto_steps_per_execution(
        getattr(estimator, "_n_train_steps", 0), lambda: batch_work(estimator)
    )
    if backend_name() == "tensorflow":
        # the largest count that divides a validation pass, so that the pass
        # can keep its iterator (sklstm._compat.keep_validation_iterator),
        # and an epoch, so that a seeded fit's shuffled batches come from one
        # iterator (sklstm._iterators.seeded_shuffle_data)
        counts = [
            count
            for count in (
                getattr(estimator, "_n_validation_batches", 0),
                getattr(estimator, "_n_epoch_batches", 0),
            )
            if count
        ]
        steps = max(
            k for k in range(1, steps + 1) if all(count % k == 0 for count in counts)
        )
    return steps


def auto_steps_per_execution(n_steps, work):
    """The "auto" rule: ``AUTO_STEPS_PER_EXECUTION`` on JAX, and on TensorFlow
    when a fit of at least 1000 steps has small batches (``work()``, the
    multiply-adds per batch, at most 2e5); else 1."""
    backend = backend_name()
    if backend == "jax":
        return AUTO_STEPS_PER_EXECUTION
    if backend == "tensorflow" and n_steps >= 1000 and work() <= 2e5:
        return AUTO_STEPS_PER_EXECUTION
    return 1


def batch_work(estimator):
    """Multiply-adds per batch of the recurrent stack, over 4 gates.

    An estimator whose network runs the stack more than once (the
    autoencoder's decoder mirrors its encoder) says so in
    ``_n_recurrent_stacks``.
    """
    units = tuple_of_positive_ints(estimator.units, "units")
    if estimator.embedding_dim is not None:
        width = estimator.embedding_dim
    elif estimator._input_ndim == 2:
        width = 1
    else:
        width = estimator.n_features_in_
    directions = 2 if estimator.bidirectional else 1
    work = 0
    for n in units:
        work += directions * n * (n + width)
        width = directions * n
    return (
        estimator._n_recurrent_stacks
        * estimator.batch_size
        * estimator.n_timesteps_in_
        * work
    )


def plan_batches(estimator, n_samples, epochs, *, final=False):
    """Set the fit's ``validation_split_`` and its number of training steps.

    ``final``: the fit on every row that follows early stopping
    (:func:`sklstm._holdout.final_fit_epochs`), which holds nothing out.
    """
    estimator.validation_split_ = (
        0.0 if final else validation_fraction(estimator, n_samples, epochs)
    )
    estimator._n_epoch_batches = n_batches(n_samples, estimator)
    estimator._n_train_steps = epochs * estimator._n_epoch_batches
    held_out = n_samples - split_at(n_samples, estimator.validation_split_)
    estimator._n_validation_batches = -(-held_out // estimator.batch_size)


def n_batches(n_samples, estimator):
    """Training batches per epoch, after the validation split."""
    return batches_per_epoch(
        n_samples, estimator.validation_split_, estimator.batch_size
    )


def fit_kwargs(
    estimator, epochs, X=None, y=None, sample_weight=None, *, learning_rates=None
):
    """The arguments of ``keras.Model.fit``, callbacks included.

    With the training data, they include it: ``x``, ``y`` and
    ``sample_weight`` for arrays, or a ``keras.utils.PyDataset`` gathering
    the batches (and one for validation) when X is too costly to copy whole
    (:func:`sklstm._streaming.streamed_fit_data`).

    ``learning_rates``: the fit on every row after early stopping
    (:func:`sklstm._holdout.final_fit_epochs`), given the learning rate of
    each epoch of the fit that chose its length. It neither stops early nor
    watches a plateau: it replays that fit's schedule.
    """
    keras = import_keras()
    from ._callbacks import ResetStatesAtEpochStart, StopOnNaN

    callbacks = estimator.callbacks or []
    # scikeras' spelling: one callback object rather than a list
    callbacks = list(callbacks) if isinstance(callbacks, (list, tuple)) else [callbacks]
    callbacks.append(StopOnNaN())
    if estimator.stateful:
        callbacks.append(ResetStatesAtEpochStart())
    split = estimator.validation_split_
    monitor = "val_loss" if split else "loss"
    if learning_rates:
        callbacks.append(
            keras.callbacks.LearningRateScheduler(
                lambda epoch, rate: learning_rates[min(epoch, len(learning_rates) - 1)]
            )
        )
    elif learning_rates is None and estimator.reduce_lr_on_plateau:
        callbacks.append(
            keras.callbacks.ReduceLROnPlateau(
                monitor=monitor,
                factor=0.5,
                patience=max(estimator.patience // 2, 1),
                min_lr=estimator.learning_rate / 64,
            )
        )
    if learning_rates is None and stops_early(estimator, split):
        callbacks.append(
            keras.callbacks.EarlyStopping(
                monitor=monitor, patience=estimator.patience, restore_best_weights=True
            )
        )
    kwargs = {
        "epochs": epochs,
        "batch_size": estimator.batch_size,
        "validation_split": split,
        "shuffle": estimator.shuffle and not estimator.stateful,
        "verbose": estimator.verbose,
        "callbacks": callbacks,
    }
    routed = estimator._routed("fit")
    kwargs.update(routed)
    if X is None:
        return kwargs
    if is_streamed(X):
        kwargs = streamed_fit_data(estimator, X, y, sample_weight, kwargs)
        held_out = kwargs.get("validation_data")
        if isinstance(held_out, tuple) and "validation_data" not in routed:
            # the held-out rows, which streamed_fit_data copied
            rows, targets, weights = (*held_out, None)[:3]
            callback = one_validation_iterator(
                rows, targets, weights, kwargs["validation_batch_size"]
            )
            kwargs["callbacks"] = [*kwargs["callbacks"], *callback]
        return kwargs
    one_iterator = seeded_shuffle_data(
        X, y, sample_weight, kwargs, resolve_steps_per_execution(estimator)
    )
    if one_iterator is not None:
        return one_iterator
    kwargs = {**epoch_steps(X, kwargs), **kwargs}
    kwargs["callbacks"] = [
        *kwargs["callbacks"],
        *validation_callbacks(X, y, sample_weight, kwargs),
    ]
    return {"x": X, "y": y, "sample_weight": sample_weight, **kwargs}


def train(estimator, model, X, y, sample_weight, *, epochs, learning_rates=None):
    """Fit ``model`` and return its history dict; raise if the loss diverged.

    ``learning_rates``: see :func:`fit_kwargs`.
    """
    from ._autoregressive import network_alone  # imports Keras

    with release_traced_gradients(), network_alone(model):
        build_training_state(model, X, y, sample_weight)
        kwargs = fit_kwargs(
            estimator, epochs, X, y, sample_weight, learning_rates=learning_rates
        )
        history = model.fit(**kwargs)
    losses = history.history.get("loss", [])
    if not losses or not np.all(np.isfinite(losses)):
        raise ValueError(_nan_loss_message(estimator, losses))
    return history.history


def build_training_state(model, X, y, sample_weight):
    """Create the optimizer's, loss's and metrics' variables before ``fit`` traces.

    On TensorFlow, Keras leaves the optimizer (and the compiled metrics)
    unbuilt until the training step is traced, and a ``tf.function`` whose
    first trace created variables is traced a second time without them: the
    whole forward and backward graph is built twice. Building them first
    leaves one trace. The optimizer is built on the network's trainable
    variables, as Keras does; the compiled loss and metrics, which need the
    shapes of the outputs, by Keras' own symbolic build on the first rows.
    Keras' ``fit`` would instead draw a whole first batch from the shuffled
    data, which on JAX consumes a NumPy permutation: building here makes a
    fit shuffle the same whether its network is new or already built
    (``sklstm._reuse``). The variables and their initial values are those
    Keras would create, so the training is unchanged. A network whose layers
    are not all built yet (a subclassed model before its first call), or a
    Keras without these internals, is left to Keras.
    """
    optimizer = getattr(model, "optimizer", None)
    containers = [compile_metrics(model), compile_loss(model)]
    optimizer_unbuilt = optimizer is not None and not optimizer.built
    outputs_unbuilt = any(c is not None and not c.built for c in containers)
    if not (optimizer_unbuilt or outputs_unbuilt) or not model.built:
        return
    layers = flatten_layers(model)
    if layers is None or not all(layer.built for layer in layers):
        return
    build = symbolic_build(model)
    arrays = isinstance(X, np.ndarray) and isinstance(y, np.ndarray)
    if outputs_unbuilt and build is not None and arrays:
        # one row, or the fixed batch size of a stateful network, copied out
        # of a strided or memory-mapped X as the batches of the fit will be
        n = slice(_fixed_batch_size(model) or 1)
        batch = (
            as_batch(X, n),
            y[n],
            None if sample_weight is None else sample_weight[n],
        )
        build(data_batch=batch)
    elif optimizer_unbuilt and model.trainable_variables:
        optimizer.build(model.trainable_variables)


def _fixed_batch_size(model):
    inputs = getattr(model, "inputs", None) or [None]
    shape = getattr(inputs[0], "shape", None)
    return shape[0] if shape else None


@contextlib.contextmanager
def release_traced_gradients():
    """Drop the gradient functions TensorFlow registers while fits trace.

    Tracing a Keras train step on TensorFlow wraps the gradient all-reduce in
    a graph-mode ``tf.custom_gradient``, which adds a ``CustomGradient-N``
    entry to TensorFlow's process-wide gradient registry and never removes
    it. The entry's closure holds the whole traced graph, so a loop of fits
    (a grid search in one process) grows without bound, with hand-written
    Keras as with any wrapper. The entries are looked up only while a train
    step is being traced, so once the last of the concurrent fits has
    returned, those added since the first began can go. Other backends, or a
    TensorFlow without this registry, are left alone.
    """
    registry = gradient_registry()
    if registry is None:
        yield
        return
    with _TRAINING_LOCK:
        if _ACTIVE_FITS["count"] == 0:
            _ACTIVE_FITS["registered_before"] = frozenset(registry)
        _ACTIVE_FITS["count"] += 1
    try:
        yield
    finally:
        with _TRAINING_LOCK:
            _ACTIVE_FITS["count"] -= 1
            if _ACTIVE_FITS["count"] == 0:
                before = _ACTIVE_FITS["registered_before"]
                for name in set(registry) - before:
                    if name.startswith("CustomGradient-"):
                        registry.pop(name, None)


def _nan_loss_message(estimator, losses):
    epoch = next(
        (i + 1 for i, v in enumerate(losses) if not np.isfinite(v)), len(losses)
    )
    return (
        f"The training loss of {type(estimator).__name__} became NaN or infinite at "
        f"epoch {epoch}. Lower `learning_rate` (received learning_rate="
        f"{estimator.learning_rate}), scale X and y (e.g. with StandardScaler), or "
        "add gradient clipping (optimizer__clipnorm=1.0). The estimator was left as "
        "it was before fit."
    )


def merge_history(previous, new):
    """``new`` epochs appended to the ``previous`` history (warm starts)."""
    history = {key: [float(v) for v in values] for key, values in new.items()}
    if previous:
        history = {
            key: list(previous.get(key, [])) + history.get(key, [])
            for key in {**previous, **history}
        }
    return history
