"""The statistics that the networks' normalisation layers are built with.

Learned from the training data at fit, then held by the network itself
(``sklstm._layers.Standardization`` and ``sklstm._layers.WindowLevel``), so
that pickles, ``.keras`` archives and every predict path keep them. The NumPy
functions here compute in fit exactly what those layers compute in the network.
"""

import numpy as np

from ._streaming import row_chunks

__all__ = [
    "WINDOW_MODES",
    "check_window",
    "continues_feature",
    "feature_statistics",
    "level_statistics",
    "only_its_level",
    "padded_steps",
    "real_steps_positive",
    "remove_window_level",
    "target_relative_to_level",
    "target_statistics",
    "uses_normalization",
]

WINDOW_MODES = ("subtract", "log")


def uses_normalization(estimator):
    """Whether the estimator's network standardises its inputs (and targets)."""
    if estimator.normalize == "auto":
        return estimator.model is None
    if estimator.normalize and estimator.model is not None:
        raise ValueError(
            "normalize=True standardises inside sklstm's own network, and "
            "`model` replaces it. Leave normalize='auto' and scale in your "
            "model, or before it (StandardScaler, TransformedTargetRegressor)."
        )
    return bool(estimator.normalize)


def padded_steps(X, mask_value):
    """Boolean ``(n_samples, n_timesteps)``: the steps that are padding.

    Computed in chunks of rows of ``X``, which is never copied whole.
    """
    if mask_value is None:
        return np.zeros(X.shape[:2], dtype=bool)
    padded = np.empty(X.shape[:-1], dtype=bool)
    nan = isinstance(mask_value, str) or np.isnan(mask_value)
    for start, stop in row_chunks(X):
        chunk = X[start:stop]
        equal = np.isnan(chunk) if nan else chunk == mask_value
        padded[start:stop] = equal.all(axis=-1)
    return padded


def feature_statistics(X, padded, window=None):
    """Mean and variance of each feature of 3-D ``X`` over its real steps.

    A feature without spread gets a variance of 1, as ``StandardScaler``
    gives it a scale of 1: it is centred, not blown up. ``window``, a
    ``(feature, mode)`` pair, takes the statistics of ``X`` relative to each
    window's level (:func:`remove_window_level`). ``X`` is read in chunks of
    rows whose means and variances are combined by Chan, Golub and LeVeque's
    pairwise update, so that it is never copied whole; an ``X`` of one chunk
    gives NumPy's own mean and variance, bit for bit.
    """
    n_features = X.shape[-1]
    count, mean, variance = 0, np.zeros(n_features), np.ones(n_features)
    for start, stop in row_chunks(X):
        chunk = X[start:stop]
        if window is not None:
            chunk = _relative_to_level(chunk, *window)
        steps = chunk[~padded[start:stop]].astype(np.float64, copy=False)
        n = len(steps)
        if n == 0:
            continue
        if count == 0:
            count, mean, variance = n, steps.mean(axis=0), steps.var(axis=0)
            continue
        delta = steps.mean(axis=0) - mean
        total = count + n
        mean = mean + delta * (n / total)
        variance = (
            variance * count + steps.var(axis=0) * n + delta**2 * (count * n / total)
        ) / total
        count = total
    if count == 0:
        return np.zeros(n_features), np.ones(n_features)
    return mean, _spread(variance, mean, "X")


def level_statistics(X, feature, mode):
    """Mean and variance of each window's level (its last value of
    ``feature``; its log for ``mode="log"``), as ``Level`` gives it."""
    level = np.concatenate(
        [_level(X[start:stop], feature, mode) for start, stop in row_chunks(X)]
    )
    return level.mean(keepdims=True), _variance(level[:, None], "X")


def real_steps_positive(X, padded, feature):
    """Whether ``feature`` of ``X`` is positive at every real step, chunk-wise."""
    for start, stop in row_chunks(X):
        column = X[start:stop, :, feature][~padded[start:stop]]
        if (column <= 0).any():
            return False
    return True


def target_statistics(y):
    """Mean and variance of each output of ``y`` over samples (and steps)."""
    flat = y.reshape(-1, y.shape[-1]).astype(np.float64)
    return flat.mean(axis=0), _variance(flat, "y")


def _variance(values, name):
    return _spread(values.var(axis=0), values.mean(axis=0), name)


