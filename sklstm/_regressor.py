"""LSTMRegressor: what differs from the shared base is the targets and the score."""

from numbers import Integral, Real

import numpy as np
from sklearn.base import RegressorMixin, _fit_context
from sklearn.metrics import r2_score
from sklearn.utils import check_array
from sklearn.utils._param_validation import Interval, StrOptions

from . import _docstrings
from ._base import BaseSequenceEstimator
from ._linear_start import MAX_LINEAR_INPUTS, linear_start
from ._normalization import (
    WINDOW_MODES,
    check_window,
    continues_feature,
    feature_statistics,
    level_statistics,
    only_its_level,
    padded_steps,
    real_steps_positive,
    target_relative_to_level,
    target_statistics,
    uses_normalization,
)
from ._streaming import split_at

_NORMALIZE_TARGET = (
    ", and each output of the target with its own, mapping the network's "
    "outputs back: an unscaled ``y`` just works, as in a "
    "``TransformedTargetRegressor(regressor, transformer=StandardScaler())``"
)


class LSTMRegressor(RegressorMixin, BaseSequenceEstimator):
    _legacy_fitted_attributes = {
        **BaseSequenceEstimator._legacy_fitted_attributes,
        "window_normalization_": None,
    }

    _parameter_constraints = {
        **BaseSequenceEstimator._parameter_constraints,
        "decoder": ["boolean"],
        "window_normalization": [StrOptions({"auto", *WINDOW_MODES}), None],
        "target_feature": [Interval(Integral, 0, None, closed="left"), None],
        "autoregressive": [StrOptions({"auto"}), "boolean"],
        "linear_weight": [StrOptions({"auto"}), Interval(Real, 0, 1, closed="both")],
    }

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
        window_normalization="auto",
        target_feature=None,
        autoregressive="auto",
        linear_weight="auto",
        decoder=False,
        optimizer="adam",
        learning_rate=0.01,
        loss="auto",
        metrics=None,
        epochs=200,
        batch_size=32,
        validation_split="auto",
        early_stopping="auto",
        patience=50,
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
        super().__init__(
            model,
            units=units,
            cell=cell,
            bidirectional=bidirectional,
            dropout=dropout,
            recurrent_dropout=recurrent_dropout,
            dense_units=dense_units,
            activation=activation,
            kernel_regularizer=kernel_regularizer,
            normalize=normalize,
            conv_branch=conv_branch,
            optimizer=optimizer,
            learning_rate=learning_rate,
            loss=loss,
            metrics=metrics,
            epochs=epochs,
            batch_size=batch_size,
            validation_split=validation_split,
            early_stopping=early_stopping,
            patience=patience,
            refit=refit,
            reduce_lr_on_plateau=reduce_lr_on_plateau,
            clipnorm=clipnorm,
            shuffle=shuffle,
            mask_value=mask_value,
            embedding_dim=embedding_dim,
            vocab_size=vocab_size,
            return_sequences=return_sequences,
            stateful=stateful,
            data_format=data_format,
            warm_start=warm_start,
            steps_per_execution=steps_per_execution,
            jit_compile=jit_compile,
            unroll=unroll,
            random_state=random_state,
            verbose=verbose,
            callbacks=callbacks,
            **routed_params,
        )
        self.decoder = decoder
        self.window_normalization = window_normalization
        self.target_feature = target_feature
        self.autoregressive = autoregressive
        self.linear_weight = linear_weight

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        return tags

    def _validate_y(self, y, *, reset):
        """Targets in the network's layout, and the output specification."""
        y = check_array(
            y,
            ensure_2d=False,
            allow_nd=True,
            dtype=[np.float32, np.float64],
            input_name="y",
        )
        if y.ndim == 0 or y.ndim > 3:
            raise ValueError(
                "y must be 1-D (n_samples,), 2-D (n_samples, n_outputs) or 3-D "
                f"(n_samples, n_steps, n_outputs); got shape {y.shape}."
            )
        sequence_out = self.return_sequences is True or (
            self.return_sequences == "auto" and y.ndim == 3 and not self.decoder
        )
        spec = {"loss": "mse", "output_activation": "linear", "y_ndim": y.ndim}
        if sequence_out or self.decoder:
            if y.ndim == 1:
                raise ValueError(
                    "With return_sequences=True or decoder=True, y needs a step axis: "
                    "(n_samples, n_steps) or (n_samples, n_steps, n_outputs); got a "
                    "1-D y."
                )
            y3 = y if y.ndim == 3 else y[:, :, np.newaxis]
            n_steps = y3.shape[1]
            if sequence_out and n_steps != self.n_timesteps_in_:
                raise ValueError(
                    f"y has {n_steps} steps but X has {self.n_timesteps_in_}: "
                    "per-step targets (return_sequences) need one per input step. "
                    "For a different output length use decoder=True."
                )
            spec.update(
                n_outputs=y3.shape[2],
                return_sequences=sequence_out,
                output_steps=n_steps if self.decoder and not sequence_out else None,
            )
            y_keras = y3
        else:
            spec["n_outputs"] = 1 if y.ndim == 1 else y.shape[1]
            y_keras = y.reshape(len(y), -1)
        if reset:
            self.n_outputs_ = spec["n_outputs"]
        return y_keras.astype(np.float32, copy=False), spec

    def _network_plan(self, X, y, spec):
        """Inputs standardised; the target relative to each window's level
        (``window_normalization``), then standardised (``normalize``); the
        autoregressive term (``autoregressive``), started at the ridge
        regression of the training rows (``sklstm._linear_start``)."""
        plan = super()._network_plan(X, y, spec)
        padded = padded_steps(X, self.mask_value)
        mode = self._window_mode(X, y, padded)
        self.window_normalization_ = mode
        if mode is not None:
            feature = check_window(self, X, y, padded, mode)
            plan["window"] = {"feature": feature, "mode": mode}
            if "input_normalization" in plan:
                plan["input_normalization"] = feature_statistics(
                    X, padded, window=(feature, mode)
                )
            y = target_relative_to_level(X, y, feature, mode)
        if uses_normalization(self):
            plan["output_normalization"] = target_statistics(y)
        per_step = spec.get("return_sequences") or spec.get("output_steps")
        autoregressive = self.autoregressive
        if autoregressive == "auto":
            autoregressive = mode is not None and not per_step
        elif autoregressive and (per_step or self.model is not None):
            raise ValueError(
                "autoregressive=True adds a linear map of the window to a vector "
                "output of sklstm's own network; it cannot be used with a `model` "
                "of your own, return_sequences or decoder=True."
            )
        if autoregressive:
            plan["autoregressive"] = True
            if mode is not None and "input_normalization" in plan:
                plan["level_normalization"] = level_statistics(X, feature, mode)
            start = linear_start(
                X,
                y,
                padded,
                plan,
                split_at(len(X), self.validation_split_),
                nan_padding=self.mask_value is None or np.isnan(self.mask_value),
            )
            if start is not None:
                plan["linear_start"] = start
        self.linear_weight_ = self._resolve_linear_weight("linear_start" in plan)
        if self.linear_weight_:
            plan["linear_weight"] = self.linear_weight_
        return plan

    def _resolve_linear_weight(self, ridge_start):
        """The ridge regression's weight in the forecast: "auto" is 0.5 where
        the network starts from it (the equal-weight combination), else 0."""
        if self.linear_weight == "auto":
            return 0.5 if ridge_start else 0.0
        if self.linear_weight and not ridge_start:
            raise ValueError(
                f"linear_weight={self.linear_weight} averages the forecast with "
                "the ridge regression the autoregressive term starts from, and "
                "this network has none: it needs sklstm's own network with the "
                "autoregressive term (autoregressive='auto' on forecasting "
                "windows, or True) on windows of at most "
                f"{MAX_LINEAR_INPUTS} values. Use linear_weight=0 or 'auto'."
            )
        return float(self.linear_weight)

    def _window_mode(self, X, y, padded):
        """The window normalisation to use: as given, or chosen by "auto".

        "auto" uses it for forecasting windows: sklstm's own network on
        numeric windows whose target continues an input feature (the only
        one, or ``target_feature``; never a one-step window of one feature,
        which would be all zeros), which :func:`continues_feature`
        recognises. It is then "log" for a positive series and "subtract"
        otherwise.
        """
        mode = self.window_normalization
        if mode != "auto":
            if mode is not None and (
                self.model is not None or self.embedding_dim is not None
            ):
                raise ValueError(
                    "window_normalization works inside sklstm's own network on "
                    "numeric windows; it cannot be used with a `model` of your own "
                    "or with embedding_dim (token ids)."
                )
            return mode
        if self.model is not None or self.embedding_dim is not None:
            return None
        feature = self.target_feature
        if feature is None and X.shape[-1] == 1:
            feature = 0
        if feature is None or feature >= X.shape[-1] or padded[:, -1].any():
            return None
        if only_its_level(X):
            return None
        if not continues_feature(X, y, feature, padded):
            return None
        positive = real_steps_positive(X, padded, feature) and (y > 0).all()
        return "log" if positive else "subtract"

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None):
        """Fit the network to sequences X and targets y.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps, n_features) or \
(n_samples, n_timesteps)
            Training sequences. 2-D input is read as univariate sequences (one
            feature per step), so a matrix of lag features works as it is.
        y : array-like of shape (n_samples,), (n_samples, n_outputs) or \
(n_samples, n_steps, n_outputs)
            Targets: one value, several values (e.g. a forecast horizon), or a
            sequence of values per sample.
        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the samples in the loss.

        Returns
        -------
        self : object
            The fitted estimator.
        """
        initialize = not (self.warm_start and self.__sklearn_is_fitted__())
        return self._fit_keras(
            X, y, sample_weight, epochs=self.epochs, initialize=initialize
        )

    @_fit_context(prefer_skip_nested_validation=True)
    def partial_fit(self, X, y, sample_weight=None):
        """Train for one epoch, building the network on the first call.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps[, n_features])
            Training sequences.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Targets.
        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the samples in the loss.

        Returns
        -------
        self : object
            The estimator, trained one more epoch.
        """
        return self._fit_keras(
            X, y, sample_weight, epochs=1, initialize=not self.__sklearn_is_fitted__()
        )

    def predict(self, X):
        """Predict targets for sequences X.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps[, n_features])
            Sequences in the layout used in fit.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,), (n_samples, n_outputs) or \
(n_samples, n_steps, n_outputs)
            Predictions, in the shape of the y given to fit.
        """
        raw = self._forward(X).astype(np.float64)
        y_ndim = self._output_spec["y_ndim"]
        if y_ndim == 1:
            return raw.reshape(len(raw))
        if y_ndim == 2 and raw.ndim == 3:
            return raw[:, :, 0]
        return raw

    def score(self, X, y, sample_weight=None):
        """R² of the predictions (averaged over steps and outputs for sequences).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps[, n_features])
            Test sequences.
        y : array-like
            True targets, in the shape of the y given to fit.
        sample_weight : array-like of shape (n_samples,), default=None
            Sample weights.

        Returns
        -------
        score : float
            Coefficient of determination.
        """
        y_pred = self.predict(X)
        y = np.asarray(y)
        if y.ndim == 3:
            n = len(y)
            return r2_score(
                y.reshape(n, -1), y_pred.reshape(n, -1), sample_weight=sample_weight
            )
        return r2_score(y, y_pred, sample_weight=sample_weight)


