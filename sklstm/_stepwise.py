"""StepwiseTransformer: a scikit-learn transformer applied at every time step."""

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
from sklearn.utils._set_output import ADAPTERS_MANAGER, _get_output_config
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import _get_feature_names, check_array, check_is_fitted

# Pickles written before ChannelsFirstTransformer had a module of its own name
# it here.
from ._channels import ChannelsFirstTransformer  # noqa: E402, F401, I001
from ._sequtils import KerasStyleParamsMixin, is_padding
from ._streaming import row_chunks


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


def _step_chunks(estimator, X3):
    """``(start, stop, steps, keep)`` for chunks of sequences of 3-D ``X3``.

    ``steps`` are the chunk's time steps as rows ``(n_steps, n_features)``,
    ``keep`` marks those that are not padding. X3 is read one chunk at a time
    (a strided view of windows or a memory-mapped array is never copied
    whole); a small X3 is one chunk. Raises if every step is padding.
    """
    n_features = X3.shape[2]
    any_real = False
    for start, stop in row_chunks(X3):
        steps = X3[start:stop].reshape(-1, n_features)
        keep = ~is_padding(steps, estimator.mask_value)
        any_real = any_real or keep.any()
        yield start, stop, steps, keep
    if not any_real:
        raise ValueError(
            "Every time step of X is padding (all features equal to "
            f"mask_value={estimator.mask_value!r}); there is nothing to transform."
        )


def _inner_has(method):
    def check(self):
        inner = getattr(self, "transformer_", self.transformer)
        return hasattr(inner, method)

    return check