def _spread(variance, mean, name):
    if not np.all(np.isfinite(variance.astype(np.float32))):
        raise ValueError(
            f"{name} varies too much for the network, which computes in float32: "
            f"its variance reaches {variance.max():.3g}, beyond float32's largest "
            f"value ({np.finfo(np.float32).max:.3g}). Rescale {name}."
        )
    return np.where(variance > 1e-12 * np.maximum(mean**2, 1), variance, 1.0)


def _level(X, feature, mode):
    level = X[:, -1, feature].astype(np.float64)
    return np.log(level) if mode == "log" else level


def _relative_to_level(X, feature, mode):
    level = _level(X, feature, mode)
    Xw = X.astype(np.float64)
    column = Xw[:, :, feature]
    Xw[:, :, feature] = (np.log(column) if mode == "log" else column) - level[:, None]
    return Xw


def remove_window_level(X, y, feature, mode):
    """X and y relative to each window's level, as ``WindowLevel`` makes them.

    ``X`` is ``(n_samples, n_timesteps, n_features)``; ``y`` the targets in
    the network's layout, ``(n_samples, ...)``. ``X`` is copied whole: for
    the statistics of a big ``X`` pass ``window`` to
    :func:`feature_statistics` instead.
    """
    Xw = _relative_to_level(X, feature, mode)
    yw = target_relative_to_level(X, y, feature, mode)
    return Xw, yw


def target_relative_to_level(X, y, feature, mode):
    """``y`` relative to the level of each window of ``X``."""
    level = _level(X, feature, mode)
    yw = y.astype(np.float64)
    yw = np.log(yw) if mode == "log" else yw
    return yw - level.reshape((-1,) + (1,) * (y.ndim - 1))


def continues_feature(X, y, feature, padded):
    """Whether ``y`` continues ``feature`` of the windows ``X``: some step of
    the windows predicts ``y`` better than ``y``'s mean does.

    The last step does so for a series that persists; a seasonal series
    whose months swing more than its level moves (wine sales) is predicted
    better by the value a season earlier. The steps are tried from the last;
    a step counts where at least half of the rows hold a value there (the
    first windows of a series are padded).
    """
    target = y.astype(np.float64).reshape(len(y), -1)
    variance = np.var(target)
    for step in range(X.shape[1] - 1, -1, -1):
        real = ~padded[:, step]
        if 2 * real.sum() < len(real):
            continue
        values = X[real, step, feature].astype(np.float64)[:, None]
        if np.mean((target[real] - values) ** 2) < variance:
            return True
    return False


def only_its_level(X):
    """Whether windows ``X`` are one step of one feature: nothing but the level
    that window normalisation removes (a tutorial's ``look_back=1``)."""
    return X.shape[1] == 1 and X.shape[-1] == 1


def check_window(estimator, X, y, padded, mode):
    """The feature whose level the windows lose; errors name what is wrong."""
    name = type(estimator).__name__
    n_features = X.shape[-1]
    feature = estimator.target_feature
    if feature is None:
        if n_features != 1:
            raise ValueError(
                f"window_normalization={mode!r} needs to know which input feature "
                f"the target continues, and X has {n_features} features per time "
                "step: set target_feature to its index."
            )
        feature = 0
    elif feature >= n_features:
        raise ValueError(
            f"target_feature={feature} is not a feature of X, which has "
            f"{n_features} per time step (indices 0 to {n_features - 1})."
        )
    if only_its_level(X):
        raise ValueError(
            f"window_normalization={mode!r} removes each window's last value from "
            "it, and X's windows are one step of one feature: the network would "
            "see only zeros. Use windows of several steps "
            "(SlidingWindowTransformer(sequence_length=...)) or "
            "window_normalization=None."
        )
    if isinstance(estimator.mask_value, (int, float)) and not np.isnan(
        estimator.mask_value
    ):
        raise ValueError(
            "window_normalization needs NaN padding (mask_value=np.nan) or none "
            f"(mask_value=None); received mask_value={estimator.mask_value}."
        )
    if padded[:, -1].any():
        raise ValueError(
            f"window_normalization={mode!r} takes each window's level from its last "
            "time step, and some windows end with padding. Pad at the start "
            "(SequencePadder(padding='pre'), as SlidingWindowTransformer does)."
        )
    if mode == "log":
        if not real_steps_positive(X, padded, feature) or (y <= 0).any():
            raise ValueError(
                "window_normalization='log' works on logarithms and needs a positive "
                f"series: feature {feature} of X and y must be > 0. Use "
                f"window_normalization='subtract' for {name} on series that reach 0 "
                "or below."
            )
    return feature
