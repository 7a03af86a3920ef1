"""``BaseWrapper``: any Keras model as a scikit-learn estimator, as scikeras has it.

The class holds the scikit-learn contract and the fit template, and delegates
each step: parameters to ``_params``, the data checks to ``_data``, routed
arguments to ``_routing``, building and compiling to ``_building``, seeding to
``sklstm._seeding``, the fast predict path to ``sklstm._inference`` and the
network's bytes to ``sklstm._serialization``. Keras is imported when a
wrapper is first fitted, initialized or unpickled.
"""

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.exceptions import NotFittedError
from sklearn.preprocessing import FunctionTransformer

from .._backend import import_keras
from .._inference import predict_in_chunks
from .._reuse import set_model
from .._seeding import seeded
from .._serialization import dump_model, load_model_bytes
from .._training import release_traced_gradients
from ._building import (
    build_model,
    check_model_compatibility,
    custom_objects,
    ensure_compiled,
)
from ._data import resolve_batch_size, validate_data, validate_sample_weight
from ._params import WrapperParamsMixin
from ._routing import (
    COMPILE_KWARGS,
    FIT_KWARGS,
    PREDICT_KWARGS,
    initialize_callbacks,
    metric_name,
    route_params,
)

__all__ = ["BaseWrapper"]

_MAX_SEED = 2**31 - 1


