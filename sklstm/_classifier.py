"""LSTMClassifier: what differs from the shared base is labels, probabilities, score."""

import numpy as np
from sklearn.base import ClassifierMixin, _fit_context
from sklearn.preprocessing import LabelEncoder
from sklearn.utils._param_validation import StrOptions
from sklearn.utils.class_weight import compute_class_weight
from sklearn.utils.multiclass import check_classification_targets, type_of_target
from sklearn.utils.validation import check_is_fitted, column_or_1d

from . import _docstrings
from ._base import BaseSequenceEstimator


class LSTMClassifier(ClassifierMixin, BaseSequenceEstimator):
    _parameter_constraints = {
        **BaseSequenceEstimator._parameter_constraints,
        "class_weight": [dict, StrOptions({"balanced"}), None],
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
        reduce_lr_on_plateau=True,
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
        class_weight=None,
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
        self.class_weight = class_weight

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_label = True
        return tags

    def _validate_y(self, y, *, reset):
        """Encode labels for the network and give the output specification."""
        per_step = self.return_sequences is True
        y_arr = np.asarray(y) if not hasattr(y, "iloc") else y.to_numpy()
        if per_step:
            if y_arr.ndim != 2:
                raise ValueError(
                    "With return_sequences=True, y must hold one label per time step: "
                    f"shape (n_samples, n_timesteps); got shape {y_arr.shape}."
                )
            check_classification_targets(y_arr.ravel())
            target_type = "per_step"
        else:
            if y_arr.ndim == 2 and y_arr.shape[1] == 1:
                y_arr = column_or_1d(y_arr, warn=True)
            check_classification_targets(y_arr)
            target_type = type_of_target(y_arr, input_name="y")
            if target_type not in ("binary", "multiclass", "multilabel-indicator"):
                raise ValueError(
                    f"{type(self).__name__} supports binary, multiclass and "
                    f"multilabel-indicator targets; got {target_type!r}."
                )
        if target_type == "multilabel-indicator":
            classes = np.arange(y_arr.shape[1])
            y_enc = y_arr.astype(np.float32)
        else:
            if reset:
                classes = LabelEncoder().fit(y_arr.ravel()).classes_
                given = getattr(self, "_partial_fit_classes", None)
                if given is not None:
                    missing = np.setdiff1d(classes, given)
                    if missing.size:
                        raise ValueError(
                            f"y holds labels {missing[:5].tolist()} that are not in "
                            "`classes`."
                        )
                    classes = given
            else:
                classes = self.classes_
                unseen = np.setdiff1d(np.unique(y_arr.ravel()), classes)
                if unseen.size:
                    raise ValueError(
                        f"y contains labels not seen in the first fit: "
                        f"{unseen[:5].tolist()}."
                    )
            if len(classes) < 2:
                raise ValueError(
                    f"{type(self).__name__} needs samples of at least 2 classes in "
                    f"y; got only one class: {classes[0]!r}."
                )
            y_enc = np.searchsorted(classes, y_arr).astype(np.int32)
        n_classes = len(classes)
        if target_type == "multilabel-indicator":
            spec = {
                "n_outputs": n_classes,
                "output_activation": "sigmoid",
                "loss": "binary_crossentropy",
            }
        elif n_classes == 2:
            spec = {
                "n_outputs": 1,
                "output_activation": "sigmoid",
                "loss": "binary_crossentropy",
            }
            y_enc = y_enc.astype(np.float32)
        else:
            spec = {
                "n_outputs": n_classes,
                "output_activation": "softmax",
                "loss": "sparse_categorical_crossentropy",
            }
        if per_step:
            spec["return_sequences"] = True
            if y_arr.shape[1] != self.n_timesteps_in_:
                raise ValueError(
                    f"y has {y_arr.shape[1]} labels per sample but X has "
                    f"{self.n_timesteps_in_} time steps; return_sequences=True needs "
                    "one label per step."
                )
            y_enc = y_enc[:, :, np.newaxis]
        spec.update(n_classes=n_classes, target_type=target_type)
        if reset:
            self.classes_ = classes
            self.n_outputs_ = 1 if target_type != "multilabel-indicator" else n_classes
        return y_enc, spec

    def _class_sample_weight(self, y, sample_weight, spec):
        if self.class_weight is None:
            return sample_weight
        if spec["target_type"] in ("multilabel-indicator", "per_step"):
            raise ValueError(
                "class_weight is supported for binary and multiclass targets only; "
                "use sample_weight for multilabel or per-step targets."
            )
        y_idx = y.astype(int).ravel()
        class_weight = self.class_weight
        if isinstance(class_weight, dict):
            unknown = set(class_weight) - set(self.classes_.tolist())
            if unknown:
                raise ValueError(
                    f"class_weight names labels that are not in y: {sorted(unknown)}."
                )
        weights = compute_class_weight(
            class_weight, classes=self.classes_, y=self.classes_[y_idx]
        )
        per_sample = weights[y_idx].astype(np.float32)
        return per_sample if sample_weight is None else per_sample * sample_weight

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None):
        """Fit the network to sequences X and labels y.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps, n_features) or \
(n_samples, n_timesteps)
            Training sequences. 2-D input is read as univariate sequences,
            or as integer token ids when ``embedding_dim`` is set.
        y : array-like of shape (n_samples,), (n_samples, n_labels) or \
(n_samples, n_timesteps)
            Labels of any type (strings too), a multilabel indicator matrix,
            or one label per time step with ``return_sequences=True``.
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
    def partial_fit(self, X, y, sample_weight=None, classes=None):
        """Train for one epoch, building the network on the first call.

        The first call must see every class.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps[, n_features])
            Training sequences.
        y : array-like of shape (n_samples,)
            Labels.
        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the samples in the loss.
        classes : array-like of shape (n_classes,), default=None
            All the labels, needed on the first call when its y does not
            hold every class; ignored afterwards.

        Returns
        -------
        self : object
            The estimator, trained one more epoch.
        """
        first_call = not self.__sklearn_is_fitted__()
        if classes is None or not first_call:
            return self._fit_keras(X, y, sample_weight, epochs=1, initialize=first_call)
        # Read by _validate_y during this call only: a later fit starts afresh.
        self._partial_fit_classes = np.unique(np.asarray(classes))
        try:
            return self._fit_keras(X, y, sample_weight, epochs=1, initialize=True)
        finally:
            del self._partial_fit_classes

    def predict_proba(self, X):
        """Class probabilities of sequences X.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps[, n_features])
            Sequences in the layout used in fit.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Probabilities in the order of ``classes_`` (per label for
            multilabel targets; with a step axis for per-step labels).
        """
        raw = self._forward(X).astype(np.float64)
        spec = self._output_spec
        if spec["n_classes"] == 2 and spec["target_type"] != "multilabel-indicator":
            p1 = raw[..., :1] if raw.shape[-1] == 1 else raw[..., 1:2]
            raw = np.concatenate([1.0 - p1, p1], axis=-1)
        return raw

    def predict_log_proba(self, X):
        """Logarithm of :meth:`predict_proba`.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps[, n_features])
            Sequences in the layout used in fit.

        Returns
        -------
        log_proba : ndarray of shape (n_samples, n_classes)
            Log-probabilities in the order of ``classes_``.
        """
        with np.errstate(divide="ignore"):
            return np.log(self.predict_proba(X))

    def predict(self, X):
        """Predict labels of sequences X.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps[, n_features])
            Sequences in the layout used in fit.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,), (n_samples, n_labels) or \
