"""The default target encoders of the wrappers, as scikeras defines them.

``ClassifierLabelEncoder`` turns class labels into what a Keras classifier
trains on (ordinal codes, or one-hot codes for a categorical cross-entropy)
and network outputs back into labels or probabilities; ``RegressorTargetEncoder``
checks and restores the shape of regression targets. Both report the
``meta`` they learned (``classes_``, ``n_classes_``, ``n_outputs_``,
``n_outputs_expected_``) through ``get_metadata``. NumPy and scikit-learn
only; Keras' float type is read when an encoder is fitted.
"""

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.exceptions import NotFittedError
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer, OneHotEncoder, OrdinalEncoder
from sklearn.utils.multiclass import type_of_target

from .._backend import import_keras

__all__ = ["ClassifierLabelEncoder", "RegressorTargetEncoder", "TargetReshaper"]

_TARGET_HELP = (
    "\n\nTo implement support, subclass KerasClassifier and override "
    "``target_encoder`` with a transformer that supports this label type. See "
    "https://scikit-learn.org/stable/modules/generated/"
    "sklearn.utils.multiclass.type_of_target.html"
)


def _floatx():
    return np.dtype(import_keras().backend.floatx())


def is_categorical_crossentropy(loss):
    """True if ``loss`` names or is Keras' categorical cross-entropy."""
    if isinstance(loss, str):
        return loss in ("categorical_crossentropy", "cce", "CategoricalCrossentropy")
    return (
        type(loss).__name__ == "CategoricalCrossentropy"
        or getattr(loss, "__name__", None) == "categorical_crossentropy"
    )


class TargetReshaper(TransformerMixin, BaseEstimator):
    """Make 1-D targets 2-D (for the encoders that need columns) and back."""

    def fit(self, y):
        self.ndim_ = y.ndim
        return self

    def transform(self, y):
        return y.reshape(-1, 1) if y.ndim == 1 else y

    def inverse_transform(self, y):
        if not hasattr(self, "ndim_"):
            raise NotFittedError(
                f"This {type(self).__name__} is not initialized. You must call "
                "``fit`` before using ``inverse_transform``."
            )
        if self.ndim_ == 1 and y.ndim == 2:
            return np.squeeze(y, axis=1)
        return y


class ClassifierLabelEncoder(TransformerMixin, BaseEstimator):
    """Default target encoder of ``KerasClassifier``.

    Parameters
    ----------
    loss : str, keras.losses.Loss or None, default=None
        The wrapper's loss: a categorical cross-entropy one-hot encodes
        multiclass targets.
    categories : "auto" or list of one array, default="auto"
        All the classes, when the first ``y`` may miss some (``partial_fit``).
    """

    def __init__(self, loss=None, categories="auto"):
        self.loss = loss
        self.categories = categories

    def _type_of_target(self, y):
        target_type = type_of_target(y)
        if target_type == "binary" and not isinstance(self.categories, str):
            # a multiclass problem whose first batch misses classes
            target_type = type_of_target(self.categories[0])
        return target_type

    def fit(self, y):
        target_type = self._type_of_target(y)
        dtype = _floatx()
        self._y_shape = y.shape
        ordinal = make_pipeline(
            TargetReshaper(), OrdinalEncoder(dtype=dtype, categories=self.categories)
        )
        encoders = {
            "binary": ordinal,
            "multiclass": ordinal,
            "multiclass-multioutput": FunctionTransformer(),
            "multilabel-indicator": FunctionTransformer(),
        }
        if is_categorical_crossentropy(self.loss):
            encoders["multiclass"] = make_pipeline(
                TargetReshaper(),
                OneHotEncoder(
                    sparse_output=False, dtype=dtype, categories=self.categories
                ),
            )
        if target_type not in encoders:
            raise ValueError(f"Unknown label type: {target_type}.{_TARGET_HELP}")
        self._final_encoder = encoders[target_type].fit(y)
        if (
            target_type == "multilabel-indicator"
            and y.min() == 0
            and (y.sum(axis=1) == 1).all()
        ):
            target_type = "multiclass-onehot"
        self.n_outputs_ = 1
        self.n_outputs_expected_ = 1
        self._y_dtype = y.dtype
        self._target_type = target_type
        if target_type in ("binary", "multiclass"):
            self.classes_ = self._final_encoder[1].categories_[0]
            self.n_classes_ = self.classes_.size
        elif target_type in ("multiclass-onehot", "multilabel-indicator"):
            self.classes_ = np.arange(0, y.shape[1])
            self.n_classes_ = y.shape[1]
        else:
            self.classes_ = None
            self.n_classes_ = None
        return self

    def transform(self, y):
        return self._final_encoder.transform(y)

    def inverse_transform(self, y, return_proba=False):
        """Labels (or, with ``return_proba``, probabilities) from outputs."""
        target_type = self._target_type
        if target_type == "binary":
            if y.ndim == 1 or (y.shape[1] == 1 and self.n_classes_ == 2):
                # one sigmoid unit: the probabilities of both classes
                y = np.column_stack([1 - y, y])
            codes = np.argmax(y, axis=1).reshape(-1, 1)
            labels = self._final_encoder.inverse_transform(codes)
        elif target_type == "multiclass":
            index = np.argmax(y, axis=-1)
            if not is_categorical_crossentropy(self.loss):
                codes = index.reshape(-1, 1)
            else:
                codes = np.zeros(y.shape, dtype=int)
                codes[np.arange(len(index)), index] = 1
            labels = self._final_encoder.inverse_transform(codes)
        elif target_type == "multiclass-onehot":
            index = np.argmax(y, axis=-1)
            labels = np.zeros(y.shape, dtype=int)
            labels[np.arange(len(index)), index] = 1
        elif target_type == "multilabel-indicator":
            labels = np.around(y).astype(int, copy=False)
        elif not return_proba:
            raise NotImplementedError(
                "Class-predictions are not clearly defined for "
                f"'multiclass-multioutput' target types.{_TARGET_HELP}"
            )
        if return_proba:
            if isinstance(y, np.ndarray):
                y = y.astype(np.float64, copy=False)
            return np.squeeze(y)
        return labels.reshape(-1, *self._y_shape[1:])

    def get_metadata(self):
        """The ``meta`` learned in ``fit``, given to the model builder."""
        return {
            "classes_": self.classes_,
            "n_classes_": self.n_classes_,
            "n_outputs_": self.n_outputs_,
            "n_outputs_expected_": self.n_outputs_expected_,
        }


class RegressorTargetEncoder(TransformerMixin, BaseEstimator):
    """Default target encoder of ``KerasRegressor``: shapes only."""

    def fit(self, y):
        self._y_dtype = y.dtype
        self._y_shape = y.shape
        self.n_outputs_ = 1 if y.ndim == 1 else y.shape[1]
        self.n_outputs_expected_ = 1
        return self

    def transform(self, y):
        n_outputs = 1 if y.ndim == 1 else y.shape[1]
        if n_outputs != self.n_outputs_:
            raise ValueError(
                f"Detected ``y`` to have {n_outputs} outputs with ``y.shape = "
                f"{y.shape}``, but this {type(self).__name__} has "
                f"{self.n_outputs_} outputs."
            )
        return y

    def inverse_transform(self, y):
        """Predictions in the shape of ``y``, as float64 (scikit-learn's dtype)."""
        return np.asarray(y, dtype=np.float64).reshape(-1, *self._y_shape[1:])

    def get_metadata(self):
        """The ``meta`` learned in ``fit``, given to the model builder."""
        return {
            "n_outputs_": self.n_outputs_,
            "n_outputs_expected_": self.n_outputs_expected_,
        }
