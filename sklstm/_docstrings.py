"""Parameter documentation shared by the recurrent estimators."""

ARCHITECTURE = """\
model : None, keras.Model or callable, default=None
        The network. None builds sklstm's own from the parameters below. A
        ``keras.Model`` is copied (weights included) at every fit and compiled
        with this estimator's ``optimizer``, ``loss`` and ``metrics``; the
        object you pass is never modified. A callable is called at fit with
        whichever of these keyword arguments its signature names: ``meta``
        (a dict with ``n_features_in_``, ``n_timesteps_in_``, ``n_outputs``,
        ``output_activation``, ``loss`` and, for classifiers,
        ``n_classes``), ``compile_kwargs``, any parameter of this estimator,
        and the routed ``model__<name>`` parameters. If it returns a compiled
        model, that compilation is kept.

    units : int or tuple of int, default=32
        Units of the recurrent layer; a tuple stacks several layers, the
        input side first, e.g. ``(64, 32)``.

    cell : {"lstm", "gru"}, default="lstm"
        Recurrent cell: ``keras.layers.LSTM`` or ``keras.layers.GRU``.

    bidirectional : bool, default=False
        Wrap each recurrent layer in ``keras.layers.Bidirectional``.

    dropout : float in [0, 1), default=0.0
        Dropout rate of the inputs of each recurrent layer.

    recurrent_dropout : float in [0, 1), default=0.0
        Dropout rate of the recurrent state of each recurrent layer.

    dense_units : tuple of int, default=()
        Hidden dense layers between the recurrent stack and the output layer.

    activation : str, default="relu"
        Activation of the hidden dense layers.

    kernel_regularizer : float, default={l2_default}
        Strength of the L2 penalty on the kernels and recurrent kernels of the
        recurrent layers (0 disables it).

    normalize : "auto" or bool, default="auto"
        Standardise inside the network: each input feature with the mean and
        variance of the training data (padding ignored){normalize_target}.
        The statistics are part of the network, so pickles, ``.keras``
        archives and every predict path keep them. "auto" is True for
        sklstm's own network and False with a ``model`` of your own, which
        sklstm cannot insert layers into. Token ids (``embedding_dim``) are
        never scaled.

    conv_branch : bool, default=False
        LSTM-FCN (Karim et al., 2017): a fully convolutional block (three
        ``Conv1D`` layers of 128, 256 and 128 filters with batch
        normalisation, the first two with the squeeze-and-excite gates of
        MLSTM-FCN, averaged over the time steps) beside the recurrent
        stack, its output concatenated with the recurrent one before the
        head. Strong on classifying whole sequences; train it with
        ``learning_rate=0.001``, its authors' rate (the measurements are in
        the user guide's normalisation page). Not with per-step outputs
        (``return_sequences``, ``decoder``).

    embedding_dim : int, default=None
        When set, X holds integer token ids (2-D, 0 = padding, as made by
        :class:`~sklstm.TextSequencer`) and the network starts with
        ``keras.layers.Embedding(vocab_size, embedding_dim, mask_zero=True)``.

    vocab_size : int, default=None
        Number of token ids, padding included (``TextSequencer.vocab_size_``).
        None takes the largest id seen in fit plus one.

    mask_value : float or None, default=np.nan
        Padding marker of 3-D input. With NaN (the default), a time step whose
        features are all NaN is padding, as made by
        :class:`~sklstm.SequencePadder` and
        :class:`~sklstm.SlidingWindowTransformer`, and is masked: it never
        changes a prediction. NaN mixed with real values in one step is an
        error. A number masks the steps whose features all equal it (Keras
        ``Masking``); None masks nothing and rejects NaN. The NaN masking
        layer is only built when the training data hold padding (it slows
        every step); padded X at predict is then an error.

    return_sequences : "auto" or bool, default="auto"
        Many-to-many: predict at every time step. "auto" turns it on when
        y is 3-D ``(n_samples, n_timesteps, n_outputs)``; set it to True to
        read a 2-D y as ``(n_samples, n_timesteps)`` per-step targets rather
        than several outputs.

    stateful : bool, default=False
        Carry the recurrent state from one batch to the next (see the user
        guide on stateful models). Needs Keras' TensorFlow backend.

    data_format : {"channels_last", "channels_first"}, default="channels_last"
        Layout of 3-D input. "channels_first" reads X as
        ``(n_samples, n_features, n_timesteps)``, the layout of sktime and
        aeon.
"""


def architecture(normalize_target="", l2_default="0.0"):
    """The architecture parameters' documentation, the target's scaling named."""
    return ARCHITECTURE.replace("{normalize_target}", normalize_target).replace(
        "{l2_default}", l2_default
    )


VALIDATION = """\
validation_split : "auto" or float in [0, 1), default=0.0
        Fraction of the training data held out, taken from the end as Keras
        does (the latest samples for time-ordered data), to compute
        ``val_loss``. "auto" holds out 20 % when a fit of several epochs
        trains at least 50 samples of a network that is not stateful, and
        nothing otherwise (``validation_split_`` records the fraction used).

    early_stopping : "auto" or bool, default=False
        Stop when the monitored loss (``val_loss`` if there is a validation
        split, else the training ``loss``) has not improved for ``patience``
        epochs, and restore the best weights. "auto" stops early when there
        is a validation split.

    patience : int, default=10
        Epochs without improvement before early stopping.

    refit : "auto" or bool, default="auto"
        After early stopping on a validation split, train a new network from
        the same initial weights on every row, the held-out ones included,
        for the number of epochs whose ``val_loss`` was lowest (Goodfellow,
        Bengio and Courville, *Deep Learning*, 2016, Algorithm 7.2). It
        replays the learning rates of that fit's epochs, and stops neither
        early nor on a plateau. The network that stopped early never learned
        from the held-out rows: for a series split by time, the latest ones.
        "auto" refits when the estimator chose to hold rows out
        (``validation_split="auto"``); True also after a ``validation_split``
        of yours. Never after validation data routed to Keras
        (``fit__validation_data``). It costs a second, shorter fit."""


