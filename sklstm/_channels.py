"""ChannelsFirstTransformer: sequences from sktime and aeon's layout to sklstm's."""

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin, _fit_context
from sklearn.utils.validation import check_array


class ChannelsFirstTransformer(TransformerMixin, BaseEstimator):
    """Convert channels-first sequences (sktime, aeon) to sklstm's layout.

    sktime and aeon store multivariate series collections as "numpy3D" arrays
    of shape ``(n_samples, n_channels, n_timesteps)``; Keras recurrent layers,
    and so sklstm, expect ``(n_samples, n_timesteps, n_channels)``. This
    stateless transformer swaps the last two axes; `inverse_transform` swaps
    them back.

    A 2-D input ``(n_samples, n_timesteps)`` (sktime's univariate "numpy2D")
    becomes ``(n_samples, n_timesteps, 1)``.

    Attributes
    ----------
    n_features_in_ : int
        Number of channels (features per time step) seen in `fit`; `transform`
        then checks it. Fitting is optional.

    See Also
    --------
    StepwiseTransformer : Scale the per-step features of 3-D data.

    Notes
    -----
    Values are copied unchanged, NaN included, and the dtype is kept.

    Examples
    --------
    >>> import numpy as np
    >>> from sklstm import ChannelsFirstTransformer
    >>> X = np.arange(24.0).reshape(2, 3, 4)  # 2 samples, 3 channels, 4 steps
    >>> Xt = ChannelsFirstTransformer().fit_transform(X)
    >>> Xt.shape
    (2, 4, 3)
    >>> Xt[0, 0]  # first step of the first sample: one value per channel
    array([0., 4., 8.])
    >>> ChannelsFirstTransformer().inverse_transform(Xt).shape
    (2, 3, 4)
    """

    _parameter_constraints: dict = {}

    def __init__(self):
        pass

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Record the number of channels of `X`.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_channels, n_timesteps) or \
                (n_samples, n_timesteps)
            Channels-first sequences; 2-D means univariate.

        y : None
            Ignored.

        Returns
        -------
        self : object
            The transformer.
        """
        X = check_array(
            X, dtype="numeric", allow_nd=True, ensure_all_finite=False, estimator=self
        )
        self._check_ndim(X)
        self.n_features_in_ = 1 if X.ndim == 2 else X.shape[1]
        return self

    def _check_ndim(self, X):
        if X.ndim > 3:
            raise ValueError(
                "ChannelsFirstTransformer expects a 3-D array (n_samples, "
                "n_channels, n_timesteps) or a 2-D array of univariate series; "
                f"received shape {X.shape}."
            )

    def _check_channels(self, n_channels):
        if hasattr(self, "n_features_in_") and n_channels != self.n_features_in_:
            raise ValueError(
                f"X has {n_channels} channels, but ChannelsFirstTransformer is "
                f"expecting {self.n_features_in_} channels as input."
            )

    def transform(self, X):
        """Move the channel axis last.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_channels, n_timesteps) or \
                (n_samples, n_timesteps)
            Channels-first sequences.

        Returns
        -------
        X_out : ndarray of shape (n_samples, n_timesteps, n_channels)
            A copy in sklstm's layout.
        """
        X = check_array(
            X, dtype="numeric", allow_nd=True, ensure_all_finite=False, estimator=self
        )
        self._check_ndim(X)
        X = X[:, np.newaxis, :] if X.ndim == 2 else X
        self._check_channels(X.shape[1])
        return np.ascontiguousarray(X.transpose(0, 2, 1))

    def inverse_transform(self, X):
        """Move the channel axis back to the middle.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps, n_channels)
            Sequences in sklstm's layout.

        Returns
        -------
        X_out : ndarray of shape (n_samples, n_channels, n_timesteps)
            A copy in the channels-first layout (3-D, also for one channel).
        """
        X = check_array(
            X, dtype="numeric", allow_nd=True, ensure_all_finite=False, estimator=self
        )
        if X.ndim != 3:
            raise ValueError(
                "ChannelsFirstTransformer.inverse_transform expects a 3-D array "
                f"(n_samples, n_timesteps, n_channels); received shape {X.shape}."
            )
        self._check_channels(X.shape[2])
        return np.ascontiguousarray(X.transpose(0, 2, 1))

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.requires_fit = False
        tags.input_tags.three_d_array = True
        tags.input_tags.allow_nan = True
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        return tags
