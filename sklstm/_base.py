"""The scikit-learn contract that every Keras-backed sklstm estimator shares.

This module replaces scikeras' ``BaseWrapper``. It keeps scikeras' conventions
(a ``model`` that is a Keras model or a builder callable, routed parameters
such as ``optimizer__beta_1``, ``loss__…``, ``fit__…`` and ``model__…``,
``warm_start``, ``partial_fit``, ``initialize``, ``history_``) and fixes what
scikeras 0.13 gets wrong on scikit-learn >= 1.6: tags come from
``__sklearn_tags__``, 3-D input is validated properly, ``n_features_in_``
counts per-step features, sparse input is refused with a clear error, seeding
restores the caller's global random state, and Keras is imported only when a
model is first built (``import scikeras`` imports TensorFlow).
See ``docs/user_guide/design.rst`` for why the base is ours rather than a subclass.
"""

import contextlib
import inspect
import numbers
import os
import random
import sys
import threading
import weakref

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.utils import check_array
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import (
    _check_feature_names,
    _check_sample_weight,
    check_is_fitted,
    validate_data,
)

from ._seeding import seed_from_random_state, seeded

__all__ = ["BaseSequenceEstimator"]

# Parameter prefixes routed to Keras, as scikeras routes them.
ROUTED_PREFIXES = ("model", "optimizer", "loss", "fit", "compile")

# Rows passed to the network in one call at predict time.
PREDICT_CHUNK = 8192
ROW_MULTIPLE = 16
# Batches per compiled training call where "auto" chooses several.
AUTO_STEPS_PER_EXECUTION = 32

_PREDICT_LOCK = threading.Lock()
_JAX_PREDICT_LOCK = threading.Lock()
# TensorFlow: model -> {(input shape, dtype): concrete predict function}
_TF_PREDICT_FUNCTIONS = weakref.WeakKeyDictionary()
# Network -> networks built on its layers (the autoencoder's encoder, decoder).
_DERIVED_MODELS = weakref.WeakKeyDictionary()
# Fitted estimator -> the finalizer that releases its network's compiled steps.
_MODEL_RELEASERS = weakref.WeakKeyDictionary()


def _keras():
    """Import Keras (and its backend) on first use."""
    first = "keras" not in sys.modules
    if first:
        _limit_backend_threads()
        # Importing TensorFlow draws from Python's and NumPy's global random
        # generators; the caller must not see that.
        python_state, numpy_state = random.getstate(), np.random.get_state()
        try:
            import keras
        finally:
            random.setstate(python_state)
            np.random.set_state(numpy_state)
    import keras

    if first and "TF_NUM_INTRAOP_THREADS" in os.environ and "tensorflow" in sys.modules:
        import tensorflow as tf

        try:  # effective only before TensorFlow's runtime has started
            tf.config.threading.set_intra_op_parallelism_threads(
                int(os.environ["TF_NUM_INTRAOP_THREADS"])
            )
            tf.config.threading.set_inter_op_parallelism_threads(
                int(os.environ.get("TF_NUM_INTEROP_THREADS", "0"))
            )
        except (RuntimeError, ValueError):
            pass
    return keras


_TRAINING_LOCK = threading.Lock()
# Fits in progress, and the gradient registry's names when the first began.
_ACTIVE_FITS = {"count": 0, "registered_before": frozenset()}


@contextlib.contextmanager
def _release_traced_gradients():
    """Drop the gradient functions TensorFlow registers while fits trace.

    Tracing a Keras train step on TensorFlow wraps the gradient all-reduce in
    a graph-mode ``tf.custom_gradient``, which adds a ``CustomGradient-N``
    entry to TensorFlow's process-wide gradient registry and never removes
    it. The entry's closure holds the whole traced graph, about 10 MB per
    fitted network, so a loop of fits (a grid search in one process) grows
    without bound, with hand-written Keras as with any wrapper. The entries
    are looked up only while a train step is being traced, so once the last
    of the concurrent fits has returned, those added since the first began
    can go. Other backends, or a TensorFlow without this registry, are left
    alone.
    """
    registry = None
    tf_ops = sys.modules.get("tensorflow.python.framework.ops")
    if tf_ops is not None:
        gradients = getattr(tf_ops, "_gradient_registry", None)
        registry = getattr(gradients, "_registry", None)
    if not isinstance(registry, dict):
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


def _limit_backend_threads():
    """Give the backend no more threads than joblib gives this process.

    joblib's worker processes (``GridSearchCV(n_jobs=k)``) receive
    ``OMP_NUM_THREADS`` set to their share of the cores, which BLAS libraries
    follow but TensorFlow and XLA do not: each worker would run a thread pool
    as large as the machine, and k workers would oversubscribe the cores. Before
    the backend is first imported, this maps that share onto TensorFlow's
    thread settings. Settings the user made are never overridden.
    """
    threads = os.environ.get("OMP_NUM_THREADS", "")
    if not threads.isdigit() or "tensorflow" in sys.modules:
        return
    os.environ.setdefault("TF_NUM_INTRAOP_THREADS", threads)
    os.environ.setdefault("TF_NUM_INTEROP_THREADS", "1")


def _is_ragged(X):
    """True for a list / object array of sequences of different lengths."""
    if isinstance(X, np.ndarray) and X.dtype != object:
        return False
    if not isinstance(X, (list, tuple, np.ndarray)) or len(X) == 0:
        return False
    lengths = set()
    for seq in X:
        if isinstance(seq, (str, bytes)) or not hasattr(seq, "__len__"):
            return False
        lengths.add(len(seq))
        if len(lengths) > 1:
            return True
    return False


