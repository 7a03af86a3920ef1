"""Routed parameters: ``model__…``, ``optimizer__…``, ``loss__…``, ``fit__…``.

As in scikeras, keyword arguments beyond an estimator's signature are routed
to Keras by their prefix. They are parameters like any other for scikit-learn:
``get_params`` lists them, ``set_params`` and ``clone`` keep them.
"""

__all__ = ["ROUTED_PREFIXES", "RoutedParamsMixin"]

# Parameter prefixes routed to Keras, as scikeras routes them.
ROUTED_PREFIXES = ("model", "optimizer", "loss", "fit", "compile")


class RoutedParamsMixin:
    """``get_params``/``set_params`` that also handle routed parameters.

    Mixed in before ``sklearn.base.BaseEstimator``.
    """

    @classmethod
    def _declared_param_names(cls):
        """The parameters of every ``__init__`` along the class hierarchy.

        A subclass may narrow the signature (``def __init__(self, units=8)``
        calling ``super().__init__(units=units)``); the parameters it leaves
        out are still set by the base's ``__init__`` and are not routed ones.
        """
        names = set()
        for klass in cls.__mro__:
            if "__init__" in vars(klass) and hasattr(klass, "_get_param_names"):
                names.update(klass._get_param_names())
        return names

    def _routed_params(self):
        """The keyword arguments given beyond the signature's parameters."""
        named = self._declared_param_names()
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

    def _check_routed_names(self):
        for key in self._routed_params():
            if "__" not in key or key.split("__", 1)[0] not in ROUTED_PREFIXES:
                raise TypeError(
                    f"{type(self).__name__} got an unexpected parameter {key!r}. "
                    "Routed parameters must start with one of "
                    f"{', '.join(p + '__' for p in ROUTED_PREFIXES)}"
                )

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
