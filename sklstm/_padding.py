"""Pad variable-length sequences to one length, as Keras' ``pad_sequences``."""

from collections.abc import Hashable
from numbers import Integral, Real

import numpy as np
import pandas as pd
from scipy.sparse import issparse
from sklearn.base import BaseEstimator, TransformerMixin, _fit_context
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_array, check_is_fitted

from ._sequtils import (
    KerasStyleParamsMixin,
    check_finite_steps,
    is_padding,
    pad_sequences,
)

_FLOATS = (np.float64, np.float32)


def _as_steps(seq, label):
    """Return one sequence as a 2-D float array of shape (n_steps, n_features)."""
    try:
        steps = np.asarray(seq)
    except ValueError as exc:  # ragged nested lists
        raise ValueError(f"{label} is not a regular array: {exc}") from exc
    if steps.dtype.kind not in "biuf":
        try:
            steps = steps.astype(np.float64)
        except (TypeError, ValueError) as exc:
            raise TypeError(
                f"{label} must hold numbers; received dtype {steps.dtype}"
            ) from exc
    if steps.dtype != np.float32:
        steps = steps.astype(np.float64)
    if steps.ndim == 0:
        raise ValueError(
            f"X must be a list of sequences, but {label} is a number "
            f"({seq!r}). Reshape your data: wrap a single sequence in a list, "
            "[sequence]."
        )
    if steps.ndim == 1:
        steps = steps[:, np.newaxis]
    elif steps.ndim > 2:
        raise ValueError(
            f"{label} must be 1-D (n_steps,) or 2-D (n_steps, n_features); "
            f"received shape {steps.shape}"
        )
    if len(steps) == 0:
        raise ValueError(f"{label} is empty; each sequence needs at least one step")
    return steps


