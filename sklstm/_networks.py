"""Pure Keras graph builders: hyper-parameters in, an uncompiled ``keras.Model`` out.

Nothing here knows about scikit-learn. The estimators call :func:`build_network`
with validated hyper-parameters and compile the result themselves.
"""

import random

import keras
from keras import layers

from ._autoregressive import autoregressive_head
from ._layers import DropMask, HostConstant, NaNMasking, Standardization, WindowLevel

__all__ = ["build_autoencoder", "build_network"]


def _standardized(x, statistics, name, invert=False):
    """``x`` through a ``Standardization`` layer holding ``statistics``."""
    layer = Standardization(invert=invert, name=name)
    x = layer(x)  # builds the layer, which creates its weights
    layer.set_statistics(*statistics)
    return x


def _input_layers(x, *, mask_value, input_normalization, window):
    """Padding masks, the window's level removed, features standardised.

    A numeric padding marker is compared with the raw input, so Keras'
    ``Masking`` comes first; NaN padding survives the arithmetic and is masked
    last, so that no NaN or infinity reaches a weight.
    """
    if mask_value is not None and mask_value != "nan":
        x = layers.Masking(mask_value=mask_value, name="masking")(x)
    if window is not None:
        x = WindowLevel(name="window_level", **window)(x)
    if input_normalization is not None:
        x = _standardized(x, input_normalization, "input_normalization")
    if mask_value == "nan":
        x = NaNMasking(name="masking")(x)
    return x


def _output_layers(outputs, inputs, *, output_normalization, window):
    """The outputs mapped back to the target's units and level."""
    if output_normalization is not None:
        outputs = _standardized(
            outputs, output_normalization, "output_normalization", invert=True
        )
    if window is not None:
        outputs = WindowLevel(name="window_restore", restore=True, **window)(
            [outputs, inputs]
        )
    return outputs


def _conv_branch(x, seeds):
    """The fully convolutional block of LSTM-FCN: three Conv1D + BatchNorm +
    ReLU (128, 256 and 128 filters of widths 8, 5 and 3), the first two
    followed by a squeeze-and-excite block (MLSTM-FCN, Karim et al., 2019),
    then the average over the time steps. Convolutions take no mask: padded
    steps enter as the zeros the masking layer made of them."""
    x = DropMask(name="conv_input")(x)
    for i, (filters, width) in enumerate(((128, 8), (256, 5), (128, 3))):
        x = layers.Conv1D(
            filters,
            width,
            padding="same",
            kernel_initializer=keras.initializers.HeUniform(seed=seeds()),
            name=f"conv_{i}",
        )(x)
        x = layers.BatchNormalization(name=f"conv_batchnorm_{i}")(x)
        x = layers.Activation("relu", name=f"conv_relu_{i}")(x)
        if i < 2:
            x = _squeeze_excite(x, filters, seeds, name=f"conv_excite_{i}")
    return layers.GlobalAveragePooling1D(name="conv_pooling")(x)


