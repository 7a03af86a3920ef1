"""Keras LSTM and GRU networks as scikit-learn estimators and transformers.

``import sklstm`` is cheap: it imports neither Keras nor TensorFlow, nor the
modules behind the public names, until a name is first used (:pep:`562`).
The Keras backend itself is imported when an estimator is first fitted or loaded.
"""

import importlib

__version__ = "0.1.0"

# public name -> private module that defines it
_LAZY = {
    "LSTMRegressor": "._regressor",
    "LSTMClassifier": "._classifier",
    "LSTMAutoencoder": "._autoencoder",
    "SlidingWindowTransformer": "._windows",
    "make_windows": "._windows",
    "SequencePadder": "._padding",
    "TextSequencer": "._text",
    "StepwiseTransformer": "._stepwise",
    "ChannelsFirstTransformer": "._channels",
    "save_estimator": "._persistence",
    "load_estimator": "._persistence",
}
_SUBMODULES = ("datasets", "forecasting", "plotting", "wrappers")

__all__ = sorted(_LAZY) + list(_SUBMODULES)


def __getattr__(name):
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name], __name__), name)
        globals()[name] = value
        return value
    if name in _SUBMODULES:
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(__all__))