class BaseWrapper(WrapperParamsMixin, BaseEstimator):
    """A Keras model as a scikit-learn estimator; scikeras' ``BaseWrapper``.

    Parameters
    ----------
    model : keras.Model, callable or None, default=None
        The model, or a function that builds it (and may compile it). A
        function receives the extra keyword arguments of the wrapper and the
        ``model__`` ones, and ``meta``, ``compile_kwargs`` and ``params`` if
        its signature names them. None: the subclass implements
        ``_keras_build_fn``.
    build_fn : callable, default=None
        Deprecated spelling of ``model`` (a warning says so).
    warm_start : bool, default=False
        Whether ``fit`` keeps training the current model.
    random_state : int, RandomState or None, default=None
        Seeds the building and the training; the global random state of
        Python, NumPy and the Keras backend is left as it was.
    optimizer, loss, metrics : default="rmsprop", None, None
        Passed to ``compile`` for a model that the builder did not compile;
        classes are created with the ``optimizer__`` / ``loss__`` /
        ``metrics__`` parameters.
    batch_size, validation_batch_size : int or None, default=None
        -1 means all samples in one batch.
    verbose : int, default=1
    callbacks : callback, class, list or dict of them, default=None
        Used in ``fit`` and ``predict``; classes are created with the
        ``callbacks__`` parameters.
    validation_split : float, default=0.0
    shuffle : bool, default=True
    run_eagerly : bool, default=False
    epochs : int, default=1
    **kwargs
        Arguments of the model builder, and routed parameters (``model__``,
        ``fit__``, ``predict__``, ``compile__``, ``optimizer__``, ``loss__``,
        ``metrics__``, ``callbacks__``, ``score__``).

    Attributes
    ----------
    model_ : keras.Model
        The compiled model (for a ``keras.Model`` given as ``model``, that
        model itself).
    history_ : dict of str to list
        The metrics of each epoch.
    n_features_in_, X_shape_, X_dtype_, y_dtype_, y_ndim_, target_type_
        What ``fit`` learned of the data; with the target encoder's
        ``n_outputs_``, ``n_outputs_expected_`` (and the classifier's
        ``classes_``, ``n_classes_``), the ``meta`` a builder receives.
    feature_names_in_ : ndarray of str
        Defined when ``X`` has column names.
    feature_encoder_, target_encoder_ : transformer
        The fitted ``feature_encoder`` and ``target_encoder``.
    """

    def __init__(
        self,
        model=None,
        *,
        build_fn=None,
        warm_start=False,
        random_state=None,
        optimizer="rmsprop",
        loss=None,
        metrics=None,
        batch_size=None,
        validation_batch_size=None,
        verbose=1,
        callbacks=None,
        validation_split=0.0,
        shuffle=True,
        run_eagerly=False,
        epochs=1,
        **kwargs,
    ):
        self.model = model
        self.build_fn = build_fn
        self.warm_start = warm_start
        self.random_state = random_state
        self.optimizer = optimizer
        self.loss = loss
        self.metrics = metrics
        self.batch_size = batch_size
        self.validation_batch_size = validation_batch_size
        self.verbose = verbose
        self.callbacks = callbacks
        self.validation_split = validation_split
        self.shuffle = shuffle
        self.run_eagerly = run_eagerly
        self.epochs = epochs
        vars(self).update(kwargs)
        if kwargs:
            self._user_params = set(kwargs)

    _compile_kwargs = COMPILE_KWARGS
    _fit_kwargs = FIT_KWARGS
    _predict_kwargs = PREDICT_KWARGS
    _requires_y = False

    # ------------------------------------------------------------------
    # Tags, state
    # ------------------------------------------------------------------
    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.three_d_array = True
        tags.input_tags.sparse = True
        tags.target_tags.multi_output = True
        tags.non_deterministic = self.random_state is None
        return tags

    def __sklearn_is_fitted__(self):
        return hasattr(self, "model_")

    @property
    def initialized_(self):
        """Whether the wrapper has a model (from ``fit`` or ``initialize``)."""
        return hasattr(self, "model_")

    @property
    def current_epoch(self):
        """The number of epochs trained since the model was last reset."""
        return len(getattr(self, "history_", {}).get("loss", []))

    @property
    def feature_encoder(self):
        """An unfitted transformer applied to X before the model; override it."""
        return FunctionTransformer()

    @property
    def target_encoder(self):
        """An unfitted transformer applied to y before the model; override it."""
        return FunctionTransformer()

    def _type_of_target(self, y):
        from sklearn.utils.multiclass import type_of_target

        return type_of_target(y)

    def _validate_data(self, X=None, y=None, reset=False, y_numeric=False):
        return validate_data(self, X, y, reset=reset, y_numeric=y_numeric)

    @staticmethod
    def _validate_sample_weight(X, y, sample_weight):
        return validate_sample_weight(X, y, sample_weight)

    # ------------------------------------------------------------------
    # Initializing and fitting
    # ------------------------------------------------------------------
    def _seed(self):
        """An int seed from ``random_state`` (a RandomState is not advanced)."""
        if self.random_state is None or isinstance(
            self.random_state, (int, np.integer)
        ):
            return self.random_state
        copy = np.random.RandomState()
        copy.set_state(self.random_state.get_state())
        return int(copy.randint(_MAX_SEED))

    def _initialize(self, X, y=None):
        """Validate the data, fit the encoders, build the model (``_initialize``
        is a scikeras hook: subclasses may extend it)."""
        import_keras()
        self._random_state = self._seed()
        X, y = self._validate_data(X, y, reset=True)
        self.target_encoder_ = self.target_encoder.fit(y)
        vars(self).update(getattr(self.target_encoder_, "get_metadata", dict)())
        self.feature_encoder_ = self.feature_encoder.fit(X)
        vars(self).update(getattr(self.feature_encoder_, "get_metadata", dict)())
        with seeded(self._random_state):
            set_model(self, build_model(self))
        self._fit_callbacks, self._predict_callbacks = initialize_callbacks(
            self._all_params()
        )
        return X, y

    def initialize(self, X, y=None):
        """Build the model for ``X`` and ``y`` without training it.

        Parameters
        ----------
        X : array-like of shape (n_samples, ...)
            Training samples, used for their shape and dtype.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs), default=None
            Targets, used for their shape, dtype and classes.

        Returns
        -------
        self : object
            The wrapper, ready to predict with the model's current weights.
        """
        self._initialize(X, y)
        return self

    def fit(self, X, y, sample_weight=None, **kwargs):
        """Build a new model (unless ``warm_start``) and train it on ``(X, y)``.

        Parameters
        ----------
        X : array-like of shape (n_samples, ...)
            Training samples, of any number of dimensions.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Targets.
        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the samples' losses; samples of zero weight are dropped.
        **kwargs : dict
            Arguments of ``keras.Model.fit``, overriding the parameters.

        Returns
        -------
        self : object
            The fitted wrapper.
        """
        kwargs["epochs"] = kwargs.get(
            "epochs", getattr(self, "fit__epochs", self.epochs)
        )
        kwargs["initial_epoch"] = kwargs.get("initial_epoch", 0)
        self._fit(
            X, y, sample_weight=sample_weight, warm_start=self.warm_start, **kwargs
        )
        return self

    def partial_fit(self, X, y, sample_weight=None, **kwargs):
        """Train for one epoch, keeping the model and its history.

        Parameters
        ----------
        X, y, sample_weight
            As in :meth:`fit`.
        **kwargs : dict
            Arguments of ``keras.Model.fit`` other than the epochs.

        Returns
        -------
        self : object
            The wrapper.
        """
        for name in ("epochs", "initial_epoch"):
            if name in kwargs:
                raise TypeError(
                    f"Invalid argument `{name}` to `partial_fit`: `partial_fit` always "
                    "trains for 1 epoch, from the current epoch"
                )
        self._fit(
            X,
            y,
            sample_weight=sample_weight,
            warm_start=True,
            epochs=1,
            initial_epoch=self.current_epoch,
            **kwargs,
        )
        return self

    def _fit(self, X, y, sample_weight, warm_start, epochs, initial_epoch, **kwargs):
        """Validate, (re)build and train; on an error the wrapper is left as it was."""
        if y is None and self._requires_y:
            raise ValueError(
                f"{self.__name__} requires y to be passed, but the target y is None."
            )
        warm = (self.warm_start or warm_start) and self.initialized_
        snapshot = dict(vars(self))
        model_before = getattr(self, "model_", None)
        weights = model_before.get_weights() if warm else None
        try:
            if warm:
                X, y = self._validate_data(X, y)
            else:
                X, y = self._initialize(X, y)
            if sample_weight is not None:
                X, y, sample_weight = self._validate_sample_weight(X, y, sample_weight)
            y = self.target_encoder_.transform(y)
            X = self.feature_encoder_.transform(X)
            ensure_compiled(
                self,
                self.model_,
                X,
                self._fit_arguments(X, sample_weight, epochs, initial_epoch, kwargs),
            )
            check_model_compatibility(self, self.model_)
            self._fit_keras_model(
                X, y, sample_weight, warm_start, epochs, initial_epoch, **kwargs
            )
        except BaseException:
            vars(self).clear()
            vars(self).update(snapshot)
            if model_before is not None:
                if weights is not None:
                    model_before.set_weights(weights)
                set_model(self, model_before)
            raise

    def _fit_keras_model(
        self, X, y, sample_weight, warm_start, epochs, initial_epoch, **kwargs
    ):
        losses = self.model_.loss
        values = losses.values() if isinstance(losses, dict) else losses
        if isinstance(losses, (list, dict)) and not any(
            callable(loss) or isinstance(loss, str) for loss in values
        ):
            raise ValueError(
                "No valid loss function found. You must provide a loss function to "
                "train: pass `loss` or compile the model with a loss in its builder."
            )
        arguments = self._fit_arguments(X, sample_weight, epochs, initial_epoch, kwargs)
        with seeded(self._random_state), release_traced_gradients():
            history = self.model_.fit(x=X, y=y, **arguments)
        if not warm_start or not hasattr(self, "history_") or initial_epoch == 0:
            self.history_ = {}
        for key, values in history.history.items():
            if not (key == "loss" or key.startswith("val_")):
                try:
                    key = metric_name(key)
                except ValueError:  # a custom metric: its own name
                    pass
            self.history_.setdefault(key, []).extend(float(v) for v in values)

    def _fit_arguments(self, X, sample_weight, epochs, initial_epoch, kwargs):
        """The arguments of ``keras.Model.fit``: routed ``fit__``, then ``kwargs``."""
        arguments = route_params(
            self._all_params(), "fit", pass_filter=self._fit_kwargs
        )
        arguments.update(
            sample_weight=sample_weight,
            epochs=initial_epoch + epochs,
            initial_epoch=initial_epoch,
        )
        arguments.update(kwargs)
        resolve_batch_size(arguments, X)
        arguments = {
            k: v for k, v in arguments.items() if not k.startswith("callbacks")
        }
        arguments["callbacks"] = self._fit_callbacks
        return arguments

    # ------------------------------------------------------------------
    # Predicting and scoring
    # ------------------------------------------------------------------
    def _predict_raw(self, X, **kwargs):
        """The model's outputs for X (probabilities, for a classifier)."""
        if not self.initialized_:
            raise NotFittedError(
                f"This {self.__name__} instance is not fitted yet: call `fit` or "
                "`initialize` before `predict`."
            )
        X, _ = self._validate_data(X=X)
        X = self.feature_encoder_.transform(X)
        params = self._all_params()
        arguments = route_params(
            params, "predict", pass_filter=self._predict_kwargs, strict=True
        )
        arguments = {
            k: v for k, v in arguments.items() if not k.startswith("callbacks")
        }
        if self._fast_predict_applies(X, params, kwargs):
            return predict_in_chunks(self.model_, self._as_floatx(X))
        arguments["callbacks"] = self._predict_callbacks
        arguments.update(kwargs)
        resolve_batch_size(arguments, X, names=("batch_size",))
        return self.model_.predict(x=X, **arguments)

    def _fast_predict_applies(self, X, params, kwargs):
        """Whether sklstm's direct predict path gives what ``model.predict`` would.

        It does for one array in and one tensor out, with no callbacks, no
        ``predict__`` parameters and no arguments: ``predict`` then only
        batches, and sklstm's path predicts each row independently of the
        others (``sklstm._inference``).
        """
        model, keras = self.model_, import_keras()
        return (
            not kwargs
            and not self._predict_callbacks
            and params.get("batch_size") != -1
            and not any(key.startswith("predict__") for key in params)
            and type(X) is np.ndarray
            and X.dtype.kind in "fiub"
            and len(getattr(model, "inputs", None) or ()) == 1
            and len(getattr(model, "outputs", None) or ()) == 1
            and type(model).predict_step is keras.Model.predict_step
            and getattr(model.predict, "__func__", None) is keras.Model.predict
        )

    @staticmethod
    def _as_floatx(X):
        floatx = import_keras().backend.floatx()
        return X.astype(floatx, copy=False) if X.dtype.kind == "f" else X

    def predict(self, X, **kwargs):
        """Predictions for X, decoded by the target encoder.

        Parameters
        ----------
        X : array-like of shape (n_samples, ...)
            Samples.
        **kwargs : dict
            Arguments of ``keras.Model.predict``.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,) or (n_samples, n_outputs)
            Predictions.
        """
        outputs = self._predict_raw(X, **kwargs)
        return self.target_encoder_.inverse_transform(outputs)

    @staticmethod
    def scorer(y_true, y_pred, **kwargs):
        """The score of predictions; implemented by the subclasses."""
        raise NotImplementedError("Scoring is not implemented on BaseWrapper.")

    def score(self, X, y, sample_weight=None):
        """The score of the predictions for X against y (see ``scorer``).

        Parameters
        ----------
        X : array-like of shape (n_samples, ...)
            Test samples.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            True targets.
        sample_weight : array-like of shape (n_samples,), default=None
            Sample weights.

        Returns
        -------
        score : float
            The score; ``score__`` parameters are passed to ``scorer``.
        """
        _, y = self._validate_data(X=None, y=y)
        if sample_weight is not None:
            X, y, sample_weight = self._validate_sample_weight(X, y, sample_weight)
        y_pred = self.predict(X)
        arguments = route_params(self._all_params(), "score", pass_filter=set())
        return self.scorer(y, y_pred, sample_weight=sample_weight, **arguments)

    # ------------------------------------------------------------------
    # Pickling: the model travels as the bytes of a .keras archive
    # ------------------------------------------------------------------
    def __getstate__(self):
        state = dict(vars(self))
        state.pop("_fit_callbacks", None)
        state.pop("_predict_callbacks", None)
        if "model_" in state:
            state["_custom_objects"] = custom_objects(self, state["model_"])
            state["model_"] = dump_model(state["model_"])
        return state

    def __setstate__(self, state):
        if isinstance(state.get("model_"), dict):
            scope = import_keras().saving.custom_object_scope
            with scope(state.get("_custom_objects", {})):
                state = {**state, "model_": load_model_bytes(state["model_"])}
        vars(self).update(state)
        if "model_" in state:
            set_model(self, state["model_"])
            self._fit_callbacks, self._predict_callbacks = initialize_callbacks(
                self._all_params()
            )