def _squeeze_excite(x, filters, seeds, *, name, ratio=16):
    """Squeeze-and-excitation (Hu, Shen and Sun, 2018): each filter's map
    scaled by a gate in (0, 1) computed from the averages of all filters."""
    gate = layers.GlobalAveragePooling1D(name=f"{name}_squeeze")(x)
    for units, activation, suffix in (
        (filters // ratio, "relu", "reduce"),
        (filters, "sigmoid", "expand"),
    ):
        gate = layers.Dense(
            units,
            activation=activation,
            kernel_initializer=keras.initializers.HeNormal(seed=seeds()),
            use_bias=False,
            name=f"{name}_{suffix}",
        )(gate)
    gate = layers.Reshape((1, filters), name=f"{name}_gate")(gate)
    return layers.Multiply(name=f"{name}_scale")([x, gate])


class _Seeds:
    """Seeds for every initialiser and dropout, drawn from one private generator.

    Drawing them from a ``random.Random(seed)`` of our own, rather than from
    Python's global generator as Keras does for unseeded layers, keeps a
    seeded build reproducible while other threads use ``random`` (a Dask
    worker's event loop does). ``seed=None`` leaves every seed to Keras.
    """

    def __init__(self, seed):
        self._rng = None if seed is None else random.Random(seed)

    def __call__(self):
        return None if self._rng is None else self._rng.randint(1, 2**31 - 1)

    def glorot(self):
        return keras.initializers.GlorotUniform(seed=self())

    def orthogonal(self):
        return keras.initializers.Orthogonal(seed=self())


def _recurrent_layer(
    cell,
    units,
    *,
    return_sequences,
    dropout,
    recurrent_dropout,
    regularizer,
    stateful,
    unroll,
    name,
    seeds=None,
    go_backwards=False,
    use_cudnn="auto",
):
    seeds = seeds or _Seeds(None)
    layer_class = {"lstm": layers.LSTM, "gru": layers.GRU}[cell]
    return layer_class(
        units,
        kernel_initializer=seeds.glorot(),
        recurrent_initializer=seeds.orthogonal(),
        seed=seeds(),
        go_backwards=go_backwards,
        return_sequences=return_sequences,
        dropout=dropout,
        recurrent_dropout=recurrent_dropout,
        kernel_regularizer=regularizer,
        recurrent_regularizer=regularizer,
        stateful=stateful,
        unroll=unroll,
        use_cudnn=use_cudnn,
        name=name,
    )


def build_network(
    *,
    n_timesteps,
    n_features,
    n_outputs,
    output_activation,
    units=(32,),
    cell="lstm",
    bidirectional=False,
    dropout=0.0,
    recurrent_dropout=0.0,
    dense_units=(),
    activation="relu",
    l2=0.0,
    mask_value=None,
    embedding_dim=None,
    vocab_size=None,
    return_sequences=False,
    output_steps=None,
    stateful=False,
    batch_size=None,
    unroll=False,
    seed=None,
    name="sklstm",
    input_normalization=None,
    output_normalization=None,
    window=None,
    autoregressive=False,
    level_normalization=None,
    linear_start=None,
    linear_weight=0.0,
    conv_branch=False,
):
    """Build the recurrent network that the estimators train.

    Parameters
    ----------
    n_timesteps : int or None
        Length of the input sequences (None accepts any length).
    n_features : int
        Features per time step. Ignored when ``embedding_dim`` is set: the
        input is then a 2-D array of integer token ids.
    n_outputs : int
        Units of the output layer (per time step for sequence outputs).
    output_activation : str
        Activation of the output layer ("linear", "sigmoid", "softmax").
    units : tuple of int
        Units of each stacked recurrent layer, input side first.
    cell : {"lstm", "gru"}
    bidirectional : bool
        Wrap every recurrent layer in ``keras.layers.Bidirectional``.
    dropout, recurrent_dropout : float
        Dropout on the inputs and on the recurrent state of each layer.
    dense_units : tuple of int
        Hidden dense layers between the recurrent stack and the output.
    activation : str
        Activation of the hidden dense layers.
    l2 : float
        L2 penalty on the kernels and recurrent kernels (0 disables it).
    mask_value : float, "nan" or None
        Steps to mask: ``"nan"`` masks steps whose features are all NaN,
        a number masks steps whose features all equal it (Keras ``Masking``).
    embedding_dim : int or None
        Learn an ``Embedding(vocab_size, embedding_dim, mask_zero=True)`` of
        integer token ids before the recurrent stack.
    vocab_size : int or None
        Number of token ids, padding id 0 included.
    return_sequences : bool
        Many-to-many: an output at every input step, through a
        ``TimeDistributed`` dense head.
    output_steps : int or None
        One-to-many / encoder-decoder: repeat the encoding ``output_steps``
        times (``RepeatVector``), decode with a recurrent layer and give an
        output per future step.
    stateful : bool
        Keep the recurrent state across batches; needs ``batch_size``.
    batch_size : int or None
        Fixed batch size of a stateful network.
    unroll : bool
        Unroll the recurrent loop (faster for short sequences).
    seed : int or None
        Seed of every initialiser and dropout layer (None: Keras' own).
    name : str
        Name of the model.
    input_normalization : (mean, variance) or None
        Per-feature statistics: the inputs are standardised with them
        (a :class:`~sklstm._layers.Standardization` layer, the arithmetic of
        ``keras.layers.Normalization`` with the statistics held as weights),
        after the padding is masked.
    output_normalization : (mean, variance) or None
        Per-output statistics: the outputs are mapped back with them
        (``Standardization(invert=True)``), so the network learns a
        standardised target.
    window : dict or None
        ``{"feature": int, "mode": "subtract" | "log"}``: each window's level
        is removed from that input feature and restored on the outputs
        (:class:`WindowLevel`).
    autoregressive : bool
        Add a linear map of the whole window to the output (vector outputs of
        fixed-length windows only). With ``window``, the window's level
        (:class:`~sklstm._layers.Level`) enters it too, through a weight of its
        own that ``linear_start`` sets and training leaves.
    level_normalization : (mean, variance) or None
        Statistics the level is standardised with before the autoregressive
        term; None passes it unscaled.
    linear_start : (kernel, intercept) or None
        Starting weights of the autoregressive term and the output's bias
        (:func:`sklstm._linear_start.linear_start`), with the output's kernel
        at zero: the untrained network is that linear regression. None starts
        the autoregressive term at zero.
    linear_weight : float
        With ``linear_start``, the weight of that ridge regression, kept
        frozen, in the output: ``(1 - w) * network + w * ridge``
        (:mod:`sklstm._autoregressive`). 0 leaves the network alone.
    conv_branch : bool
        LSTM-FCN (Karim et al., 2017): a convolutional block beside the
        recurrent stack, concatenated with its output (vector outputs only).

    Returns
    -------
    model : keras.Model
        The uncompiled network.
    """
    regularizer = keras.regularizers.L2(l2) if l2 else None
    seeds = _Seeds(seed)
    fixed_batch = batch_size if stateful else None
    # Keras' cuDNN kernel on TensorFlow accepts only masks padded at the end
    # and stops the step on others; sklstm pads at the start (a window's
    # latest values last). A network that masks takes Keras' generic kernel.
    use_cudnn = False if mask_value is not None or embedding_dim is not None else "auto"
    if embedding_dim is not None:
        inputs = keras.Input(
            shape=(n_timesteps,), batch_size=fixed_batch, dtype="int32", name="tokens"
        )
        x = layers.Embedding(
            vocab_size,
            embedding_dim,
            mask_zero=True,
            embeddings_initializer=keras.initializers.RandomUniform(
                -0.05, 0.05, seed=seeds()
            ),
            name="embedding",
        )(inputs)
    else:
        inputs = keras.Input(
            shape=(n_timesteps, n_features), batch_size=fixed_batch, name="sequences"
        )
        x = _input_layers(
            inputs,
            mask_value=mask_value,
            input_normalization=input_normalization,
            window=window,
        )
    scaled_inputs = x

    n_layers = len(units)
    for i, n_units in enumerate(units):
        last = i == n_layers - 1
        options = {
            "return_sequences": (not last) or return_sequences,
            "dropout": dropout,
            "recurrent_dropout": recurrent_dropout,
            "regularizer": regularizer,
            "stateful": stateful,
            "unroll": unroll,
            "use_cudnn": use_cudnn,
        }
        layer = _recurrent_layer(
            cell, n_units, name=f"{cell}_{i}", seeds=seeds, **options
        )
        if bidirectional:
            # An explicit backward layer with seeds of its own: Keras would
            # otherwise copy the forward layer's configuration, seeds included,
            # and start both directions from the same weights.
            backward = _recurrent_layer(
                cell,
                n_units,
                name=f"{cell}_{i}_backward",
                seeds=seeds,
                go_backwards=True,
                **options,
            )
            layer = layers.Bidirectional(
                layer, backward_layer=backward, name=f"bidirectional_{i}"
            )
        x = layer(x)

    if output_steps is not None:
        x = layers.RepeatVector(output_steps, name="repeat_vector")(x)
        x = _recurrent_layer(
            cell,
            units[-1],
            return_sequences=True,
            dropout=dropout,
            recurrent_dropout=recurrent_dropout,
            regularizer=regularizer,
            stateful=False,
            unroll=unroll,
            use_cudnn=use_cudnn,
            name=f"{cell}_decoder",
            seeds=seeds,
        )(x)

    per_step = return_sequences or output_steps is not None
    if conv_branch:
        x = layers.Concatenate(name="concatenate_conv")(
            [x, _conv_branch(scaled_inputs, seeds)]
        )
    for i, n_units in enumerate(dense_units):
        dense = layers.Dense(
            n_units,
            activation=activation,
            kernel_initializer=seeds.glorot(),
            name=f"dense_{i}",
        )
        x = (
            layers.TimeDistributed(dense, name=f"td_dense_{i}")(x)
            if per_step
            else (dense(x))
        )
    kernel_initializer = seeds.glorot()
    if autoregressive and linear_start is not None:
        # With a linear start the output kernel starts at zero (see
        # sklstm._autoregressive): no random draw to compile. The seed above
        # is drawn all the same, so later seeds stay.
        kernel_initializer = HostConstant(0.0)
    output = layers.Dense(
        n_outputs,
        activation=output_activation,
        kernel_initializer=kernel_initializer,
        name="output",
    )
    if per_step:
        output = layers.TimeDistributed(output, name="td_output")
    head = output(x)
    if autoregressive:
        head = autoregressive_head(
            head,
            output,
            inputs,
            scaled_inputs,
            n_outputs=n_outputs,
            window=window,
            level_normalization=level_normalization,
            linear_start=linear_start,
            linear_weight=linear_weight,
            standardized=_standardized,
        )
    outputs = _output_layers(
        head,
        inputs,
        output_normalization=output_normalization,
        window=window,
    )
    return keras.Model(inputs, outputs, name=name)


def build_autoencoder(
    *,
    n_timesteps,
    n_features,
    units=(32, 16),
    cell="lstm",
    dropout=0.0,
    recurrent_dropout=0.0,
    l2=0.0,
    unroll=False,
    seed=None,
    name="lstmautoencoder",
    normalization=None,
):
    """Build a sequence autoencoder: recurrent encoder to a vector, decoder back.

    The encoder stacks ``units`` (the last layer, named ``"code"``, returns
    the code vector of ``units[-1]`` values); the decoder repeats the code
    ``n_timesteps`` times (``RepeatVector``), runs the mirrored stack and a
    per-step dense layer back to ``n_features``. With ``normalization``
    (per-feature mean and variance) it encodes standardised sequences and
    reconstructs them in their own units.

    Returns
    -------
    model : keras.Model
        The uncompiled autoencoder.
    """
    regularizer = keras.regularizers.L2(l2) if l2 else None
    seeds = _Seeds(seed)
    options = {
        "seeds": seeds,
        "dropout": dropout,
        "recurrent_dropout": recurrent_dropout,
        "regularizer": regularizer,
        "stateful": False,
        "unroll": unroll,
    }
    inputs = keras.Input(shape=(n_timesteps, n_features), name="sequences")
    x = _input_layers(
        inputs, mask_value=None, input_normalization=normalization, window=None
    )
    for i, n_units in enumerate(units):
        last = i == len(units) - 1
        x = _recurrent_layer(
            cell,
            n_units,
            return_sequences=not last,
            name="code" if last else f"encoder_{i}",
            **options,
        )(x)
    x = layers.RepeatVector(n_timesteps, name="repeat_vector")(x)
    for i, n_units in enumerate(reversed(units)):
        x = _recurrent_layer(
            cell, n_units, return_sequences=True, name=f"decoder_{i}", **options
        )(x)
    outputs = layers.TimeDistributed(
        layers.Dense(
            n_features, kernel_initializer=seeds.glorot(), name="reconstruction"
        ),
        name="td_reconstruction",
    )(x)
    outputs = _output_layers(
        outputs, inputs, output_normalization=normalization, window=None
    )
    return keras.Model(inputs, outputs, name=name)