(n_samples, n_timesteps)
            Predicted labels, of the type of the labels given to fit.
        """
        proba = self.predict_proba(X)
        if self._output_spec["target_type"] == "multilabel-indicator":
            return (proba > 0.5).astype(int)
        return self.classes_[np.argmax(proba, axis=-1)]

    def score(self, X, y, sample_weight=None):
        """Mean accuracy of :meth:`predict` on X against labels y.

        Labels that the classifier never saw in fit are an error, not a
        silent mistake.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps[, n_features])
            Test sequences.
        y : array-like of shape (n_samples,)
            True labels.
        sample_weight : array-like of shape (n_samples,), default=None
            Sample weights.

        Returns
        -------
        score : float
            Mean accuracy (subset accuracy for multilabel targets; per step
            for per-step labels).
        """
        check_is_fitted(self)
        y_arr = np.asarray(y)
        if self._output_spec["target_type"] != "multilabel-indicator":
            unseen = np.setdiff1d(np.unique(y_arr.ravel()), self.classes_)
            if unseen.size:
                raise ValueError(
                    f"y contains labels that {type(self).__name__} never saw in fit: "
                    f"{unseen[:5].tolist()}; known classes_ are "
                    f"{self.classes_[:10].tolist()}."
                )
        if self._output_spec["target_type"] == "per_step":
            y_pred = self.predict(X)
            weights = (
                None
                if sample_weight is None
                else np.repeat(np.asarray(sample_weight), y_arr.shape[1])
            )
            from sklearn.metrics import accuracy_score

            return accuracy_score(y_arr.ravel(), y_pred.ravel(), sample_weight=weights)
        return super().score(X, y, sample_weight=sample_weight)


LSTMClassifier.__doc__ = f"""Recurrent (LSTM or GRU) neural network classifier.

    A Keras LSTM/GRU network behind the scikit-learn classifier interface:
    binary (sigmoid output), multiclass (softmax) and multilabel (one sigmoid
    per label) classification of sequences, with labels of any type
    (strings too), ``classes_``, ``predict_proba`` and per-step labels
    (sequence labelling).

    Read more in the :ref:`User Guide <user_guide>`.

    Parameters
    ----------
    {_docstrings.architecture()}
    {
    _docstrings.with_defaults(
        _docstrings.TRAINING.format(
            auto_loss="binary cross-entropy for two classes and multilabel "
            "targets, sparse categorical cross-entropy otherwise",
            validation=_docstrings.validation(),
        ),
        {"reduce_lr_on_plateau": "True"},
    )
}
    class_weight : dict, "balanced" or None, default=None
        Weights of the classes in the loss, as ``{{label: weight}}``;
        "balanced" weighs them inversely to their frequency. Multiplied
        into ``sample_weight``.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Labels seen in fit (label indices for multilabel targets).

    {_docstrings.FITTED}
    n_outputs_ : int
        Number of outputs (labels for multilabel targets, else 1).

    See Also
    --------
    LSTMRegressor : The regressor counterpart.
    sklstm.SequencePadder : Pads variable-length sequences.
    sklstm.TextSequencer : Maps texts to token ids for ``embedding_dim``.

    Examples
    --------
    >>> import numpy as np
    >>> from sklstm import LSTMClassifier
    >>> rng = np.random.RandomState(0)
    >>> X = rng.normal(size=(20, 4, 1))
    >>> y = np.where(X.sum(axis=(1, 2)) > 0, "up", "down")
    >>> clf = LSTMClassifier(units=4, epochs=1, random_state=0).fit(X, y)
    >>> clf.classes_
    array(['down', 'up'], dtype='<U4')
    >>> clf.predict_proba(X[:2]).shape
    (2, 2)
    """