LSTMRegressor.__doc__ = f"""Recurrent (LSTM or GRU) neural network regressor.

    A Keras LSTM/GRU network behind the scikit-learn regressor interface: it
    fits sequences X of shape ``(n_samples, n_timesteps, n_features)`` (or
    ``(n_samples, n_timesteps)`` for univariate sequences, so it can replace
    any regressor on a matrix of lag features) to one target, several targets
    (a forecast horizon), or one target per time step.

    Read more in the :ref:`User Guide <user_guide>`.

    Parameters
    ----------
    {_docstrings.architecture(normalize_target=_NORMALIZE_TARGET)}
    decoder : bool, default=False
        One-to-many / encoder-decoder: for a multi-step y of shape
        ``(n_samples, horizon)`` or ``(n_samples, horizon, n_outputs)``,
        repeat the encoding ``horizon`` times (``RepeatVector``) and decode
        it with a recurrent layer, rather than predicting all steps from one
        dense layer.

    window_normalization : {{"auto", "subtract", "log"}} or None, default="auto"
        For forecasting windows, whose target continues one input feature:
        remove each window's level (its last value of that feature) from that
        feature and from the target, and restore it on the outputs, inside the
        network. "subtract" works on differences (``x - level``); "log" on
        log-ratios (``log(x) - log(level)``), for positive series whose swings
        grow with their level (multiplicative seasonality). The network then
        learns changes rather than levels, so it forecasts levels it never saw
        in training. "auto" uses it when the windows look like a forecast's:
        sklstm's own network, one input feature (or ``target_feature``), no
        padding at the last step, windows of more than one step (a one-step
        window less its level is all zeros), and one of the window's values
        (the last, or one a season earlier) predicting y better than y's
        mean; then "log" for a positive series and "subtract" otherwise.
        ``window_normalization_`` tells what was used.

    target_feature : int or None, default=None
        Index of the input feature that the target continues, for
        ``window_normalization``; None infers it when X has one feature.

    autoregressive : "auto" or bool, default="auto"
        Add a linear map of the whole (normalised) window to the output: a
        linear autoregression that the recurrent layers complete, the
        "highway" of LSTNet (Lai et al., 2018). For vector outputs of
        sklstm's own network. "auto" adds it when window normalisation is
        used. The network starts as the ridge regression of the training
        rows' targets on their windows and their levels (penalty by
        generalised cross-validation), which the recurrent layers then
        complete; the level's weight, how far a forecast reverts to the
        mean, stays the ridge's. See the normalisation guide.

    linear_weight : "auto" or float in [0, 1], default="auto"
        Weight of that ridge regression in the forecast, as a combination of
        forecasts: ``(1 - w) * network + w * ridge``, the ridge regression
        kept frozen in the network beside the trained one (saved with it).
        Training fits the network alone; the weight applies to every
        prediction after it. "auto" is 0.5 (the equal-weight combination)
        where the autoregressive term starts from the ridge regression, and
        0 otherwise; 0 predicts with the network alone.
        ``linear_weight_`` tells what was used.

    {
    _docstrings.TRAINING.format(
        auto_loss="mean squared error",
        validation=_docstrings.validation(
            {"validation_split": '"auto"', "early_stopping": '"auto"', "patience": "50"}
        ),
    )
}
    Attributes
    ----------
    {_docstrings.FITTED}
    n_outputs_ : int
        Number of outputs (per step for sequence targets).

    window_normalization_ : {{"subtract", "log"}} or None
        The window normalisation the network uses (see
        ``window_normalization``).

    linear_weight_ : float
        The ridge regression's weight in the forecast (see
        ``linear_weight``).

    See Also
    --------
    LSTMClassifier : The classifier counterpart.
    sklstm.SlidingWindowTransformer : Windows of a series, for forecasting.
    sklstm.forecasting.recursive_forecast : Multi-step forecasts from a
        one-step model.

    Examples
    --------
    >>> import numpy as np
    >>> from sklstm import LSTMRegressor
    >>> rng = np.random.RandomState(0)
    >>> X = rng.uniform(size=(20, 5, 2))
    >>> y = X[:, -1, 0] + X[:, -2, 1]
    >>> reg = LSTMRegressor(units=4, epochs=1, random_state=0).fit(X, y)
    >>> reg.predict(X[:3]).shape
    (3,)
    >>> reg.n_timesteps_in_, reg.n_features_in_
    (5, 2)
    """
