"""The scikit-learn contract that every Keras-backed sklstm estimator shares.

``BaseSequenceEstimator`` holds the parameters and their constraints, the tags,
the building of the network, the fit template (validate, build, train, record,
all or nothing), ``initialize``, the forward pass and the pickling hooks. Each
step delegates to the module named for it: ``_validation`` (X), ``_params``
(routed parameters), ``_networks`` (sklstm's own networks), ``_training``
(compile and fit arguments, the fit), ``_inference`` (predict), ``_stateful``
and ``_serialization`` (the network as bytes). Subclasses add what differs:
``_validate_y`` (targets in; Keras targets and the output specification out),
how raw outputs become predictions, and the scores.
See ``docs/user_guide/design.rst`` for why the base is ours rather than scikeras'.
"""

import numbers

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions
from sklearn.utils.validation import _check_sample_weight, check_is_fitted

from ._backend import import_keras
from ._builders import build_compiled
from ._holdout import final_fit_epochs
from ._inference import predict_in_chunks
from ._normalization import feature_statistics, padded_steps, uses_normalization
from ._params import RoutedParamsMixin
from ._reuse import (
    NetworkOwnerMixin,
    discard,
    give_back,
    reuse_compiled,
    set_model,
)
from ._seeding import seed_from_random_state, seeded
from ._serialization import dump_model, load_model_bytes
from ._stateful import (
    check_stateful_backend,
    check_stateful_batches,
    predict_stateful,
    reset_recurrent_states,
)
from ._training import merge_history, plan_batches, train
from ._validation import tuple_of_positive_ints, validate_sequences

__all__ = ["BaseSequenceEstimator"]

# Parameters added after 0.1.0, with the values that reproduce what an
# estimator pickled or saved by 0.1.0 did: no normalisation in its network.
LEGACY_PARAMS = {
    "normalize": False,
    "window_normalization": None,
    "target_feature": None,
    "autoregressive": False,
    "linear_weight": 0.0,
    "clipnorm": None,
    "reduce_lr_on_plateau": False,
    "conv_branch": False,
    "refit": False,
}


