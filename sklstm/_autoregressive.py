"""The regressor's linear autoregressive term, its ridge start, and the
forecast combination with that ridge regression.

The term is a linear map of the whole (scaled) window added to the recurrent
stack's output, the "highway" of LSTNet (Lai et al., 2018): the recurrent
stack learns what a linear autoregression of the window misses. It starts at
the ridge regression of the training rows (``sklstm._linear_start``), so
that the untrained network is that regression. With a ``linear_weight``, a
frozen copy of the ridge regression stays in the network and its forecast
is averaged with the trained network's: ``(1 - w) * network + w * ridge``,
the combination of forecasts of Bates and Granger (1969). Training sees the
network alone (:func:`network_alone`); the weight applies to every forecast
after it.
"""

import contextlib

import keras
from keras import layers

from ._layers import DropMask, HostConstant, Level, LinearBlend

__all__ = ["autoregressive_head", "network_alone"]


def autoregressive_head(
    head,
    output_layer,
    inputs,
    scaled_inputs,
    *,
    n_outputs,
    window=None,
    level_normalization=None,
    linear_start=None,
    linear_weight=0.0,
    standardized,
):
    """``head`` plus the autoregressive term of the window (and its level),
    started at ``linear_start``; blended with the frozen ridge regression for
    a ``linear_weight`` above 0. ``standardized`` is the network builder's
    helper that adds a ``Standardization`` layer holding given statistics."""
    linear_layer = layers.Dense(
        n_outputs,
        use_bias=False,
        kernel_initializer=HostConstant(0.0),
        name="autoregressive",
    )
    linear_inputs = layers.Flatten(name="flatten_window")(
        DropMask(name="window_values")(scaled_inputs)
    )
    terms = [head, linear_layer(linear_inputs)]
    level_layer, level_term = None, None
    if window is not None and linear_start is not None:
        # The level the window lost, with the ridge's weight, kept out of
        # training: the linear start decides how far a forecast reverts to
        # the mean (a weight of zero: not at all, as a random walk). Trained,
        # its weight extrapolated the trend of short series.
        level = Level(name="level", **window)(inputs)
        if level_normalization is not None:
            level = standardized(level, level_normalization, "level_normalization")
        level_layer = layers.Dense(
            n_outputs,
            use_bias=False,
            kernel_initializer=HostConstant(0.0),
            trainable=False,
            name="level_term",
        )
        level_term = level_layer(level)
        terms.append(level_term)
    network = layers.Add(name="add_autoregressive")(terms)
    if linear_start is None:
        return network
    _start_linear(linear_layer, output_layer, *linear_start, level_layer)
    if not linear_weight:
        return network
    ridge_layer = layers.Dense(
        n_outputs,
        trainable=False,
        kernel_initializer=HostConstant(0.0),
        bias_initializer=HostConstant(0.0),
        name="ridge",
    )
    ridge = ridge_layer(linear_inputs)
    if level_term is not None:
        ridge = layers.Add(name="add_ridge_level")([ridge, level_term])
    kernel, intercept = linear_start
    ridge_layer.kernel.assign(kernel[: ridge_layer.kernel.shape[0]].astype("float32"))
    ridge_layer.bias.assign(intercept.astype("float32"))
    return LinearBlend(weight=linear_weight, name="linear_blend")([network, ridge])


def _start_linear(linear_layer, output_layer, kernel, intercept, level_layer=None):
    """Start the network as the linear autoregression ``kernel``, ``intercept``.

    The output layer's kernel starts at zero (``build_network`` gives it
    a zero initialiser when there is a linear start), so that the recurrent
    stack adds nothing until training finds something the linear map misses
    (the zero-initialised residual branch of Goyal et al., 2017, and ReZero).
    """
    if level_layer is not None:
        level_layer.kernel.assign(kernel[-1:].astype("float32"))
        kernel = kernel[:-1]
    linear_layer.kernel.assign(kernel.astype("float32"))
    output_layer.bias.assign(intercept.astype("float32"))


@contextlib.contextmanager
def network_alone(model):
    """Train ``model`` with its forecast combinations (``LinearBlend``) set
    to the network alone, then give them their weights back.

    The trained network is one member of the combination, fitted to the
    target as if it were the whole forecast; training the blend would only
    scale what the network learns.
    """
    blends = [
        layer
        for layer in getattr(model, "layers", ())
        if isinstance(layer, LinearBlend)
    ]
    weights = [keras.ops.convert_to_numpy(blend.weight) for blend in blends]
    for blend in blends:
        blend.weight.assign(0.0)
    try:
        yield
    finally:
        for blend, weight in zip(blends, weights, strict=True):
            blend.weight.assign(weight)