class StepwiseTransformer(
    MetaEstimatorMixin,
    TransformerMixin,
    KerasStyleParamsMixin,
    BaseEstimator,
    # `transform` wraps its own output (`_wrap_output`): only a 2-D output can
    # become a DataFrame, and its columns are the time steps, whose number may
    # change between fit and transform.
    auto_wrap_output_keys=None,
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

    feature_names_in_ : ndarray of shape (n_timesteps,)
        Names of the columns (time steps) of a 2-D DataFrame `X` seen in
        `fit`. Defined only when `X` is a DataFrame whose column names are all
        strings.

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

    `get_feature_names_out` and ``set_output(transform="pandas")`` work where
    the output is 2-D: univariate sequences and a `transformer` that gives one
    feature per step. The output columns are then the time steps, named like
    the input columns. A 3-D output has no columns to name and cannot be a
    DataFrame: there both raise a ValueError, and so does `transform` when a
    DataFrame is asked for, by `set_output` or by the global
    ``transform_output="pandas"`` of :func:`sklearn.set_config`. Then
    ``set_output(transform="default")`` on this step keeps its array output.

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
        """Call `transformer_.method` on the non-padded steps of X.

        Return the result and the number of dimensions of X (2 or 3).
        """
        X3, ndim = _as_3d(self, X)
        n_samples, n_steps, n_features = X3.shape
        if method == "transform" and n_features != self.n_features_in_:
            raise ValueError(
                f"X has {n_features} features per time step, but "
                f"StepwiseTransformer is expecting {self.n_features_in_} features "
                "per time step as input."
            )
        result = None
        for start, stop, steps, keep in _step_chunks(self, X3):
            if not keep.any():
                continue
            out = self._call_inner(method, steps[keep])
            if result is None:
                dtype = np.result_type(out.dtype, self.mask_value)
                shape = (n_samples, n_steps, out.shape[1])
                result = np.full(shape, self.mask_value, dtype=dtype)
            chunk = result[start:stop].reshape(-1, out.shape[1])
            chunk[keep] = out
        return (result[..., 0] if ndim == 2 and result.shape[2] == 1 else result), ndim

    def _call_inner(self, method, rows):
        """``transformer_.method(rows)`` as a dense 2-D array of as many rows."""
        out = getattr(self.transformer_, method)(rows)
        name = f"{type(self.transformer_).__name__}.{method}"
        if issparse(out):
            raise TypeError(
                f"{name} returned a sparse matrix; StepwiseTransformer needs dense "
                "output (for encoders, set sparse_output=False)."
            )
        out = np.asarray(out)
        if out.ndim != 2 or len(out) != len(rows):
            raise ValueError(
                f"{name} must return one row per input row; returned shape "
                f"{out.shape} for {len(rows)} rows."
            )
        return out

    def _why_3d(self, ndim_in, n_features_out):
        """Why the output is 3-D, or None when it is 2-D."""
        if ndim_in == 3:
            return "its input is 3-D"
        if n_features_out == 1:
            return None
        inner = type(self.transformer_).__name__
        if n_features_out is None:
            return f"{inner} may give several features per time step"
        return f"{inner} gives {n_features_out} features per time step"

    def _not_a_dataframe(self, container, why, source):
        if source == "global":
            asked = f"the global transform_output={container!r} of sklearn.set_config"
            fix = (
                "Call set_output(transform='default') on this StepwiseTransformer: "
                "it keeps the array output and overrides the global setting."
            )
        else:
            asked = f"set_output(transform={container!r})"
            fix = (
                "Keep its output an array with set_output(transform='default'); "
                "in a Pipeline, call set_output on the steps whose output is 2-D "
                "rather than on the whole pipeline."
            )
        return ValueError(
            f"StepwiseTransformer cannot return a {container} DataFrame as "
            f"{asked} asks: its output is 3-D (n_samples, n_timesteps, "
            f"n_features) because {why}, and a DataFrame holds 2-D data only. "
            f"{fix}"
        )

    def _wrap_output(self, result, ndim_in, X):
        """Return `result` in the container that `set_output` or the config asks."""
        container = _get_output_config("transform", self)["dense"]
        if container == "default":
            return result
        if result.ndim == 3:
            explicit = "transform" in getattr(self, "_sklearn_output_config", {})
            why = self._why_3d(ndim_in, result.shape[2])
            source = "local" if explicit else "global"
            raise self._not_a_dataframe(container, why, source)
        n_columns = result.shape[1]
        if (
            getattr(self, "_ndim_in", None) == 2
            and self._n_features_out == 1
            and n_columns == self._n_timesteps_fit
        ):
            columns = self.get_feature_names_out()
        else:  # another number of time steps than in fit
            columns = _get_feature_names(X)
            if columns is None or len(columns) != n_columns:
                columns = np.asarray([f"x{i}" for i in range(n_columns)], object)
        return ADAPTERS_MANAGER.adapters[container].create_container(
            result, X, columns=columns
        )

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
        X3, ndim = _as_3d(self, X)
        names = _get_feature_names(X) if ndim == 2 else None
        self.n_features_in_ = X3.shape[2]
        # the real steps, gathered one chunk of sequences at a time
        chunks = [steps[keep] for _, _, steps, keep in _step_chunks(self, X3)]
        real = chunks[0] if len(chunks) == 1 else np.concatenate(chunks)
        self.transformer_ = clone(self.transformer).fit(real)
        # Whether the output is 2-D, for get_feature_names_out and set_output.
        self._ndim_in = ndim
        self._n_timesteps_fit = X3.shape[1]
        self._n_features_out = self._count_features_out(real[:1])
        if names is not None:
            self.feature_names_in_ = names
        elif hasattr(self, "feature_names_in_"):
            del self.feature_names_in_
        return self

    def _count_features_out(self, row):
        """Features per step that `transformer_` gives, or None if unknown."""
        try:
            shape = np.shape(self.transformer_.transform(row))
        except Exception:  # only a probe: transform reports the error itself
            return None
        return shape[1] if len(shape) == 2 else None

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
        result, ndim_in = self._apply("transform", X)
        return self._wrap_output(result, ndim_in, X)

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
        return self._apply("inverse_transform", X)[0]

    def get_feature_names_out(self, input_features=None):
        """Names of the output columns, where the output is 2-D.

        For univariate sequences ``(n_samples, n_timesteps)`` and a
        `transformer` that gives one feature per step, the output columns are
        the time steps, one-to-one with the input columns, and keep their
        names. A 3-D output has no columns to name: then this raises a
        ValueError.

        Parameters
        ----------
        input_features : array-like of str or None, default=None
            Names of the input columns (time steps). If None, they are
            `feature_names_in_`, or ``x0``, ..., ``x{n_timesteps - 1}`` when
            `fit` received no column names. If given, they must match
            `feature_names_in_` when that is defined.

        Returns
        -------
        feature_names_out : ndarray of str objects
            One name per output column (time step).
        """
        check_is_fitted(self)
        if not hasattr(self, "_ndim_in"):
            raise ValueError(
                "This StepwiseTransformer was fitted by an earlier version of "
                "sklstm, which did not record the shape of its output; fit it "
                "again to use get_feature_names_out."
            )
        why = self._why_3d(self._ndim_in, self._n_features_out)
        if why is not None:
            raise ValueError(
                "StepwiseTransformer has no output feature names: its output is "
                f"3-D (n_samples, n_timesteps, n_features) because {why}, and a "
                "3-D array has no columns to name and cannot be a DataFrame. "
                "get_feature_names_out applies to 2-D univariate sequences "
                "(n_samples, n_timesteps) transformed to one feature per step; "
                "keep 3-D sequences as arrays (in a Pipeline, ask the steps "
                "before this one for their feature names)."
            )
        names_in = getattr(self, "feature_names_in_", None)
        if input_features is None:
            if names_in is not None:
                return names_in
            return np.asarray(
                [f"x{i}" for i in range(self._n_timesteps_fit)], dtype=object
            )
        input_features = np.asarray(input_features, dtype=object)
        if names_in is not None and not np.array_equal(names_in, input_features):
            raise ValueError("input_features is not equal to feature_names_in_")
        if len(input_features) != self._n_timesteps_fit:
            raise ValueError(
                "input_features should have length equal to the number of time "
                f"steps (columns) seen in fit ({self._n_timesteps_fit}), got "
                f"{len(input_features)}"
            )
        return input_features

    def set_output(self, *, transform=None):
        """Set the output container of `transform` and `fit_transform`.

        Parameters
        ----------
        transform : {"default", "pandas", "polars"}, default=None
            ``"default"`` returns arrays; ``"pandas"`` and ``"polars"`` return
            a DataFrame, where the output is 2-D. ``None`` leaves the setting
            unchanged.

        Returns
        -------
        self : StepwiseTransformer
            The transformer.

        Raises
        ------
        ValueError
            If the transformer is fitted, its output is 3-D and `transform`
            asks for a DataFrame. When it is not fitted yet, `transform` raises
            that error instead.
        """
        if transform is None:
            return self
        if transform in ADAPTERS_MANAGER.adapters and hasattr(self, "_ndim_in"):
            why = self._why_3d(self._ndim_in, self._n_features_out)
            if why is not None:
                raise self._not_a_dataframe(transform, why, "local")
        if not hasattr(self, "_sklearn_output_config"):
            self._sklearn_output_config = {}
        self._sklearn_output_config["transform"] = transform
        return self

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