class SequencePadder(TransformerMixin, KerasStyleParamsMixin, BaseEstimator):
    """Pad (and truncate) variable-length sequences into one 3-D array.

    The scikit-learn counterpart of Keras' ``pad_sequences``: each sequence
    becomes ``maxlen`` time steps, padded with `value` or truncated on the side
    that `padding` or `truncating` names. Unlike ``pad_sequences``, the
    length is learned in `fit` (the longest training sequence) when `maxlen`
    is not given, so test sequences are padded to the length seen in training.

    Parameters
    ----------
    maxlen : int or None, default=None
        Number of time steps of the output. ``None`` uses the longest sequence
        seen in `fit`.

    padding : {"pre", "post"}, default="pre"
        Pad before ("pre") or after ("post") each sequence.

    truncating : {"pre", "post"}, default="pre"
        Drop steps from the start ("pre") or the end ("post") of sequences
        longer than the fitted length.

    value : float, default=np.nan
        The padding value. NaN rather than Keras' ``0.0`` because ``0.0`` is a
        real value after scaling (for example the minimum of a
        :class:`~sklearn.preprocessing.MinMaxScaler`-scaled feature) and would
        be masked by mistake. The sklstm estimators treat a time step whose
        features are all NaN as padding and mask it. For Keras' convention pass
        ``value=0.0`` and set the estimator's ``mask_value=0.0``.

    id_column : str or None, default=None
        For a long-format DataFrame (one row per time step): the column that
        identifies the sequence each row belongs to. Required when `X` is a
        DataFrame.

    time_column : str or None, default=None
        For a long-format DataFrame: the column that orders the rows within a
        sequence. ``None`` keeps the row order of `X`.

    Attributes
    ----------
    maxlen_ : int
        Number of time steps of the output: `maxlen`, or the length of the
        longest sequence seen in `fit`.

    n_features_in_ : int
        Number of features per time step (not the number of time steps).

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        The feature columns of a long-format DataFrame (every column but
        `id_column` and `time_column`), when their names are all strings.

    See Also
    --------
    TextSequencer : Texts to padded integer id sequences.
    SlidingWindowTransformer : Windows over one long series.
    StepwiseTransformer : Scale the per-step features of padded sequences.

    Notes
    -----
    **Accepted input.** `X` may be

    - a list (or 1-D object array, or Series) of sequences, each 1-D
      ``(n_steps,)`` for one feature or 2-D ``(n_steps, n_features)``;
    - a regular 2-D array ``(n_sequences, n_steps)`` (univariate sequences of
      equal length) or 3-D array ``(n_sequences, n_steps, n_features)``;
    - a long-format DataFrame with `id_column` (and optionally `time_column`):
      the remaining columns are the features. The output rows follow the order
      in which the ids first appear, ``X[id_column].unique()``.

    Every sequence needs at least one step and the same number of features.
    NaN or infinite values inside a sequence are refused: the network could not
    tell missing data from padding, so fill or drop them first.

    **Output.** A 3-D float array ``(n_sequences, maxlen_, n_features)``, also
    for univariate sequences (``n_features=1``). float32 input stays float32;
    anything else becomes float64. There is no ``get_feature_names_out``: a 3-D
    array has no columns to name.

    Examples
    --------
    >>> from sklstm import SequencePadder
    >>> sequences = [[1.0, 2.0, 3.0], [4.0]]
    >>> padder = SequencePadder().fit(sequences)
    >>> padder.maxlen_
    3
    >>> padder.transform(sequences)[..., 0]
    array([[ 1.,  2.,  3.],
           [nan, nan,  4.]])
    >>> padder.transform([[5.0, 6.0, 7.0, 8.0]])[..., 0]
    array([[6., 7., 8.]])
    >>> [seq.ravel() for seq in padder.inverse_transform(padder.transform(sequences))]
    [array([1., 2., 3.]), array([4.])]

    A long-format DataFrame:

    >>> import pandas as pd
    >>> frame = pd.DataFrame({"id": ["a", "a", "b"], "t": [2, 1, 1],
    ...                       "x": [20.0, 10.0, 30.0]})
    >>> SequencePadder(id_column="id", time_column="t").fit_transform(frame)[..., 0]
    array([[10., 20.],
           [nan, 30.]])
    """

    _parameter_constraints: dict = {
        "maxlen": [Interval(Integral, 1, None, closed="left"), None],
        "padding": [StrOptions({"pre", "post"})],
        "truncating": [StrOptions({"pre", "post"})],
        "value": [Real],
        "id_column": [Hashable, None],
        "time_column": [Hashable, None],
    }

    def __init__(
        self,
        maxlen: int | None = None,
        padding: str = "pre",
        truncating: str = "pre",
        value: float = np.nan,
        *,
        id_column: Hashable | None = None,
        time_column: Hashable | None = None,
    ):
        self.maxlen = maxlen
        self.padding = padding
        self.truncating = truncating
        self.value = value
        self.id_column = id_column
        self.time_column = time_column

    def _from_long_frame(self, X):
        """Split a long-format DataFrame into sequences."""
        if self.id_column is None:
            raise ValueError(
                "SequencePadder received a DataFrame but `id_column` is None. "
                "Name the column that identifies each sequence (long format: one "
                "row per time step), or pass `X.to_numpy()` for a table with one "
                "row per sequence and one column per time step."
            )
        for param in ("id_column", "time_column"):
            column = getattr(self, param)
            if column is not None and column not in X.columns:
                raise ValueError(
                    f"`{param}` must name a column of X. Received: {param}="
                    f"{column!r}; columns: {list(X.columns)}"
                )
        keys = {self.id_column, self.time_column}
        features = [c for c in X.columns if c not in keys]
        if not features:
            raise ValueError(
                "X has no feature column besides `id_column` and `time_column`."
            )
        values = check_array(
            X[features], dtype=_FLOATS, ensure_all_finite=False, estimator=self
        )
        codes, ids = pd.factorize(X[self.id_column], use_na_sentinel=True)
        if (codes < 0).any():
            raise ValueError(
                f"`id_column` {self.id_column!r} contains missing values at row "
                f"{int(np.argmax(codes < 0))}; every row needs a sequence id."
            )
        if self.time_column is None:
            order = np.argsort(codes, kind="stable")
        else:
            order = np.lexsort((X[self.time_column].to_numpy(), codes))
        bounds = np.cumsum(np.bincount(codes))[:-1]
        sequences = np.split(values[order], bounds)
        labels = [f"sequence {i} (id {key!r})" for i, key in enumerate(ids)]
        return sequences, labels, features

    def _sequences(self, X):
        """Return X as a list of 2-D float arrays, their labels and column names."""
        if isinstance(X, pd.DataFrame):
            return self._from_long_frame(X)
        if self.id_column is not None or self.time_column is not None:
            raise ValueError(
                "`id_column` and `time_column` apply to a long-format DataFrame, "
                f"but X is a {type(X).__name__}."
            )
        if issparse(X):
            raise TypeError(
                "SequencePadder does not accept sparse input; pass a list of "
                "dense sequences or a dense array."
            )
        if isinstance(X, pd.Series):
            X = list(X)
        if isinstance(X, list | tuple) or (
            isinstance(X, np.ndarray) and X.dtype == object and X.ndim == 1
        ):
            if len(X) == 0:
                raise ValueError("X contains no sequences.")
            sequences = [_as_steps(seq, f"sequence {i}") for i, seq in enumerate(X)]
        else:
            array = check_array(
                X,
                dtype=_FLOATS,
                ensure_2d=False,
                allow_nd=True,
                ensure_all_finite=False,
                estimator=self,
            )
            if array.ndim == 1:
                raise ValueError(
                    "X must be a list of sequences, a 2-D array (n_sequences, "
                    "n_steps) or a 3-D array (n_sequences, n_steps, n_features); "
                    f"received a 1-D array of shape {array.shape}. Reshape your "
                    "data: a single sequence is `X.reshape(1, -1)`."
                )
            if array.ndim > 3:
                raise ValueError(
                    "X must have at most 3 dimensions (n_sequences, n_steps, "
                    f"n_features); received shape {array.shape}."
                )
            sequences = list(array.reshape(*array.shape[:2], -1))
        labels = [f"sequence {i}" for i in range(len(sequences))]
        return sequences, labels, None

    def _validate(self, X, reset):
        sequences, labels, columns = self._sequences(X)
        n_features = sequences[0].shape[1]
        for seq, label in zip(sequences, labels, strict=True):
            if seq.shape[1] != n_features:
                raise ValueError(
                    f"{label} has {seq.shape[1]} features per time step, but "
                    f"{labels[0]} has {n_features}; all sequences need the same "
                    "features."
                )
            check_finite_steps(seq, label, "fill or drop missing values before padding")
        if reset:
            self.n_features_in_ = n_features
            if columns is not None and all(isinstance(c, str) for c in columns):
                self.feature_names_in_ = np.asarray(columns, dtype=object)
            elif hasattr(self, "feature_names_in_"):
                del self.feature_names_in_
        else:
            if n_features != self.n_features_in_:
                raise ValueError(
                    f"X has {n_features} features per time step, but "
                    f"SequencePadder is expecting {self.n_features_in_} features "
                    "per time step as input."
                )
            fitted_names = getattr(self, "feature_names_in_", None)
            if columns is not None and fitted_names is not None:
                if list(columns) != list(fitted_names):
                    raise ValueError(
                        "The feature columns of X must be those seen in fit, in "
                        f"the same order: {list(fitted_names)}; received "
                        f"{list(columns)}."
                    )
        return sequences

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Learn the output length and the number of features per step.

        Parameters
        ----------
        X : list of array-like, ndarray or DataFrame
            The sequences; see the Notes of the class for the accepted forms.

        y : None
            Ignored.

        Returns
        -------
        self : object
            Fitted transformer.
        """
        sequences = self._validate(X, reset=True)
        self.maxlen_ = (
            max(len(seq) for seq in sequences) if self.maxlen is None else self.maxlen
        )
        return self

    def transform(self, X):
        """Pad or truncate each sequence to `maxlen_` time steps.

        Parameters
        ----------
        X : list of array-like, ndarray or DataFrame
            The sequences, with the number of features per step seen in `fit`.

        Returns
        -------
        X_padded : ndarray of shape (n_sequences, `maxlen_`, `n_features_in_`)
            The padded sequences.
        """
        check_is_fitted(self)
        sequences = self._validate(X, reset=False)
        dtype = np.result_type(*(seq.dtype for seq in sequences))
        return pad_sequences(
            sequences, self.maxlen_, self.padding, self.truncating, self.value, dtype
        )

    def inverse_transform(self, X):
        """Remove the padding: return each sequence with its own length.

        A step is padding when all its features equal `value` (NaN included)
        and it lies on the `padding` side. Steps dropped by truncation are not
        restored. With a non-NaN `value`, real steps equal to `value` at the
        padded end are removed as well.

        Parameters
        ----------
        X : array-like of shape (n_sequences, n_steps, `n_features_in_`)
            Padded sequences, as returned by `transform`.

        Returns
        -------
        sequences : list of ndarray of shape (n_steps_i, `n_features_in_`)
            The sequences without padding, as 2-D arrays (also univariate ones).
        """
        check_is_fitted(self)
        X = check_array(
            X, dtype=_FLOATS, allow_nd=True, ensure_all_finite=False, estimator=self
        )
        if X.ndim != 3 or X.shape[2] != self.n_features_in_:
            raise ValueError(
                "inverse_transform expects padded sequences of shape (n_sequences, "
                f"n_steps, {self.n_features_in_}); received shape {X.shape}."
            )
        padded = is_padding(X, self.value)
        sequences = []
        for steps, mask in zip(X, padded, strict=True):
            if self.padding == "pre":
                steps = steps[int(np.cumprod(mask).sum()) :]
            else:
                steps = steps[: len(steps) - int(np.cumprod(mask[::-1]).sum())]
            sequences.append(steps.copy())
        return sequences

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.three_d_array = True
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        return tags