def validation(defaults=None):
    """The validation parameters' documentation, with their defaults."""
    return with_defaults(VALIDATION, defaults)


def with_defaults(text, defaults=None):
    """``text`` with the documented defaults of the parameters ``defaults`` names."""
    for name, default in (defaults or {}).items():
        start = text.index(f"{name} : ")
        line_end = text.index("\n", start)
        line = text[start:line_end]
        new_line = line[: line.rindex("default=")] + f"default={default}"
        text = text.replace(line, new_line)
    return text


TRAINING = """\
optimizer : str, keras.optimizers.Optimizer or class, default="adam"
        Optimizer name, class or instance (an instance is copied from its
        configuration at every fit and keeps its own learning rate). Routed
        ``optimizer__<name>`` parameters are passed to its constructor.

    learning_rate : float, default=0.01
        Learning rate of an optimizer given by name or class. Ten times
        Keras' Adam default: with normalised inputs and targets and the small
        data sets recurrent networks are often fitted on, 0.001 needs many
        more epochs (measurements in the user guide on normalisation).

    loss : str, keras.losses.Loss or callable, default="auto"
        Training loss; "auto" picks {auto_loss}. Routed ``loss__<name>``
        parameters configure a loss given by name.

    metrics : list or str, default=None
        Keras metrics to record in ``history_`` for every epoch (names,
        instances or classes); one name alone, as scikeras allows, is a list
        of one.

    epochs : int, default=200
        Number of passes over the training data.

    batch_size : int, default=32
        Samples per gradient update (and per batch of a stateful network).

    {validation}

    reduce_lr_on_plateau : bool, default=False
        Halve the learning rate when the monitored loss has not improved for
        ``patience // 2`` epochs, down to ``learning_rate / 64``
        (``keras.callbacks.ReduceLROnPlateau``).

    clipnorm : float or None, default=None
        Clip each gradient to this norm (the optimizer's ``clipnorm``) when
        the optimizer is given by name or class; a routed
        ``optimizer__clipnorm``, ``__clipvalue`` or ``__global_clipnorm``
        takes precedence.

    shuffle : bool, default=True
        Shuffle the training samples every epoch (always off when stateful).

    warm_start : bool, default=False
        Keep training the fitted network on the next call to fit, rather
        than building a new one.

    steps_per_execution : "auto" or int, default="auto"
        Batches run in one compiled call of the training loop; the updates
        are the same whatever the value. "auto" runs 32 on JAX, and on
        TensorFlow 32 when batches are small and many, else 1 (measured
        rule: see the speed guide); Keras allows only 1 on PyTorch. The
        value used is
        ``model_.steps_per_execution``.

    jit_compile : "auto" or bool, default="auto"
        Compile the training and prediction steps with XLA (Keras' "auto":
        on for JAX, off for TensorFlow on a CPU).

    unroll : "auto" or bool, default="auto"
        Unroll the recurrent loop. "auto" does not: unrolling multiplies the
        time to build the graph of each new network (see the benchmarks).

    random_state : int, RandomState instance or None, default=None
        Seeds weight initialisation, dropout and shuffling. An int makes fits
        reproducible, in this process and in a new one; the caller's global
        random state (Python, NumPy, Keras, TensorFlow) is restored after fit.

    verbose : {{0, 1, 2}}, default=0
        Keras' progress output: 0 silent, 1 a progress bar, 2 one line per
        epoch.

    callbacks : list of keras.callbacks.Callback or one callback, default=None
        Extra Keras callbacks for fit.

    **routed_params : dict
        Parameters routed to Keras by prefix, as in scikeras:
        ``optimizer__<name>``, ``loss__<name>``, ``fit__<name>`` (extra
        arguments of ``keras.Model.fit``), ``compile__<name>`` and
        ``model__<name>`` (arguments of a ``model`` callable).
"""

FITTED = """\
model_ : keras.Model
        The trained network. Once your code has read it, it is yours: sklstm
        never hands it to another fit (see "Compile once per architecture" in
        the speed guide).

    history_ : dict of list of float
        Loss and metrics per epoch (``val_`` entries with
        ``validation_split``), accumulated across warm starts.

    validation_split_ : float
        Fraction of the training data held out by the last fit
        (``validation_split`` with "auto" resolved; 0.0 after ``refit``).

    validation_history_ : dict of list of float or None
        With ``refit``: the history of the fit on the other rows that chose
        the number of epochs (``history_`` is then the final network's);
        None otherwise.

    n_iter_ : int
        Number of epochs run.

    loss_curve_ : list of float
        Training loss per epoch.

    n_features_in_ : int
        Features seen in fit: the per-step features of 3-D input, or the
        number of columns (time steps) of 2-D input, as for any scikit-learn
        estimator.

    n_timesteps_in_ : int
        Length of the sequences seen in fit.

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Column names of a DataFrame X. Defined only for such input.

    vocab_size_ : int
        Number of token ids. Defined only when ``embedding_dim`` is set.
"""
