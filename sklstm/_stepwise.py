"""Per-time-step transformers for 3-D sequence data, and a layout converter."""

from numbers import Real

import numpy as np
from scipy.sparse import issparse
from sklearn.base import (
    BaseEstimator,
    MetaEstimatorMixin,
    TransformerMixin,
    _fit_context,
    clone,
)
from sklearn.utils import get_tags
from sklearn.utils._param_validation import HasMethods
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import check_array, check_is_fitted

from ._sequtils import KerasStyleParamsMixin, is_padding


def _as_3d(estimator, X):
    """Validate X, 2-D (univariate sequences) or 3-D; return it 3-D and its ndim."""
    container = isinstance(X, list | tuple)
    if container or (isinstance(X, np.ndarray) and X.dtype.kind == "O"):
        lengths = {len(seq) if hasattr(seq, "__len__") else None for seq in X}
        if len(lengths) > 1:
            raise ValueError(
                f"{type(estimator).__name__} expects sequences of equal length, as "
                "a 3-D array (n_samples, n_timesteps, n_features); received "
                "sequences of different lengths. Pad them first, for example "
                "with SequencePadder."
            )
    X = check_array(
        X, dtype="numeric", allow_nd=True, ensure_all_finite=False, estimator=estimator
    )
    if X.ndim > 3:
        raise ValueError(
            f"{type(estimator).__name__} expects a 3-D array (n_samples, "
            "n_timesteps, n_features) or a 2-D array of univariate sequences; "
            f"received shape {X.shape}."
        )
    return (X[..., np.newaxis] if X.ndim == 2 else X), X.ndim


def _real_steps(estimator, rows):
    """Mask of the rows (time steps) that are not padding; raise if none is."""
    keep = ~is_padding(rows, estimator.mask_value)
    if not keep.any():
        raise ValueError(
            "Every time step of X is padding (all features equal to "
            f"mask_value={estimator.mask_value!r}); there is nothing to transform."
        )
    return keep


def _inner_has(method):
    def check(self):
        inner = getattr(self, "transformer_", self.transformer)
        return hasattr(inner, method)

    return check