class BaseSequenceEstimator(NetworkOwnerMixin, RoutedParamsMixin, BaseEstimator):
    """Base class of the recurrent estimators. Not for direct use.

    Subclasses define ``_validate_y`` (targets in, Keras targets and output
    specification out), ``fit`` and how raw network outputs become
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
        "normalize": [StrOptions({"auto"}), "boolean"],
        "conv_branch": ["boolean"],
        "optimizer": "no_validation",
        "learning_rate": [Interval(numbers.Real, 0, None, closed="neither")],
        "loss": "no_validation",
        "metrics": [list, tuple, str, None],
        "epochs": [Interval(numbers.Integral, 1, None, closed="left")],
        "batch_size": [Interval(numbers.Integral, 1, None, closed="left")],
        "validation_split": [
            StrOptions({"auto"}),
            Interval(numbers.Real, 0, 1, closed="left"),
        ],
        "early_stopping": [StrOptions({"auto"}), "boolean"],
        "refit": [StrOptions({"auto"}), "boolean"],
        "patience": [Interval(numbers.Integral, 0, None, closed="left")],
        "reduce_lr_on_plateau": ["boolean"],
        "clipnorm": [Interval(numbers.Real, 0, None, closed="neither"), None],
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
        "callbacks": [list, tuple, HasMethods(["set_model"]), None],
    }

    # Overridden by subclasses: whether fit needs y, and how many times the
    # network runs its recurrent stack (the autoencoder's decoder mirrors it).
    _requires_y = True
    _n_recurrent_stacks = 1
    # Fitted attributes added after 0.1.0, as an estimator fitted by it had them.
    _legacy_fitted_attributes = {"validation_history_": None}

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
        normalize="auto",
        conv_branch=False,
        optimizer="adam",
        learning_rate=0.01,
        loss="auto",
        metrics=None,
        epochs=200,
        batch_size=32,
        validation_split=0.0,
        early_stopping=False,
        patience=10,
        refit="auto",
        reduce_lr_on_plateau=False,
        clipnorm=None,
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
        self.normalize = normalize
        self.conv_branch = conv_branch
        self.optimizer = optimizer
        self.learning_rate = learning_rate
        self.loss = loss
        self.metrics = metrics
        self.epochs = epochs
        self.batch_size = batch_size
        self.validation_split = validation_split
        self.early_stopping = early_stopping
        self.patience = patience
        self.refit = refit
        self.reduce_lr_on_plateau = reduce_lr_on_plateau
        self.clipnorm = clipnorm
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
        return "_network" in vars(self)

    # ------------------------------------------------------------------
    # Building
    # ------------------------------------------------------------------
    def _architecture(self):
        """Validated architecture hyper-parameters for ``build_network``."""
        units = tuple_of_positive_ints(self.units, "units")
        dense = self.dense_units
        no_dense = dense is None or not len(np.atleast_1d(dense))
        dense_units = () if no_dense else tuple_of_positive_ints(dense, "dense_units")
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
            "conv_branch": self.conv_branch,
        }

    def _unroll(self):
        # "auto" keeps the symbolic loop: unrolling multiplies the time to
        # build each new network and gains little (docs/user_guide/speed.rst).
        return False if self.unroll == "auto" else bool(self.unroll)

    def _network_plan(self, X, y, spec):
        """Arguments of sklstm's network builder learned from the training data.

        Here the input statistics; subclasses add what their targets need.
        """
        if not uses_normalization(self) or self.embedding_dim is not None:
            return {}
        padded = padded_steps(X, self.mask_value)
        return {"input_normalization": feature_statistics(X, padded)}

    def _default_network(self, spec, plan):
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
            unroll=self._unroll(),
            seed=self._build_seed,
            name=type(self).__name__.lower(),
            **self._architecture(),
            **plan,
        )

    def _build(self, spec, plan):
        """Build and compile the network for ``spec`` and normalisation ``plan``."""
        return build_compiled(self, spec, plan)

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
        import_keras()
        snapshot = dict(vars(self))
        weights_before = model = None
        try:
            X = validate_sequences(self, X, reset=initialize)
            y, spec = self._validate_y(y, reset=initialize)
            if y is None:  # an autoencoder learns to reproduce its input
                y = X
            if len(X) != len(y):
                raise ValueError(
                    "X and y have inconsistent numbers of samples: "
                    f"X has {len(X)}, y has {len(y)}."
                )
            plan_batches(self, len(X), epochs)
            check_stateful_batches(self, len(X), "fit")
            if sample_weight is not None:
                sample_weight = _check_sample_weight(sample_weight, X, dtype=np.float32)
            sample_weight = self._class_sample_weight(y, sample_weight, spec)
            self._build_seed = seed_from_random_state(self.random_state)
            with seeded(self._build_seed):
                if initialize:
                    model = self._new_network(X, y, sample_weight, spec)
                else:
                    model = self.model_
                    weights_before = model.get_weights()
                history = train(self, model, X, y, sample_weight, epochs=epochs)
            validation_history = None
            final_epochs = final_fit_epochs(self, history) if initialize else None
            if final_epochs is not None:
                give_back(model)  # the early-stopped network, for a later fit
                validation_history, model = history, None
                plan_batches(self, len(X), final_epochs, final=True)
                with seeded(self._build_seed):
                    model = self._new_network(X, y, sample_weight, spec)
                    history = train(
                        self,
                        model,
                        X,
                        y,
                        sample_weight,
                        epochs=final_epochs,
                        learning_rates=validation_history.get("learning_rate", []),
                    )
        except BaseException:
            if weights_before is not None:
                self.model_.set_weights(weights_before)
            elif model is not None:
                discard(model)
            vars(self).clear()
            vars(self).update(snapshot)
            raise
        set_model(self, model)
        self._output_spec = spec
        previous = getattr(self, "history_", None) if not initialize else None
        self.history_ = merge_history(previous, history)
        if initialize:
            self.validation_history_ = validation_history
        self.n_iter_ = len(self.history_["loss"])
        self.loss_curve_ = list(self.history_["loss"])
        return self

    def _new_network(self, X, y, sample_weight, spec):
        """A network for this fit, built afresh or a waiting compiled twin."""
        model = self._build(spec, self._network_plan(X, y, spec))
        return reuse_compiled(self, model, X, y, sample_weight)

    def _class_sample_weight(self, y, sample_weight, spec):
        return sample_weight

    def initialize(self, X, y):
        """Build and compile the network for ``X`` and ``y`` without training.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps[, n_features])
            Training sequences, for their shape and the statistics of the
            network's normalisation (and the regressor's autoregressive start).
        y : array-like
            Targets, for their shape, classes and statistics.

        Returns
        -------
        self : object
            The estimator, with an untrained ``model_``.
        """
        self._validate_params()
        X = validate_sequences(self, X, reset=True)
        y, spec = self._validate_y(y, reset=True)
        plan_batches(self, len(X), self.epochs)
        plan = self._network_plan(X, X if y is None else y, spec)
        check_stateful_backend(self)
        self._build_seed = seed_from_random_state(self.random_state)
        with seeded(self._build_seed):
            set_model(self, self._build(spec, plan))
        self._output_spec = spec
        self.history_ = {}
        self.validation_history_ = None
        self.n_iter_ = 0
        self.loss_curve_ = []
        return self

    # ------------------------------------------------------------------
    # Predicting
    # ------------------------------------------------------------------
    def _forward(self, X):
        """Run the network on X and return a NumPy array."""
        check_is_fitted(self)
        X = validate_sequences(self, X, reset=False)
        return self._forward_validated(X)

    def _forward_validated(self, X):
        if self.stateful:
            check_stateful_batches(self, len(X), "predict")
            return predict_stateful(self.model_, X, self.batch_size)
        return predict_in_chunks(self.model_, X)

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
        reset_recurrent_states(self.model_)
        return self

    # ------------------------------------------------------------------
    # Pickling: the network travels as the bytes of a .keras archive
    # ------------------------------------------------------------------
    @classmethod
    def _legacy_params(cls):
        """This class's parameters added after 0.1.0, at their 0.1.0 behaviour."""
        declared = cls._declared_param_names()
        return {k: v for k, v in LEGACY_PARAMS.items() if k in declared}

    def __getstate__(self):
        state = dict(vars(self))
        if "_network" in state:
            state["model_"] = dump_model(state.pop("_network"))
        return state

    def __setstate__(self, state):
        state = {**self._legacy_params(), **state}
        state.pop("_network", None)
        if "model_" in state:
            state = {**self._legacy_fitted_attributes, **state}
        network = state.pop("model_", None)
        if isinstance(network, dict):
            network = load_model_bytes(network)
        vars(self).update(state)
        if network is not None:
            set_model(self, network)
