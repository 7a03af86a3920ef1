"""Any Keras model as a scikit-learn estimator: a drop-in for ``scikeras.wrappers``.

Replace ``from scikeras.wrappers import KerasClassifier`` by
``from sklstm.wrappers import KerasClassifier``: the parameters, the ``meta``
given to model builders, the routed parameters and the subclass hooks are
scikeras' (``docs/user_guide/migrating.rst`` lists the differences). Importing
this package imports no Keras; the first fit does, with any Keras backend.
"""

from ._base import BaseWrapper
from ._classifier import KerasClassifier
from ._regressor import KerasRegressor

__all__ = ["BaseWrapper", "KerasClassifier", "KerasRegressor"]