class StepwiseTransformer(
    MetaEstimatorMixin, TransformerMixin, KerasStyleParamsMixin, BaseEstimator
):
    """Apply a 2-D transformer to the features of every time step.

    Scalers and other scikit-learn transformers work on 2-D ``(n_samples,
    n_features)`` data. For sequences ``(n_samples, n_timesteps, n_features)``
    this meta-transformer stacks the time steps into ``(n_samples *
    n_timesteps, n_features)``, fits a clone of `transformer` on the steps of
    the training sequences and transforms every step the same way, so that a
    feature is scaled with one set of statistics at every step.

    Padded steps (all features equal to `mask_value`, NaN by default) are left
    out of the fit and stay padding in the output.

    Parameters
    ----------
    transformer : transformer object
        A scikit-learn transformer for 2-D data, for example
        :class:`~sklearn.preprocessing.StandardScaler` or
        :class:`~sklearn.preprocessing.MinMaxScaler`. It is cloned.

    mask_value : float, default=np.nan
        Marks padded steps: a step whose features all equal `mask_value` is
        padding. Keep the default with the NaN padding of
        :class:`SequencePadder` and :class:`SlidingWindowTransformer`; set it
        to ``0.0`` when the sequences were padded with ``value=0.0``.

    Attributes
    ----------
    transformer_ : transformer object
        The clone of `transformer` fitted on the non-padded steps.

    n_features_in_ : int
        Number of features per time step (not the number of time steps).

    See Also
    --------
    SequencePadder : Pad variable-length sequences with NaN.
    ChannelsFirstTransformer : Convert sktime/aeon layout to sklstm's.

    Notes
    -----
    A 2-D input ``(n_samples, n_timesteps)`` holds univariate sequences: it is
    transformed as ``(n_samples, n_timesteps, 1)`` and returned 2-D again when
    `transformer` gives one feature per step; otherwise the output is 3-D
    ``(n_samples, n_timesteps, n_features_out)``. The time steps may differ
    between `fit` and `transform`; the features per step may not.

    Steps with only some features missing are not padding: they go to
    `transformer`, which may accept NaN (the scalers do) or raise.

    There is no ``get_feature_names_out``: the output is a sequence array, not
    a table.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.preprocessing import MinMaxScaler
    >>> from sklstm import StepwiseTransformer
    >>> X = np.array([[[0.0], [5.0], [10.0]],
    ...               [[np.nan], [2.0], [4.0]]])
    >>> scaler = StepwiseTransformer(MinMaxScaler()).fit(X)
    >>> scaler.transform(X)[..., 0]
    array([[0. , 0.5, 1. ],
           [nan, 0.2, 0.4]])
    >>> scaler.inverse_transform(scaler.transform(X))[..., 0]
    array([[ 0.,  5., 10.],
           [nan,  2.,  4.]])
    """

    _parameter_constraints: dict = {
        "transformer": [HasMethods(["fit", "transform"])],
        "mask_value": [Real],
    }

    def __init__(self, transformer, *, mask_value: float = np.nan):
        self.transformer = transformer
        self.mask_value = mask_value

    def _apply(self, method, X):
        """Call `transformer_.method` on the non-padded steps of X."""
        X3, ndim = _as_3d(self, X)
        n_samples, n_steps, n_features = X3.shape
        if method == "transform" and n_features != self.n_features_in_:
            raise ValueError(
                f"X has {n_features} features per time step, but "
                f"StepwiseTransformer is expecting {self.n_features_in_} features "
                "per time step as input."
            )
        rows = X3.reshape(-1, n_features)
        keep = _real_steps(self, rows)
        out = getattr(self.transformer_, method)(rows[keep])
        name = f"{type(self.transformer_).__name__}.{method}"
        if issparse(out):
            raise TypeError(
                f"{name} returned a sparse matrix; StepwiseTransformer needs dense "
                "output (for encoders, set sparse_output=False)."
            )
        out = np.asarray(out)
        if out.ndim != 2 or len(out) != keep.sum():
            raise ValueError(
                f"{name} must return one row per input row; returned shape "
                f"{out.shape} for {keep.sum()} rows."
            )
        dtype = np.result_type(out.dtype, self.mask_value)
        result = np.full((len(rows), out.shape[1]), self.mask_value, dtype=dtype)
        result[keep] = out
        result = result.reshape(n_samples, n_steps, out.shape[1])
        return result[..., 0] if ndim == 2 and out.shape[1] == 1 else result

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y=None):
        """Fit a clone of `transformer` on the non-padded steps of `X`.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps, n_features) or \
                (n_samples, n_timesteps)
            Sequences; 2-D means univariate.

        y : None
            Ignored: targets belong to sequences, not to time steps.

        Returns
        -------
        self : object
            Fitted transformer.
        """
        X3, _ = _as_3d(self, X)
        self.n_features_in_ = X3.shape[2]
        rows = X3.reshape(-1, X3.shape[2])
        keep = _real_steps(self, rows)
        self.transformer_ = clone(self.transformer).fit(rows[keep])
        return self

    def transform(self, X):
        """Transform the features of every non-padded step.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps, n_features) or \
                (n_samples, n_timesteps)
            Sequences with the features per step seen in `fit`.

        Returns
        -------
        X_out : ndarray of shape (n_samples, n_timesteps, n_features_out) or \
                (n_samples, n_timesteps)
            The transformed sequences; padded steps are `mask_value`.
        """
        check_is_fitted(self)
        return self._apply("transform", X)

    @available_if(_inner_has("inverse_transform"))
    def inverse_transform(self, X):
        """Undo `transform` step by step, when `transformer` can.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps, n_features_out) or \
                (n_samples, n_timesteps)
            Transformed sequences.

        Returns
        -------
        X_original : ndarray
            Sequences in the original feature space; padded steps stay padding.
        """
        check_is_fitted(self)
        return self._apply("inverse_transform", X)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        inner = get_tags(self.transformer)
        tags.input_tags.three_d_array = True
        tags.input_tags.allow_nan = True
        tags.input_tags.sparse = False
        if inner.transformer_tags is not None:
            tags.transformer_tags.preserves_dtype = list(
                inner.transformer_tags.preserves_dtype
            )
        return tags


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