def _is_valid_float_array(X, *, allow_nan):
    """True if ``check_array`` would return 3-D ``X`` unchanged and unwarned."""
    if type(X) is not np.ndarray or X.dtype not in (np.float32, np.float64):
        return False
    if X.ndim != 3 or X.size == 0:
        return False
    return not np.isinf(X).any() if allow_nan else bool(np.isfinite(X).all())


def _tuple_of_positive_ints(value, name):
    values = (value,) if isinstance(value, numbers.Integral) else tuple(value)
    if not values or not all(
        isinstance(v, numbers.Integral) and not isinstance(v, bool) and v > 0
        for v in values
    ):
        raise ValueError(
            f"`{name}` must be a positive integer or a tuple of positive integers. "
            f"Received: {name}={value!r}"
        )
    return tuple(int(v) for v in values)


class BaseSequenceEstimator(BaseEstimator):
    """Base class of the recurrent estimators. Not for direct use.

    Subclasses define ``_validate_y`` (targets in, Keras targets and output
    specification out), ``_default_loss`` and how raw network outputs become
    predictions.
    """

    _parameter_constraints = {
        "model": "no_validation",
        "units": [Interval(numbers.Integral, 1, None, closed="left"), tuple, list],
        "cell": [StrOptions({"lstm", "gru"})],
        "bidirectional": ["boolean"],
        "dropout": [Interval(numbers.Real, 0, 1, closed="left")],
        "recurrent_dropout": [Interval(numbers.Real, 0, 1, closed="left")],
        "dense_units": [tuple, list, None],
        "activation": [str, callable],
        "kernel_regularizer": [Interval(numbers.Real, 0, None, closed="left")],
        "optimizer": "no_validation",
        "learning_rate": [Interval(numbers.Real, 0, None, closed="neither")],
        "loss": "no_validation",
        "metrics": [list, tuple, None],
        "epochs": [Interval(numbers.Integral, 1, None, closed="left")],
        "batch_size": [Interval(numbers.Integral, 1, None, closed="left")],
        "validation_split": [Interval(numbers.Real, 0, 1, closed="left")],
        "early_stopping": ["boolean"],
        "patience": [Interval(numbers.Integral, 0, None, closed="left")],
        "shuffle": ["boolean"],
        "mask_value": [numbers.Real, None],
        "embedding_dim": [Interval(numbers.Integral, 1, None, closed="left"), None],
        "vocab_size": [Interval(numbers.Integral, 2, None, closed="left"), None],
        "return_sequences": [StrOptions({"auto"}), "boolean"],
        "stateful": ["boolean"],
        "data_format": [StrOptions({"channels_last", "channels_first"})],
        "warm_start": ["boolean"],
        "steps_per_execution": [
            StrOptions({"auto"}),
            Interval(numbers.Integral, 1, None, closed="left"),
        ],
        "jit_compile": [StrOptions({"auto"}), "boolean"],
        "unroll": [StrOptions({"auto"}), "boolean"],
        "random_state": ["random_state"],
        "verbose": [Interval(numbers.Integral, 0, 2, closed="both")],
        "callbacks": [list, tuple, None],
    }

    _requires_y = True

    def __init__(
        self,
        model=None,
        *,
        units=32,
        cell="lstm",
        bidirectional=False,
        dropout=0.0,
        recurrent_dropout=0.0,
        dense_units=(),
        activation="relu",
        kernel_regularizer=0.0,
        optimizer="adam",
        learning_rate=0.001,
        loss="auto",
        metrics=None,
        epochs=50,
        batch_size=32,
        validation_split=0.0,
        early_stopping=False,
        patience=10,
        shuffle=True,
        mask_value=np.nan,
        embedding_dim=None,
        vocab_size=None,
        return_sequences="auto",
        stateful=False,
        data_format="channels_last",
        warm_start=False,
        steps_per_execution="auto",
        jit_compile="auto",
        unroll="auto",
        random_state=None,
        verbose=0,
        callbacks=None,
        **routed_params,
    ):
        self.model = model
        self.units = units
        self.cell = cell
        self.bidirectional = bidirectional
        self.dropout = dropout
        self.recurrent_dropout = recurrent_dropout
        self.dense_units = dense_units
        self.activation = activation
        self.kernel_regularizer = kernel_regularizer
        self.optimizer = optimizer
        self.learning_rate = learning_rate
        self.loss = loss
        self.metrics = metrics
        self.epochs = epochs
        self.batch_size = batch_size
        self.validation_split = validation_split
        self.early_stopping = early_stopping
        self.patience = patience
        self.shuffle = shuffle
        self.mask_value = mask_value
        self.embedding_dim = embedding_dim
        self.vocab_size = vocab_size
        self.return_sequences = return_sequences
        self.stateful = stateful
        self.data_format = data_format
        self.warm_start = warm_start
        self.steps_per_execution = steps_per_execution
        self.jit_compile = jit_compile
        self.unroll = unroll
        self.random_state = random_state
        self.verbose = verbose
        self.callbacks = callbacks
        vars(self).update(routed_params)

    # ------------------------------------------------------------------
    # Parameters: routed ``prefix__name`` parameters, as in scikeras
    # ------------------------------------------------------------------
    def _check_routed_names(self):
        for key in self._routed_params():
            if "__" not in key or key.split("__", 1)[0] not in ROUTED_PREFIXES:
                raise TypeError(
                    f"{type(self).__name__} got an unexpected parameter {key!r}. "
                    "Routed parameters must start with one of "
                    f"{', '.join(p + '__' for p in ROUTED_PREFIXES)}"
                )

    def _routed_params(self):
        """The keyword arguments given beyond the signature's parameters."""
        named = set(self._get_param_names())
        return {
            key: value
            for key, value in vars(self).items()
            if key not in named and not key.startswith("_") and not key.endswith("_")
        }

    def _routed(self, prefix):
        """The routed parameters of one prefix, without the prefix."""
        start = prefix + "__"
        return {
            key[len(start) :]: value
            for key, value in self._routed_params().items()
            if key.startswith(start)
        }

    def get_params(self, deep=True):
        params = super().get_params(deep=deep)
        params.update(self._routed_params())
        return params

    def set_params(self, **params):
        routed = {
            key: value
            for key, value in params.items()
            if "__" in key
            and key.split("__", 1)[0] in ROUTED_PREFIXES
            and (
                key in vars(self)
                or not hasattr(getattr(self, key.split("__", 1)[0], None), "set_params")
            )
        }
        vars(self).update(routed)
        rest = {key: value for key, value in params.items() if key not in routed}
        if rest:
            super().set_params(**rest)
        return self

    # ------------------------------------------------------------------
    # Tags and fitted-state check
    # ------------------------------------------------------------------
    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.three_d_array = True
        tags.input_tags.sparse = False
        tags.input_tags.allow_nan = False
        tags.non_deterministic = self.random_state is None
        return tags

    def __sklearn_is_fitted__(self):
        return hasattr(self, "model_")

    # ------------------------------------------------------------------
    # Input validation
    # ------------------------------------------------------------------
    def _validate_X(self, X, *, reset):
        """Validate X (see ``_validate_X_impl``), naming X in conversion errors."""
        try:
            return self._validate_X_impl(X, reset=reset)
        except ValueError as exc:
            if "could not convert" not in str(exc):
                raise
            raise ValueError(
                f"X must hold numbers, but {type(self).__name__} could not convert "
                f"it to float ({exc}). Map texts to token ids with "
                "sklstm.TextSequencer, and encode categories before the network."
            ) from exc

    def _validate_X_impl(self, X, *, reset):
        """Validate X and return it in the network's layout.

        2-D input ``(n_samples, n_timesteps)`` is read as univariate sequences
        (or as token ids when ``embedding_dim`` is set), 3-D input as
        ``(n_samples, n_timesteps, n_features)``.
        """
        name = type(self).__name__
        if _is_ragged(X):
            lengths = sorted({len(seq) for seq in X})
            raise ValueError(
                f"X is a ragged list of sequences of lengths {lengths[:5]}"
                f"{'...' if len(lengths) > 5 else ''}; {name} needs sequences of "
                "equal length. Pad them first with sklstm.SequencePadder, e.g. "
                f"make_pipeline(SequencePadder(), {name}())."
            )
        if hasattr(X, "iloc") or _sparse(X):
            ndim = 2
        else:
            X = np.asarray(X)
            ndim = X.ndim
        if ndim not in (2, 3):
            raise ValueError(
                f"{name} expects X as a 2-D array (n_samples, n_timesteps) or a "
                f"3-D array (n_samples, n_timesteps, n_features); got a {ndim}-D "
                "array. Reshape your data into windows with "
                "sklstm.make_windows or sklstm.SlidingWindowTransformer."
                if ndim < 2
                else f"{name} expects X as a 2-D array (n_samples, n_timesteps) or "
                "a 3-D array (n_samples, n_timesteps, n_features); got a "
                f"{ndim}-D array of shape {np.shape(X)}."
            )
        if not reset:
            fitted_ndim = self._input_ndim
            if ndim != fitted_ndim:
                raise ValueError(
                    f"X is {ndim}-D but {name} was fitted on {fitted_ndim}-D input; "
                    "pass X in the layout used in fit."
                )
        if self.embedding_dim is not None:
            return self._validate_tokens(X, ndim, reset=reset)
        if ndim == 2:
            X = validate_data(
                self,
                X,
                reset=reset,
                dtype=[np.float32, np.float64],
                ensure_min_samples=1,
            )
            X = X[:, :, np.newaxis]
        else:
            nan_padding = self.mask_value is not None and np.isnan(self.mask_value)
            # At predict, a valid NumPy array (the one-row prediction of a
            # service) skips scikit-learn's checks, a tenth of a millisecond:
            # they would return it as is, with no feature names to compare.
            already_valid = (
                not reset
                and not hasattr(self, "feature_names_in_")
                and _is_valid_float_array(X, allow_nan=nan_padding)
            )
            if not already_valid:
                _check_feature_names(self, X, reset=reset)
                X = check_array(
                    X,
                    allow_nd=True,
                    dtype=[np.float32, np.float64],
                    ensure_all_finite="allow-nan" if nan_padding else True,
                    input_name="X",
                )
            if self.data_format == "channels_first":
                X = np.swapaxes(X, 1, 2)
            if nan_padding:
                has_padding = _check_nan_is_padding(X)
                if reset:
                    # The masking layer costs time in every step of every fit; a
                    # network whose training data hold no padding goes without it.
                    self._masks_padding = has_padding
                elif has_padding and not getattr(self, "_masks_padding", True):
                    raise ValueError(
                        "X contains padding (time steps whose features are all NaN), "
                        f"but the data {type(self).__name__} was fitted on had none, "
                        "so its network has no masking layer. Fit on padded data, or "
                        "pad the training sequences with the same SequencePadder."
                    )
            n_features = X.shape[2]
            if reset:
                self.n_features_in_ = n_features
            elif n_features != self.n_features_in_:
                raise ValueError(
                    f"X has {n_features} features per time step, but {name} is "
                    f"expecting {self.n_features_in_} features as input."
                )
        self._check_timesteps(X.shape[1], reset=reset)
        if reset:
            self._input_ndim = ndim
        return X.astype(np.float32, copy=False)

    def _validate_tokens(self, X, ndim, *, reset):
        name = type(self).__name__
        if ndim != 2:
            raise ValueError(
                f"With embedding_dim set, {name} expects X as a 2-D array of integer "
                f"token ids (n_samples, n_timesteps); got a {ndim}-D array. Map texts "
                "to ids with sklstm.TextSequencer."
            )
        X = validate_data(self, X, reset=reset, dtype=None, ensure_min_samples=1)
        if not np.issubdtype(X.dtype, np.number) or not np.all(np.mod(X, 1) == 0):
            raise ValueError(
                "With embedding_dim set, X must hold integer token ids (0 = padding);"
                f" got values of dtype {X.dtype} that are not all integers."
            )
        X = X.astype(np.int64)
        if X.min() < 0:
            raise ValueError(
                f"X must hold non-negative token ids; got a minimum of {X.min()}."
            )
        if reset:
            vocab_size = self.vocab_size or int(X.max()) + 1
            if X.max() >= vocab_size:
                raise ValueError(
                    f"X holds token id {X.max()}, but vocab_size={vocab_size}: "
                    "vocab_size must exceed the largest id."
                )
            self.vocab_size_ = max(vocab_size, 2)
        elif X.max() >= self.vocab_size_:
            raise ValueError(
                f"X holds token id {X.max()}, but {name} was fitted with "
                f"vocab_size_={self.vocab_size_}: ids must be below it (map unknown "
                "tokens to the out-of-vocabulary id, as TextSequencer does)."
            )
        self._check_timesteps(X.shape[1], reset=reset)
        if reset:
            self._input_ndim = ndim
        return X.astype(np.int32)

    def _check_timesteps(self, n_timesteps, *, reset):
        if reset:
            self.n_timesteps_in_ = n_timesteps
        elif n_timesteps != self.n_timesteps_in_:
            raise ValueError(
                f"X has {n_timesteps} time steps, but {type(self).__name__} was "
                f"fitted on sequences of {self.n_timesteps_in_} time steps."
            )

    # ------------------------------------------------------------------
    # Building and compiling
    # ------------------------------------------------------------------
    def _architecture(self):
        """Validated architecture hyper-parameters for ``build_network``."""
        units = _tuple_of_positive_ints(self.units, "units")
        dense_units = (
            ()
            if self.dense_units is None
            else _tuple_of_positive_ints(self.dense_units, "dense_units")
            if len(tuple(np.atleast_1d(self.dense_units)))
            else ()
        )
        mask = self.mask_value
        if mask is not None and np.isnan(mask):
            mask = "nan" if getattr(self, "_masks_padding", True) else None
        return {
            "units": units,
            "cell": self.cell,
            "bidirectional": self.bidirectional,
            "dropout": float(self.dropout),
            "recurrent_dropout": float(self.recurrent_dropout),
            "dense_units": dense_units,
            "activation": self.activation,
            "l2": float(self.kernel_regularizer),
            "mask_value": mask,
            "embedding_dim": self.embedding_dim,
            "stateful": self.stateful,
        }

    def _resolve_unroll(self, n_timesteps):
        if self.unroll == "auto":
            # Measured in benchmarks/bench_fit.py: unrolling multiplies the
            # graph-building time (seconds per new network) and gains little in
            # the training steps of the workloads measured, so "auto" keeps the
            # symbolic loop.
            return False
        return bool(self.unroll)

    def _default_network(self, spec):
        """sklstm's own network for output specification ``spec``."""
        from ._networks import build_network

        n_features = 1 if self._input_ndim == 2 else self.n_features_in_
        return build_network(
            n_timesteps=self.n_timesteps_in_,
            n_features=n_features,
            n_outputs=spec["n_outputs"],
            output_activation=spec["output_activation"],
            vocab_size=getattr(self, "vocab_size_", None),
            return_sequences=spec.get("return_sequences", False),
            output_steps=spec.get("output_steps"),
            batch_size=self.batch_size,
            unroll=self._resolve_unroll(self.n_timesteps_in_),
            seed=self._build_seed,
            name=type(self).__name__.lower(),
            **self._architecture(),
        )

    def _build(self, spec):
        """Build and compile the network for output specification ``spec``."""
        keras = _keras()
        meta = {
            "n_features_in_": getattr(self, "n_features_in_", None),
            "n_timesteps_in_": self.n_timesteps_in_,
            "vocab_size_": getattr(self, "vocab_size_", None),
            **spec,
        }
        if self.model is None:
            model = self._default_network(spec)
        elif isinstance(self.model, keras.Model):
            model = _copy_keras_model(self.model)
        elif callable(self.model):
            model = self._call_builder(meta)
        else:  # pragma: no cover - guarded by _parameter_constraints
            raise TypeError(
                "`model` must be None, a keras.Model or a callable returning one. "
                f"Received: model={self.model!r}"
            )
        if not isinstance(model, keras.Model):
            raise TypeError(
                "The `model` callable must return a keras.Model; it returned "
                f"{type(model).__name__}."
            )
        if not getattr(model, "compiled", False) or isinstance(self.model, keras.Model):
            model.compile(**self._compile_kwargs(spec))
        return model

    def _call_builder(self, meta):
        builder = self.model
        available = {
            **{k: v for k, v in self.get_params(deep=False).items() if "__" not in k},
            **self._routed("model"),
            "meta": meta,
            "compile_kwargs": self._compile_kwargs(meta),
        }
        signature = inspect.signature(builder)
        if any(p.kind is p.VAR_KEYWORD for p in signature.parameters.values()):
            return builder(**available)
        return builder(
            **{
                name: available[name]
                for name in signature.parameters
                if name in available
            }
        )

    def _compile_kwargs(self, spec):
        keras = _keras()
        optimizer = self.optimizer
        if isinstance(optimizer, str):
            try:
                optimizer = keras.optimizers.get(
                    {
                        "class_name": optimizer,
                        "config": {
                            "learning_rate": self.learning_rate,
                            **self._routed("optimizer"),
                        },
                    }
                )
            except ValueError as exc:
                raise ValueError(
                    "`optimizer` must name a Keras optimizer such as 'adam', 'sgd' or "
                    f"'rmsprop'. Received: optimizer={optimizer!r}"
                ) from exc
        elif isinstance(optimizer, type):
            optimizer = optimizer(
                learning_rate=self.learning_rate, **self._routed("optimizer")
            )
        else:
            # A fresh copy, so that the parameter is never mutated by training.
            optimizer = optimizer.__class__.from_config(optimizer.get_config())
        loss = spec["loss"] if self.loss == "auto" else self.loss
        if isinstance(loss, str):
            try:
                keras.losses.get(loss)
            except ValueError as exc:
                raise ValueError(
                    "`loss` must be 'auto' or name a Keras loss such as 'mse', 'mae' "
                    f"or 'huber'. Received: loss={loss!r}"
                ) from exc
        loss_kwargs = self._routed("loss")
        if loss_kwargs and isinstance(loss, str):
            loss = keras.losses.get(
                {"class_name": _loss_class_name(loss), "config": loss_kwargs}
            )
        kwargs = {
            "optimizer": optimizer,
            "loss": loss,
            "metrics": list(self.metrics) if self.metrics else None,
            "steps_per_execution": self._resolve_steps_per_execution(),
            "jit_compile": self.jit_compile,
        }
        kwargs.update(self._routed("compile"))
        return kwargs

    def _resolve_steps_per_execution(self):
        """Batches per compiled call; "auto" follows ``benchmarks/bench_fit.py``.

        Each call of the compiled training step costs a fixed overhead (a
        fraction of a millisecond on TensorFlow), which dominates when a batch
        holds little arithmetic: the batch-size-1 airline fit runs twice as
        fast with 32 batches per call. On TensorFlow, the multi-step loop also
        slows the steps of larger networks (the 1000 x 24 LSTM(64) fit was
        about 25 % slower), and its longer tracing only pays off over many
        steps. So "auto" is 32 on JAX, where it was faster on every workload
        measured; on TensorFlow it is 32 only for sklstm's own networks whose
        batches are small (``batch_size * n_timesteps * sum(units * (units +
        inputs))`` of at most 2e5) over at least 1000 steps, else 1; and 1 on
        other backends. An integer is used as given.
        """
        if self.steps_per_execution != "auto":
            return self.steps_per_execution
        backend = _keras().backend.backend()
        if backend == "jax":
            return AUTO_STEPS_PER_EXECUTION
        if backend != "tensorflow" or getattr(self, "model", None) is not None:
            return 1
        n_steps = getattr(self, "_n_train_steps", 0)
        if n_steps >= 1000 and self._batch_work() <= 2e5:
            return AUTO_STEPS_PER_EXECUTION
        return 1

    def _batch_work(self):
        """Multiply-adds per batch of the recurrent stack, over 4 gates.

        A decoder (the autoencoder's) mirrors the encoder, so it counts twice.
        """
        units = _tuple_of_positive_ints(self.units, "units")
        if getattr(self, "embedding_dim", None) is not None:
            width = self.embedding_dim
        elif self._input_ndim == 2:
            width = 1
        else:
            width = self.n_features_in_
        directions = 2 if getattr(self, "bidirectional", False) else 1
        work = 0
        for n in units:
            work += directions * n * (n + width)
            width = directions * n
        passes = 2 if getattr(self, "_mirrored_decoder", False) else 1
        return passes * self.batch_size * self.n_timesteps_in_ * work

    # ------------------------------------------------------------------
    # Fitting
    # ------------------------------------------------------------------
    def _fit_keras(self, X, y, sample_weight, *, epochs, initialize):
        """Validate, build (if ``initialize``) and train; all or nothing.

        On any error the estimator is put back as it was before the call:
        unfitted if it was, or with its previous network and weights.
        """
        self._check_routed_names()
        if y is None and self._requires_y:
            raise ValueError(
                f"{type(self).__name__} requires y to be passed, but the target y "
                "is None."
            )
        keras = _keras()
        snapshot = dict(vars(self))
        weights_before = None
        try:
            X = self._validate_X(X, reset=initialize)
            y, spec = self._validate_y(y, reset=initialize)
            if y is None:  # an autoencoder learns to reproduce its input
                y = X
            if len(X) != len(y):
                raise ValueError(
                    "X and y have inconsistent numbers of samples: "
                    f"X has {len(X)}, y has {len(y)}."
                )
            self._check_stateful_batches(len(X), "fit")
            self._n_train_steps = epochs * _n_batches(len(X), self)
            if sample_weight is not None:
                sample_weight = _check_sample_weight(sample_weight, X, dtype=np.float32)
            sample_weight = self._class_sample_weight(y, sample_weight, spec)
            seed = seed_from_random_state(self.random_state)
            self._build_seed = seed
            with seeded(seed), _release_traced_gradients():
                if initialize:
                    model = self._build(spec)
                else:
                    model = self.model_
                    weights_before = model.get_weights()
                _build_training_state(model, X, y, sample_weight)
                history = model.fit(
                    X,
                    y,
                    sample_weight=sample_weight,
                    **self._fit_kwargs(epochs, keras),
                )
            losses = history.history.get("loss", [])
            if not losses or not np.all(np.isfinite(losses)):
                raise ValueError(self._nan_loss_message(losses))
        except BaseException:
            if weights_before is not None:
                self.model_.set_weights(weights_before)
            vars(self).clear()
            vars(self).update(snapshot)
            raise
        _set_model(self, model)
        self._output_spec = spec
        previous = getattr(self, "history_", None) if not initialize else None
        self.history_ = _merge_history(previous, history.history)
        self.n_iter_ = len(self.history_["loss"])
        self.loss_curve_ = list(self.history_["loss"])
        return self

    def _fit_kwargs(self, epochs, keras):
        callbacks = list(self.callbacks or [])
        callbacks.append(_stop_on_nan_callback(keras))
        if self.stateful:
            callbacks.append(_reset_states_callback(keras))
        if self.early_stopping:
            monitor = "val_loss" if self.validation_split else "loss"
            callbacks.append(
                keras.callbacks.EarlyStopping(
                    monitor=monitor,
                    patience=self.patience,
                    restore_best_weights=True,
                )
            )
        kwargs = {
            "epochs": epochs,
            "batch_size": self.batch_size,
            "validation_split": self.validation_split,
            "shuffle": self.shuffle and not self.stateful,
            "verbose": self.verbose,
            "callbacks": callbacks,
        }
        kwargs.update(self._routed("fit"))
        return kwargs

    def _nan_loss_message(self, losses):
        epoch = next(
            (i + 1 for i, v in enumerate(losses) if not np.isfinite(v)), len(losses)
        )
        return (
            f"The training loss of {type(self).__name__} became NaN or infinite at "
            f"epoch {epoch}. Lower `learning_rate` (received learning_rate="
            f"{self.learning_rate}), scale X and y (e.g. with StandardScaler), or add "
            "gradient clipping (optimizer__clipnorm=1.0). The estimator was left as "
            "it was before fit."
        )

    def _class_sample_weight(self, y, sample_weight, spec):
        return sample_weight

    def initialize(self, X, y):
        """Build and compile the network for ``X`` and ``y`` without training.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps[, n_features])
            Training sequences, used for their shape only.
        y : array-like
            Targets, used for their shape and classes only.

        Returns
        -------
        self : object
            The estimator, with an untrained ``model_``.
        """
        self._validate_params()
        X = self._validate_X(X, reset=True)
        _, spec = self._validate_y(y, reset=True)
        self._check_stateful_backend()
        self._build_seed = seed_from_random_state(self.random_state)
        self._n_train_steps = self.epochs * _n_batches(len(X), self)
        with seeded(self._build_seed):
            _set_model(self, self._build(spec))
        self._output_spec = spec
        self.history_ = {}
        self.n_iter_ = 0
        self.loss_curve_ = []
        return self

    # ------------------------------------------------------------------
    # Predicting
    # ------------------------------------------------------------------
    def _forward(self, X):
        """Run the network on validated input and return a NumPy array."""
        check_is_fitted(self)
        X = self._validate_X(X, reset=False)
        return self._forward_validated(X)

    def _check_stateful_batches(self, n_samples, method):
        if not self.stateful:
            return
        if n_samples % self.batch_size:
            raise ValueError(
                f"A stateful {type(self).__name__} runs fixed batches of batch_size="
                f"{self.batch_size} samples, but X passed to {method} has {n_samples} "
                "samples, which is not a multiple of it. "
                + (
                    f"Trim X (e.g. drop the first {n_samples % self.batch_size} "
                    "samples) or choose"
                    if n_samples > self.batch_size
                    else "Choose"
                )
                + " a batch_size that divides the number of samples (batch_size=1 "
                "always does)."
            )
        if method == "fit" and self.validation_split:
            raise ValueError(
                "validation_split is not supported with stateful=True: the held-out "
                "samples would break the sequence of states. Received "
                f"validation_split={self.validation_split}."
            )
        if method == "fit":
            self._check_stateful_backend()

    def _check_stateful_backend(self):
        """Refuse ``stateful=True`` where Keras does not carry the state.

        On Keras' JAX backend the recurrent state of a stateful layer is not
        among the variables that the compiled training and prediction steps
        thread through, so it would silently stay at zero: a stateless network
        under a stateful name. On the PyTorch backend the state is overwritten
        in place between batches, and the next backward pass fails inside
        autograd. TensorFlow carries it.
        """
        backend = _keras().backend.backend()
        if self.stateful and backend != "tensorflow":
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

    def reset_states(self):
        """Reset the recurrent state of a stateful network to zeros.

        Only meaningful with ``stateful=True``: predictions then start from a
        blank state, as at the start of each training epoch.

        Returns
        -------
        self : object
            The estimator.
        """
        check_is_fitted(self)
        from ._persistence import reset_recurrent_states

        reset_recurrent_states(self.model_)
        return self

    def _forward_validated(self, X):
        model = self.model_
        if self.stateful:
            self._check_stateful_batches(len(X), "predict")
            return np.concatenate(
                [
                    np.asarray(model.predict_on_batch(X[i : i + self.batch_size]))
                    for i in range(0, len(X), self.batch_size)
                ],
                axis=0,
            )
        outputs = [
            _predict_padded(model, X[start : start + PREDICT_CHUNK])
            for start in range(0, len(X), PREDICT_CHUNK)
        ]
        return np.concatenate(outputs, axis=0)

    # ------------------------------------------------------------------
    # Persistence
    # ------------------------------------------------------------------
    def __getstate__(self):
        state = dict(vars(self))
        if "model_" in state:
            from ._persistence import dump_model

            state["model_"] = dump_model(state["model_"])
        return state

    def __setstate__(self, state):
        if isinstance(state.get("model_"), dict):
            from ._persistence import load_model_bytes

            state = {**state, "model_": load_model_bytes(state["model_"])}
        vars(self).update(state)
        if "model_" in state:
            _set_model(self, state["model_"])


