"""LSTMAutoencoder: learns to reconstruct sequences; codes, reconstructions, scores."""

import numbers

import numpy as np
from sklearn.base import ClassNamePrefixFeaturesOutMixin, TransformerMixin, _fit_context
from sklearn.utils.validation import check_array, check_is_fitted

from ._backend import import_keras
from ._base import BaseSequenceEstimator
from ._inference import DERIVED_MODELS, predict_padded
from ._normalization import feature_statistics, uses_normalization
from ._validation import validate_sequences


class LSTMAutoencoder(
    ClassNamePrefixFeaturesOutMixin, TransformerMixin, BaseSequenceEstimator
):
    """Recurrent sequence autoencoder, as a scikit-learn transformer.

    An encoder stack of LSTM (or GRU) layers compresses each sequence to a
    code vector; a ``RepeatVector`` decoder reconstructs the sequence from
    it. :meth:`transform` gives the codes, so any scikit-learn estimator can
    follow in a Pipeline; :meth:`inverse_transform` reconstructs sequences
    from codes; :meth:`score_samples` gives an anomaly score (higher = more
    normal) from the reconstruction error.

    The sequences must have equal length and no padding: the loss compares
    every step of the reconstruction with the input.

    Read more in the :ref:`User Guide <user_guide>`.

    Parameters
    ----------
    units : int or tuple of int, default=(32, 16)
        Units of the encoder layers, input side first; the last one is the
        size of the code. The decoder mirrors the stack.

    cell : {"lstm", "gru"}, default="lstm"
        Recurrent cell.

    dropout, recurrent_dropout : float in [0, 1), default=0.0
        Dropout of the inputs and of the recurrent state of each layer.

    kernel_regularizer : float, default=0.0
        L2 penalty strength on the recurrent layers' kernels.

    normalize : "auto" or bool, default="auto"
        Standardise each input feature inside the network, with the mean and
        variance of the training sequences, and reconstruct in the input's own
        units. "auto" is True.

    optimizer : str or keras.optimizers.Optimizer, default="adam"
        Optimizer; routed ``optimizer__<name>`` parameters configure it.

    learning_rate : float, default=0.001
        Learning rate of an optimizer given by name.

    loss : str or callable, default="auto"
        Reconstruction loss; "auto" is mean squared error.

    epochs : int, default=50
        Passes over the training data.

    batch_size : int, default=32
        Samples per gradient update.

    validation_split : float in [0, 1), default=0.0
        Fraction of the training data held out (from the end) for
        ``val_loss``.

    early_stopping : bool, default=False
        Stop when the monitored loss stops improving; restore the best
        weights.

    patience : int, default=10
        Epochs without improvement before early stopping.

    refit : "auto" or bool, default="auto"
        After early stopping on a validation split, train a new network on
        every row for the number of epochs whose ``val_loss`` was lowest,
        replaying that fit's learning rates. "auto" refits only after
        ``validation_split="auto"``; True also after a float split.

    shuffle : bool, default=True
        Shuffle the training samples every epoch.

    data_format : {"channels_last", "channels_first"}, default="channels_last"
        Layout of 3-D input.

    warm_start : bool, default=False
        Keep training the fitted network on the next call to fit.

    random_state : int, RandomState instance or None, default=None
        Seeds initialisation and shuffling; the caller's global random state
        is restored after fit.

    verbose : {0, 1, 2}, default=0
        Keras' progress output.

    callbacks : list of keras.callbacks.Callback, default=None
        Extra Keras callbacks for fit.

    **routed_params : dict
        ``optimizer__``, ``loss__``, ``fit__`` and ``compile__`` parameters.

    Attributes
    ----------
    model_ : keras.Model
        The trained autoencoder.

    history_ : dict of list of float
        Loss per epoch.

    validation_history_ : dict of list of float or None
        With ``refit``: the history of the fit on the other rows that chose
        the number of epochs; None otherwise.

    n_iter_ : int
        Number of epochs run.

    loss_curve_ : list of float
        Training loss per epoch.

    n_features_in_ : int
        Per-step features of 3-D input, or columns of 2-D input.

    n_timesteps_in_ : int
        Length of the sequences seen in fit.

    See Also
    --------
    LSTMRegressor : Sequence regression.

    Examples
    --------
    >>> import numpy as np
    >>> from sklstm import LSTMAutoencoder
    >>> X = np.sin(np.linspace(0, 6, 8))[None, :, None] * np.ones((10, 1, 1))
    >>> ae = LSTMAutoencoder(units=(4, 2), epochs=1, random_state=0).fit(X)
    >>> ae.transform(X).shape
    (10, 2)
    >>> ae.inverse_transform(ae.transform(X)).shape
    (10, 8, 1)
    >>> ae.score_samples(X).shape
    (10,)
    """

    _requires_y = False

    # Options of the shared base that an autoencoder does not offer.
    model = None
    embedding_dim = None
    vocab_size = None
    mask_value = None
    return_sequences = False
    stateful = False
    bidirectional = False
    dense_units = ()
    activation = "relu"
    metrics = None
    reduce_lr_on_plateau = False
    conv_branch = False
    clipnorm = None

    # The decoder runs a mirror of the encoder's stack (steps_per_execution="auto").
    _n_recurrent_stacks = 2

    _parameter_constraints = {
        key: value
        for key, value in BaseSequenceEstimator._parameter_constraints.items()
        if key
        not in {
            "model",
            "embedding_dim",
            "vocab_size",
            "mask_value",
            "return_sequences",
            "stateful",
            "bidirectional",
            "dense_units",
            "activation",
            "metrics",
        }
    }

    def __init__(
        self,
        units=(32, 16),
        *,
        cell="lstm",
        dropout=0.0,
        recurrent_dropout=0.0,
        kernel_regularizer=0.0,
        normalize="auto",
        optimizer="adam",
        learning_rate=0.001,
        loss="auto",
        epochs=50,
        batch_size=32,
        validation_split=0.0,
        early_stopping=False,
        patience=10,
        refit="auto",
        shuffle=True,
        data_format="channels_last",
        warm_start=False,
        steps_per_execution="auto",
        jit_compile="auto",
        unroll="auto",
        random_state=None,
        verbose=0,
        callbacks=None,
        **routed_params,
    ):
        self.units = units
        self.cell = cell
        self.dropout = dropout
        self.recurrent_dropout = recurrent_dropout
        self.kernel_regularizer = kernel_regularizer
        self.normalize = normalize
        self.optimizer = optimizer
        self.learning_rate = learning_rate
        self.loss = loss
        self.epochs = epochs
        self.batch_size = batch_size
        self.validation_split = validation_split
        self.early_stopping = early_stopping
        self.patience = patience
        self.refit = refit
        self.shuffle = shuffle
        self.data_format = data_format
        self.warm_start = warm_start
        self.steps_per_execution = steps_per_execution
        self.jit_compile = jit_compile
        self.unroll = unroll
        self.random_state = random_state
        self.verbose = verbose
        self.callbacks = callbacks
        vars(self).update(routed_params)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.requires_fit = True
        tags.transformer_tags.preserves_dtype = ["float64"]
        return tags

    def _validate_y(self, y, *, reset):
        # y is the input itself, already validated as X.
        n_features = 1 if self._input_ndim == 2 else self.n_features_in_
        return None, {
            "loss": "mse",
            "output_activation": "linear",
            "n_outputs": n_features,
        }

    def _network_plan(self, X, y, spec):
        if not uses_normalization(self):
            return {}
        return {"normalization": feature_statistics(X, np.zeros(X.shape[:2], bool))}

    def _default_network(self, spec, plan):
        from ._networks import build_autoencoder

        arch = self._architecture()
        return build_autoencoder(
            n_timesteps=self.n_timesteps_in_,
            n_features=spec["n_outputs"],
            units=arch["units"],
            cell=arch["cell"],
            dropout=arch["dropout"],
            recurrent_dropout=arch["recurrent_dropout"],
            l2=arch["l2"],
            unroll=self._unroll(),
            seed=self._build_seed,
            **plan,
        )

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Learn to reconstruct the sequences X.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps, n_features) or \
(n_samples, n_timesteps)
            Training sequences (2-D input is read as univariate sequences).
        y : None
            Ignored.

        Returns
        -------
        self : object
            The fitted autoencoder.
        """
        initialize = not (self.warm_start and self.__sklearn_is_fitted__())
        return self._fit_keras(X, None, None, epochs=self.epochs, initialize=initialize)

    @property
    def _n_features_out(self):
        return _code_size(self.units)

    def _submodels(self):
        """Encoder (sequences -> codes) and decoder (codes -> sequences).

        Built on first use and cached beside the network, not in the
        estimator's ``__dict__``, so that transform changes nothing on the
        estimator; their compiled steps go with the network's.
        """
        cached = DERIVED_MODELS.get(self.model_)
        if cached is not None:
            return cached
        keras = import_keras()
        model = self.model_
        encoder = keras.Model(model.inputs, model.get_layer("code").output)
        code = keras.Input(shape=(self._n_features_out,), name="code_input")
        x = code
        after_code = False
        for layer in model.layers:
            if after_code:
                x = layer(x)
            after_code = after_code or layer.name == "code"
        decoder = keras.Model(code, x)
        DERIVED_MODELS[model] = (encoder, decoder)
        return encoder, decoder

    def transform(self, X):
        """Encode sequences into code vectors.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps[, n_features])
            Sequences in the layout used in fit.

        Returns
        -------
        codes : ndarray of shape (n_samples, units[-1])
            One code vector per sequence.
        """
        check_is_fitted(self)
        X = validate_sequences(self, X, reset=False)
        encoder, _ = self._submodels()
        return predict_padded(encoder, X).astype(np.float64)

    def inverse_transform(self, X):
        """Reconstruct sequences from code vectors.

        Parameters
        ----------
        X : array-like of shape (n_samples, units[-1])
            Codes, as returned by :meth:`transform`.

        Returns
        -------
        sequences : ndarray of shape (n_samples, n_timesteps[, n_features])
            Reconstructed sequences, in the layout of the X given to fit.
        """
        check_is_fitted(self)
        codes = check_array(X, dtype=np.float32, input_name="X")
        if codes.shape[1] != self._n_features_out:
            raise ValueError(
                f"X has {codes.shape[1]} code values per sample, but "
                f"{type(self).__name__} makes codes of {self._n_features_out}."
            )
        _, decoder = self._submodels()
        out = predict_padded(decoder, codes).astype(np.float64)
        if self._input_ndim == 2:
            return out[:, :, 0]
        if self.data_format == "channels_first":
            return np.swapaxes(out, 1, 2)
        return out

    def score_samples(self, X):
        """Anomaly score: minus the mean squared reconstruction error.

        Higher means more normal, as for scikit-learn's outlier detectors.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps[, n_features])
            Sequences in the layout used in fit.

        Returns
        -------
        scores : ndarray of shape (n_samples,)
            ``-mean((X - reconstruction) ** 2)`` over steps and features.
        """
        check_is_fitted(self)
        X3 = validate_sequences(self, X, reset=False)
        reconstruction = self._forward_validated(X3).astype(np.float64)
        return -np.mean((X3.astype(np.float64) - reconstruction) ** 2, axis=(1, 2))


def _code_size(units):
    return int(units if isinstance(units, numbers.Integral) else tuple(units)[-1])
