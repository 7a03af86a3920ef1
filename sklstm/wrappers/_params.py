"""The wrappers' parameters: every public attribute set in ``__init__``.

As in scikeras, keyword arguments beyond the signature (builder arguments such
as ``hidden_layer_sizes=(100,)`` and routed ones such as
``optimizer__learning_rate=0.1``) are parameters like the others:
``get_params`` lists them, ``set_params`` and ``clone`` keep them. A subclass
whose ``__init__`` takes no ``**kwargs`` has exactly the parameters of its
signature, so that ``clone`` can call it.
"""

import inspect

__all__ = ["ROUTING_PREFIXES", "WrapperParamsMixin"]

# Prefixes of the parameters routed to the builder and to Keras.
ROUTING_PREFIXES = frozenset(
    {"model", "fit", "compile", "predict", "optimizer", "loss", "metrics"}
    | {"callbacks", "score"}
)


class WrapperParamsMixin:
    """``get_params`` / ``set_params`` over the attributes set in ``__init__``.

    Mixed in before ``sklearn.base.BaseEstimator``.
    """

    @property
    def __name__(self):
        return type(self).__name__

    def _get_param_names(self):
        names = sorted(
            key
            for key in vars(self)
            if not key.endswith("_") and not key.startswith("_")
        )
        signature = inspect.signature(type(self).__init__).parameters
        if any(p.kind is p.VAR_KEYWORD for p in signature.values()):
            return names
        return [name for name in names if name in signature]

    def _all_params(self):
        """Every public attribute set in ``__init__``, for routing."""
        return {
            key: value
            for key, value in vars(self).items()
            if not key.endswith("_") and not key.startswith("_")
        }

    def set_params(self, **params):
        """Set parameters, routed ones (``optimizer__learning_rate``) included.

        Parameters
        ----------
        **params : dict
            Parameter names and their new values.

        Returns
        -------
        self : object
            The estimator.
        """
        for name, value in params.items():
            if any(name.startswith(prefix + "__") for prefix in ROUTING_PREFIXES):
                setattr(self, name, value)
                continue
            try:
                super().set_params(**{name: value})
            except ValueError:
                raise ValueError(
                    f"Invalid parameter {name} for estimator {self.__name__}."
                    "\nThis issue can likely be resolved by setting this parameter"
                    f" in the {self.__name__} constructor:"
                    f"\n`{self.__name__}({name}={value!r})`"
                    "\nCheck the list of available parameters with"
                    " `estimator.get_params().keys()`"
                ) from None
        return self
