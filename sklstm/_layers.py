"""sklstm's own Keras layers: NaN padding masks, standardisation, window levels,
dropped masks, forecast combinations; and the initialiser of their constant
weights.

Registered with Keras under the package name "sklstm", so that saved networks
holding them load with ``keras.saving.load_model`` once sklstm is imported.
"""

import keras
import numpy as np
from keras import layers, ops

__all__ = [
    "DropMask",
    "HostConstant",
    "Level",
    "LinearBlend",
    "NaNMasking",
    "Standardization",
    "WindowLevel",
]


@keras.saving.register_keras_serializable(package="sklstm")
class HostConstant(keras.initializers.Initializer):
    """Initialise a weight to a constant built in NumPy, on the host.

    Keras' ``Zeros``, ``Ones`` and ``Constant`` build the value with backend
    ops, and on JAX each new shape compiles a small program (20-150 ms in a
    fresh process). A weight takes a NumPy array as it is. sklstm uses this
    for the weights it sets from data right after the build: statistics,
    linear starts, blend weights.
    """

    def __init__(self, value=0.0):
        self.value = float(value)

    def __call__(self, shape, dtype=None):
        dtype = keras.backend.standardize_dtype(dtype or keras.config.floatx())
        return np.full(shape, self.value, dtype=dtype)

    def get_config(self):
        return {"value": self.value}


@keras.saving.register_keras_serializable(package="sklstm")
class NaNMasking(layers.Layer):
    """Mask the time steps whose features are all NaN and zero them.

    Keras' ``Masking`` compares with a number, and no number is safe as a
    padding marker once data are scaled (0.0 is the minimum after
    ``MinMaxScaler``). NaN can never be a measured value, so sklstm pads with
    NaN and this layer turns those steps into a Keras mask.
    """

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True

    def compute_mask(self, inputs, mask=None):
        return ops.any(ops.logical_not(ops.isnan(inputs)), axis=-1)

    def call(self, inputs):
        return ops.where(ops.isnan(inputs), ops.zeros_like(inputs), inputs)

    def compute_output_shape(self, input_shape):
        return input_shape


@keras.saving.register_keras_serializable(package="sklstm")
class Standardization(layers.Layer):
    """Standardise the last axis with a mean and variance held as weights.

    ``(x - mean) / max(sqrt(variance), epsilon)``, or with ``invert=True`` its
    inverse, ``mean + x * max(sqrt(variance), epsilon)``: the arithmetic of
    ``keras.layers.Normalization``. Keras' layer bakes statistics given to it
    into the traced graph as constants; here they are non-trainable weights,
    set with :meth:`set_statistics`, so that one compiled training step
    serves networks fitted on different data (``docs/user_guide/speed.rst``).
    The statistics are saved with the network as its other weights are.
    """

    def __init__(self, invert=False, **kwargs):
        super().__init__(**kwargs)
        self.invert = bool(invert)
        self.supports_masking = True

    def build(self, input_shape):
        shape = (input_shape[-1],)
        self.mean = self.add_weight(
            name="mean", shape=shape, initializer=HostConstant(0.0), trainable=False
        )
        self.variance = self.add_weight(
            name="variance",
            shape=shape,
            initializer=HostConstant(1.0),
            trainable=False,
        )

    def set_statistics(self, mean, variance):
        """Set the per-feature ``mean`` and ``variance`` (1-D, one per feature)."""
        self.mean.assign(np.asarray(mean, dtype=self.mean.dtype))
        self.variance.assign(np.asarray(variance, dtype=self.variance.dtype))

    def call(self, inputs):
        scale = ops.maximum(ops.sqrt(self.variance), keras.backend.epsilon())
        if self.invert:
            return ops.add(self.mean, ops.multiply(inputs, scale))
        return ops.divide(ops.subtract(inputs, self.mean), scale)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "invert": self.invert}


def _window_level(windows, feature, mode):
    """``(batch, 1)``: each window's last value of ``feature`` (its log for
    ``mode="log"``)."""
    level = windows[:, -1, feature : feature + 1]
    return ops.log(level) if mode == "log" else level


