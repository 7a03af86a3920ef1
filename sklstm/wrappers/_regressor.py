"""``KerasRegressor``: scikeras' regressor wrapper, on sklstm's ``BaseWrapper``."""

from sklearn.base import RegressorMixin
from sklearn.metrics import r2_score

from ._base import BaseWrapper
from ._encoders import RegressorTargetEncoder

__all__ = ["KerasRegressor"]


class KerasRegressor(RegressorMixin, BaseWrapper):
    """Any Keras model as a scikit-learn regressor; scikeras' ``KerasRegressor``.

    Parameters are those of :class:`BaseWrapper`. ``y`` is always made
    numeric; predictions have the shape of ``y`` and the dtype of the model's
    outputs (Keras' float type). ``score`` is the R² (``scorer``).

    Examples
    --------
    >>> import keras
    >>> import numpy as np
    >>> from sklstm.wrappers import KerasRegressor
    >>> def build(meta):
    ...     return keras.Sequential(
    ...         [keras.Input((meta["n_features_in_"],)), keras.layers.Dense(1)]
    ...     )
    >>> X, y = np.random.rand(16, 3), np.random.rand(16)
    >>> reg = KerasRegressor(build, loss="mse", verbose=0, random_state=0).fit(X, y)
    >>> reg.predict(X[:2]).shape
    (2,)
    """

    _requires_y = True

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.regressor_tags.poor_score = True
        return tags

    @staticmethod
    def scorer(y_true, y_pred, **kwargs):
        """The R² score (override to change the score)."""
        return r2_score(y_true, y_pred, **kwargs)

    score = BaseWrapper.score

    def _validate_data(self, X=None, y=None, reset=False, y_numeric=False):
        return super()._validate_data(X=X, y=y, reset=reset, y_numeric=True)

    @property
    def target_encoder(self):
        """An unfitted ``RegressorTargetEncoder`` (override to change it)."""
        return RegressorTargetEncoder()
