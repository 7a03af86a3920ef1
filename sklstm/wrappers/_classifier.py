"""``KerasClassifier``: scikeras' classifier wrapper, on sklstm's ``BaseWrapper``."""

from sklearn.base import ClassifierMixin
from sklearn.metrics import accuracy_score
from sklearn.utils.class_weight import compute_sample_weight
from sklearn.utils.multiclass import type_of_target

from ._base import BaseWrapper
from ._encoders import ClassifierLabelEncoder

__all__ = ["KerasClassifier"]


class KerasClassifier(ClassifierMixin, BaseWrapper):
    """Any Keras model as a scikit-learn classifier; scikeras' ``KerasClassifier``.

    Parameters are those of :class:`BaseWrapper`, and:

    Parameters
    ----------
    class_weight : dict, "balanced" or None, default=None
        Weights of the classes, as in scikit-learn; turned into sample weights
        (multiplied with ``sample_weight``).

    Labels may be of any type; the target encoder turns them into codes (one-hot
    codes for a categorical cross-entropy loss), and ``meta`` gives the builder
    ``classes_``, ``n_classes_`` and ``target_type_``. ``predict_proba`` has
    two columns for a binary problem, as in scikit-learn. ``score`` is the
    accuracy (``scorer``).

    Examples
    --------
    >>> import keras
    >>> import numpy as np
    >>> from sklstm.wrappers import KerasClassifier
    >>> def build(meta):
    ...     return keras.Sequential([
    ...         keras.Input((meta["n_features_in_"],)),
    ...         keras.layers.Dense(meta["n_classes_"], activation="softmax"),
    ...     ])
    >>> X, y = np.random.rand(16, 3), np.array(["a", "b"] * 8)
    >>> clf = KerasClassifier(build, loss="sparse_categorical_crossentropy",
    ...                       verbose=0, random_state=0).fit(X, y)
    >>> clf.predict_proba(X[:2]).shape
    (2, 2)
    """

    _requires_y = True

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
        class_weight=None,
        **kwargs,
    ):
        super().__init__(
            model=model,
            build_fn=build_fn,
            warm_start=warm_start,
            random_state=random_state,
            optimizer=optimizer,
            loss=loss,
            metrics=metrics,
            batch_size=batch_size,
            validation_batch_size=validation_batch_size,
            verbose=verbose,
            callbacks=callbacks,
            validation_split=validation_split,
            shuffle=shuffle,
            run_eagerly=run_eagerly,
            epochs=epochs,
            **kwargs,
        )
        self.class_weight = class_weight

    # class_weight becomes sample weights, so that it works with any encoder
    _fit_kwargs = BaseWrapper._fit_kwargs - {"class_weight"}

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_label = True
        tags.classifier_tags.poor_score = True
        return tags

    def _type_of_target(self, y):
        target_type = type_of_target(y)
        if target_type == "binary" and getattr(self, "classes_", None) is not None:
            # a multiclass problem whose first batch misses classes
            target_type = type_of_target(self.classes_)
        return target_type

    @staticmethod
    def scorer(y_true, y_pred, **kwargs):
        """The accuracy (override to change the score)."""
        return accuracy_score(y_true, y_pred, **kwargs)

    score = BaseWrapper.score

    @property
    def target_encoder(self):
        """An unfitted ``ClassifierLabelEncoder`` (override to change it).

        Its ``inverse_transform`` must take ``return_proba=False``.
        """
        classes = getattr(self, "classes_", None)
        categories = "auto" if classes is None else [classes]
        return ClassifierLabelEncoder(loss=self.loss, categories=categories)

    def _class_weighted(self, y, sample_weight):
        if self.class_weight is None:
            return sample_weight
        weights = compute_sample_weight(class_weight=self.class_weight, y=y)
        return weights if sample_weight is None else sample_weight * weights

    def initialize(self, X, y):
        """Build the model for ``X`` and ``y`` without training it.

        Parameters
        ----------
        X : array-like of shape (n_samples, ...)
            Training samples, used for their shape and dtype.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Targets, used for their shape, dtype and classes.

        Returns
        -------
        self : object
            The classifier, ready to predict with the model's current weights.
        """
        self.classes_ = None
        return super().initialize(X, y)

    def fit(self, X, y, sample_weight=None, **kwargs):
        """Build a new model (unless ``warm_start``) and train it on ``(X, y)``.

        Parameters
        ----------
        X : array-like of shape (n_samples, ...)
            Training samples.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Labels.
        sample_weight : array-like of shape (n_samples,), default=None
            Sample weights, multiplied with the class weights.
        **kwargs : dict
            Arguments of ``keras.Model.fit``.

        Returns
        -------
        self : object
            The fitted classifier.
        """
        self.classes_ = None
        sample_weight = self._class_weighted(y, sample_weight)
        return super().fit(X, y, sample_weight=sample_weight, **kwargs)

    def partial_fit(self, X, y, classes=None, sample_weight=None, **kwargs):
        """Train for one epoch, keeping the model and its history.

        Parameters
        ----------
        X, y, sample_weight
            As in :meth:`fit`.
        classes : array-like of shape (n_classes,), default=None
            All the classes, needed at the first call if ``y`` misses some.
        **kwargs : dict
            Arguments of ``keras.Model.fit`` other than the epochs.

        Returns
        -------
        self : object
            The classifier.
        """
        self.classes_ = (
            classes if classes is not None else getattr(self, "classes_", None)
        )
        sample_weight = self._class_weighted(y, sample_weight)
        return super().partial_fit(X, y, sample_weight=sample_weight, **kwargs)

    def predict_proba(self, X, **kwargs):
        """Class probabilities for X.

        Parameters
        ----------
        X : array-like of shape (n_samples, ...)
            Samples.
        **kwargs : dict
            Arguments of ``keras.Model.predict``.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Probabilities; two columns for a binary problem with one sigmoid
            output.
        """
        outputs = self._predict_raw(X, **kwargs)
        return self.target_encoder_.inverse_transform(outputs, return_proba=True)