@keras.saving.register_keras_serializable(package="sklstm")
class WindowLevel(layers.Layer):
    """Remove each window's level from one feature, or restore it on outputs.

    The level of a window is its last value of input feature ``feature``. With
    ``restore=False`` the layer takes the windows and returns them with that
    feature relative to its level: ``x - level`` (``mode="subtract"``) or
    ``log(x) - log(level)`` (``mode="log"``); the other features pass
    unchanged. With ``restore=True`` it takes ``[outputs, windows]`` and maps
    the network's outputs back: ``outputs + level`` or
    ``exp(outputs) * level``. NaN padding stays NaN, for the masking after it.
    """

    def __init__(self, feature=0, mode="subtract", restore=False, **kwargs):
        super().__init__(**kwargs)
        self.feature = int(feature)
        self.mode = mode
        self.restore = bool(restore)
        self.supports_masking = True

    def _level(self, windows):
        return _window_level(windows, self.feature, self.mode)[:, 0]

    def call(self, inputs):
        if self.restore:
            outputs, windows = inputs
            level = self._level(windows)
            level = ops.reshape(level, (-1,) + (1,) * (len(outputs.shape) - 1))
            shifted = outputs + level
            return ops.exp(shifted) if self.mode == "log" else shifted
        windows = inputs
        column = windows[:, :, self.feature]
        if self.mode == "log":
            column = ops.log(column)
        shifted = ops.expand_dims(column - ops.expand_dims(self._level(windows), 1), -1)
        is_target = ops.arange(windows.shape[-1]) == self.feature
        return ops.where(is_target, shifted, windows)

    def compute_mask(self, inputs, mask=None):
        if self.restore:
            return mask[0] if isinstance(mask, (list, tuple)) else None
        return mask

    def compute_output_shape(self, input_shape):
        return input_shape[0] if self.restore else input_shape

    def get_config(self):
        return {
            **super().get_config(),
            "feature": self.feature,
            "mode": self.mode,
            "restore": self.restore,
        }


@keras.saving.register_keras_serializable(package="sklstm")
class DropMask(layers.Layer):
    """Pass the input on without its mask (padded steps are zeros already)."""

    def compute_mask(self, inputs, mask=None):
        return None

    def call(self, inputs):
        return inputs * 1.0  # a new tensor: the input's mask stays behind

    def compute_output_shape(self, input_shape):
        return input_shape


@keras.saving.register_keras_serializable(package="sklstm")
class Level(layers.Layer):
    """Each window's level as one feature: shape ``(batch, 1)``.

    The level is the window's last value of input feature ``feature``, or its
    log for ``mode="log"``, as :class:`WindowLevel` removes it. It carries no
    mask: window normalisation needs a real last step.
    """

    def __init__(self, feature=0, mode="subtract", **kwargs):
        super().__init__(**kwargs)
        self.feature = int(feature)
        self.mode = mode

    def call(self, windows):
        return _window_level(windows, self.feature, self.mode)

    def compute_mask(self, inputs, mask=None):
        return None

    def compute_output_shape(self, input_shape):
        return (input_shape[0], 1)

    def get_config(self):
        return {**super().get_config(), "feature": self.feature, "mode": self.mode}


@keras.saving.register_keras_serializable(package="sklstm")
class LinearBlend(layers.Layer):
    """``(1 - weight) * network + weight * linear`` of two same-shape inputs.

    ``weight`` is a non-trainable scalar weight, saved with the network, so
    that training can set it to 0 and one compiled step serves any value
    (``sklstm._autoregressive``).
    """

    def __init__(self, weight=0.5, **kwargs):
        super().__init__(**kwargs)
        self.initial_weight = float(weight)

    def build(self, input_shape):
        self.weight = self.add_weight(
            name="weight",
            shape=(),
            initializer=HostConstant(self.initial_weight),
            trainable=False,
        )

    def call(self, inputs):
        network, linear = inputs
        return ops.add(
            network, ops.multiply(self.weight, ops.subtract(linear, network))
        )

    def compute_output_shape(self, input_shape):
        return input_shape[0]

    def get_config(self):
        return {**super().get_config(), "weight": self.initial_weight}