def _n_batches(n_samples, estimator):
    """Training batches per epoch, after the validation split."""
    n_train = n_samples - int(n_samples * float(estimator.validation_split or 0.0))
    return -(-max(n_train, 1) // estimator.batch_size)


def _release_compiled_functions(model):
    """Drop the compiled training, evaluation and prediction steps of ``model``.

    Each step holds a reference back to its network, so a dropped network and
    its compiled code form a reference cycle that only a full garbage
    collection frees, and full collections are rare in a process that holds
    a backend (half a million objects, 0.3-0.4 s a collection). On JAX the
    compiled steps are XLA executables of several megabytes, outside
    Python's accounting: 100 fits grew the process by 375 MB. Dropping the
    steps when the estimator goes frees them at once (30 fits: +28 MB
    instead of +250 MB). A network still used elsewhere compiles its steps
    again on its next ``fit`` or ``predict``, as Keras does after ``compile``.
    """
    for name in ("train_function", "test_function", "predict_function"):
        if getattr(model, name, None) is not None:
            setattr(model, name, None)
    _TF_PREDICT_FUNCTIONS.pop(model, None)
    for derived in _DERIVED_MODELS.pop(model, ()):
        _release_compiled_functions(derived)


def _set_model(estimator, model):
    """Give ``estimator`` its fitted ``model_``, owning its compiled steps.

    The steps of the network it replaces are dropped now, those of ``model``
    when the estimator is garbage (see ``_release_compiled_functions``).
    """
    previous = _MODEL_RELEASERS.pop(estimator, None)
    if previous is not None:
        detached = previous.detach()
        if detached is not None and detached[2][0] is not model:
            _release_compiled_functions(detached[2][0])
    estimator.model_ = model
    finalizer = weakref.finalize(estimator, _release_compiled_functions, model)
    finalizer.atexit = False
    _MODEL_RELEASERS[estimator] = finalizer


def _build_training_state(model, X, y, sample_weight):
    """Create the optimizer's and metrics' variables before ``fit`` traces.

    On TensorFlow, Keras leaves the optimizer (and the compiled metrics)
    unbuilt until the training step is traced, and a ``tf.function`` whose
    first trace creates variables is traced a second time without them: the
    whole forward and backward graph is built twice, 0.3-0.6 s of a short fit
    (``benchmarks/bench_fit.py``). Building them first leaves one trace. The
    optimizer is built on the network's trainable variables, as Keras does;
    compiled metrics, which need the shapes of the outputs, by Keras' own
    symbolic build (one forward pass on symbolic inputs, cheaper than a second
    trace of the training step). The variables and their initial values are
    those Keras would create, so the training is unchanged. A network whose
    layers are not all built yet (a subclassed model before its first call)
    is left to Keras.
    """
    optimizer = getattr(model, "optimizer", None)
    metrics = getattr(model, "_compile_metrics", None)
    optimizer_unbuilt = optimizer is not None and not optimizer.built
    metrics_unbuilt = metrics is not None and not metrics.built
    if not (optimizer_unbuilt or metrics_unbuilt) or not model.built:
        return
    flatten = getattr(model, "_flatten_layers", None)
    if flatten is None or not all(layer.built for layer in flatten()):
        return
    symbolic_build = getattr(model, "_symbolic_build", None)
    arrays = isinstance(X, np.ndarray) and isinstance(y, np.ndarray)
    if metrics_unbuilt and symbolic_build is not None and arrays:
        batch = (X[:1], y[:1], None if sample_weight is None else sample_weight[:1])
        symbolic_build(data_batch=batch)
    elif optimizer_unbuilt and model.trainable_variables:
        optimizer.build(model.trainable_variables)


def _stop_on_nan_callback(keras):
    class StopOnNaN(keras.callbacks.Callback):
        """Stop at the end of the first epoch whose loss is NaN or infinite.

        Keras' ``TerminateOnNaN`` checks every batch, which makes Keras wait
        for each batch's loss before starting the next: ~10 % of the fit time
        of the 1000 x 24 LSTM(64) benchmark. An epoch-level check keeps the
        batches asynchronous; ``fit`` then reports the failure and restores
        the estimator.
        """

        async_safe = True

        def on_epoch_end(self, epoch, logs=None):
            loss = (logs or {}).get("loss")
            if loss is not None and not np.isfinite(float(loss)):
                self.model.stop_training = True

    return StopOnNaN()


def _reset_states_callback(keras):
    from ._persistence import reset_recurrent_states

    class ResetStatesAtEpochStart(keras.callbacks.Callback):
        """Start every epoch from a blank state, as the stateful recipe does."""

        def on_epoch_begin(self, epoch, logs=None):
            reset_recurrent_states(self.model)

    return ResetStatesAtEpochStart()


def _predict_padded(model, X):
    """Predict a batch padded to a multiple of ``ROW_MULTIPLE`` rows.

    The CPU kernels vectorise over rows and treat a remainder of rows with
    other code, which rounds differently in the last bit. Padding the batch
    makes every row take the vectorised path, so a row's prediction does not
    depend on its position or on the other rows of the batch.
    """
    n = len(X)
    pad = (-n) % ROW_MULTIPLE
    if pad:
        X = np.concatenate([X, np.zeros((pad,) + X.shape[1:], dtype=X.dtype)])
    backend = _keras().backend.backend()
    if backend == "tensorflow":
        function = _tf_predict_function(model, X)
        if function is not None:
            import tensorflow as tf

            return function(tf.constant(X)).numpy()[:n]
    # Keras' own compiled predict step, built once even when threads call
    # predict on a fresh model together.
    if getattr(model, "predict_function", None) is None:
        with _PREDICT_LOCK:
            if getattr(model, "predict_function", None) is None:
                model.make_predict_function()
    if backend == "jax":
        # Keras' JAX predict step donates the variables' buffers and writes
        # new ones back, so two threads predicting at once would each find
        # the other's buffers deleted. One prediction at a time.
        with _JAX_PREDICT_LOCK:
            return np.asarray(model.predict_on_batch(X))[:n]
    return np.asarray(model.predict_on_batch(X))[:n]


def _tf_predict_function(model, X):
    """A concrete TensorFlow function computing ``model(X, training=False)``.

    ``predict_on_batch`` computes the same graph, but each call first matches
    its arguments against the signatures of a polymorphic ``tf.function`` and
    goes through the distribution-strategy wrappers, about 0.5 ms: half the
    time of a one-row prediction of a small network. A concrete function
    traced once per model and input shape skips both; its outputs are those
    of ``predict_on_batch``, bit for bit. A model compiled with
    ``jit_compile=True`` gets an XLA-compiled function, as Keras' own predict
    does: it compiles once per input shape (about 0.5 s), then runs the
    network in a third to a half of the time, with results that differ from
    the uncompiled ones in the last bits. Returns
    None, and the caller falls back to ``predict_on_batch``, for a model whose
    output is not one tensor.
    """
    key = (X.shape[1:], X.dtype.str)
    functions = _TF_PREDICT_FUNCTIONS.get(model)
    if functions is not None and key in functions:
        return functions[key]
    with _PREDICT_LOCK:
        functions = _TF_PREDICT_FUNCTIONS.setdefault(model, {})
        if key not in functions:
            import tensorflow as tf

            # A weak reference: the traced function holds the variables it
            # reads, not the model, so that the cache does not keep it alive.
            model_ref = weakref.ref(model)
            spec = tf.TensorSpec((None, *X.shape[1:]), tf.as_dtype(X.dtype))
            traced = tf.function(
                lambda x: model_ref()(x, training=False),
                input_signature=[spec],
                autograph=False,
                jit_compile=bool(getattr(model, "jit_compile", False)),
            ).get_concrete_function()
            if not tf.is_tensor(traced.structured_outputs):
                traced = None
            functions[key] = traced
    return functions[key]


def _sparse(X):
    return hasattr(X, "tocsr") or hasattr(X, "sparse") and hasattr(X, "format")


def _check_nan_is_padding(X):
    """NaN may only fill whole time steps: those are padding and get masked."""
    isnan = np.isnan(X)
    if not isnan.any():
        return False
    partial = isnan.any(axis=-1) & ~isnan.all(axis=-1)
    if partial.any():
        sample, step = np.argwhere(partial)[0]
        raise ValueError(
            f"X contains NaN in some but not all features of sample {sample}, step "
            f"{step}. A time step whose features are all NaN is padding and is "
            "masked; a NaN among real values is missing data: impute it (e.g. "
            "with StepwiseTransformer(SimpleImputer())) or drop the sequence."
        )
    return True


def _merge_history(previous, new):
    history = {key: [float(v) for v in values] for key, values in new.items()}
    if previous:
        history = {
            key: list(previous.get(key, [])) + history.get(key, [])
            for key in {**previous, **history}
        }
    return history


def _copy_keras_model(model):
    """A copy of a user's model, with its current weights, never the original."""
    keras = _keras()
    try:
        copy = keras.models.clone_model(model)
        copy.set_weights(model.get_weights())
    except (ValueError, TypeError, NotImplementedError):
        import copy as copy_module

        copy = copy_module.deepcopy(model)
    return copy


def _loss_class_name(loss):
    names = {
        "mse": "MeanSquaredError",
        "mean_squared_error": "MeanSquaredError",
        "mae": "MeanAbsoluteError",
        "mean_absolute_error": "MeanAbsoluteError",
        "huber": "Huber",
        "binary_crossentropy": "BinaryCrossentropy",
        "categorical_crossentropy": "CategoricalCrossentropy",
        "sparse_categorical_crossentropy": "SparseCategoricalCrossentropy",
    }
    return names.get(loss, loss)
