"""The starting weights of the autoregressive term: a ridge regression.

The autoregressive term of sklstm's regressor is a linear map of the whole
normalised window added to the recurrent stack's output. Rather than from
zero, it starts from the ridge regression of the network's (normalised)
target on the window, fitted in NumPy on the training rows before Keras
trains anything, with its penalty chosen by generalised cross-validation
(Golub, Heath and Wahba, 1979). The recurrent stack then learns what that
linear autoregression misses. Cross-validating an autoregression on windows
of one series is sound (Bergmeir, Hyndman and Koo, 2018). The regression is
fitted on the complete windows (:func:`regression_rows`), each input column
standardised, as a ridge regression after ``StandardScaler`` would be, and
its coefficients mapped back to the network's inputs.

Everything is computed from sums over chunks of rows, so ``X`` is never
copied whole; the features are the window values as the network's
``autoregressive`` layer receives them, then the window's level as its
``level_term`` layer does (with window normalisation), whose weight is the
last row of the kernel.
"""

import numpy as np

from ._normalization import _level, _relative_to_level
from ._streaming import row_chunks

__all__ = ["MAX_LINEAR_INPUTS", "gcv_ridge", "linear_start", "regression_rows"]

# Windows of more values (time steps x features) than this start the
# autoregressive term at zero: its Gram matrix would cost more than the fit.
MAX_LINEAR_INPUTS = 2048

# Penalties tried, as multiples of the mean eigenvalue of the Gram matrix of
# the standardised window values (about the number of rows).
PENALTY_GRID = np.logspace(-5, 1, 25)


def _network_inputs(chunk, padded, plan, nan_padding):
    """Window values as the ``autoregressive`` layer sees them, flattened,
    followed by the window's level when the plan removes it.

    NaN padding reaches the layer as zeros; Keras' ``Masking`` zeros numeric
    padding before the normalisation layers.
    """
    window = plan.get("window")
    values = chunk.astype(np.float64)
    if not nan_padding:
        values[padded] = 0.0
    if window is not None:
        values = _relative_to_level(chunk, window["feature"], window["mode"])
    values = _standardized(values, plan.get("input_normalization"))
    if nan_padding:
        values[padded] = 0.0
    values = values.reshape(len(values), -1)
    if window is None:
        return values
    level = _level(chunk, window["feature"], window["mode"])
    level = _standardized(level, plan.get("level_normalization"))
    return np.column_stack([values, level])


def _network_target(y, plan):
    target = y.reshape(len(y), -1).astype(np.float64)
    return _standardized(target, plan.get("output_normalization"))


def _standardized(values, statistics):
    """``values`` as a ``Standardization`` layer holding ``statistics`` (a
    ``(mean, variance)`` pair, or None: unchanged) gives them."""
    if statistics is None:
        return values
    mean, variance = statistics
    return (values - mean) / np.maximum(np.sqrt(variance), 1e-7)


def linear_start(X, y, padded, plan, n_rows, *, nan_padding=True):
    """Kernel and intercept of the ridge regression of ``y`` on the windows.

    ``X`` holds the windows (3-D), ``y`` the targets relative to each window's
    level (as the plan's ``window`` makes them), ``padded`` the padded steps
    (``nan_padding``: padded with NaN rather than a number) and ``plan`` the
    network's normalisation statistics; the first ``n_rows`` rows are the
    training rows. Returns ``None`` when there are more window
    values than :data:`MAX_LINEAR_INPUTS` or fewer than two rows to fit.
    """
    n_inputs = int(np.prod(X.shape[1:])) + ("window" in plan)
    if n_inputs > MAX_LINEAR_INPUTS:
        return None
    rows = regression_rows(padded[:n_rows])
    target = _network_target(y[:n_rows], plan)
    sum_x = np.zeros(n_inputs)
    gram = np.zeros((n_inputs, n_inputs))
    cross = np.zeros((n_inputs, target.shape[1]))
    for start, stop in row_chunks(X[:n_rows]):
        keep = rows[start:stop]
        values = _network_inputs(X[start:stop], padded[start:stop], plan, nan_padding)
        values = values[keep]
        sum_x += values.sum(axis=0)
        gram += values.T @ values
        cross += values.T @ target[start:stop][keep]
    target, n_rows = target[rows], int(rows.sum())
    if n_rows < 2:
        return None
    mean_x, mean_y = sum_x / n_rows, target.mean(axis=0)
    gram -= n_rows * np.outer(mean_x, mean_x)
    cross -= n_rows * np.outer(mean_x, mean_y)
    centred_y = target - mean_y
    # The penalty treats every input alike on standardised columns, as a
    # ridge regression after StandardScaler: each lag of the window gets its
    # own scale (the network's inputs share one per feature).
    # A constant input (the window's last value, relative to itself) keeps
    # a weight of zero: its centred sums are rounding error, not signal.
    variance = np.clip(np.diag(gram), 0.0, None) / n_rows
    constant = variance <= 1e-9 * (variance + mean_x**2)
    gram[constant], gram[:, constant], cross[constant] = 0.0, 0.0, 0.0
    scale = np.where(constant, 1.0, np.sqrt(variance))
    kernel, _ = gcv_ridge(
        gram / np.outer(scale, scale),
        cross / scale[:, None],
        (centred_y**2).sum(axis=0),
        n_rows,
    )
    kernel = kernel / scale[:, None]
    return kernel, mean_y - mean_x @ kernel


def regression_rows(padded):
    """The training rows the ridge regression is fitted on: the complete
    windows (no padded step) when they are at least half of the rows, else
    every row.

    A linear map reads a padded step as a value (zero, the mean after
    standardisation), where the network masks it. The partial windows at
    the start of a windowed series are a few rows whose missing history
    would pull the coefficients towards zero; sequences padded to one
    length, where most rows are partial, keep every row.
    """
    complete = ~padded.any(axis=1)
    return complete if 2 * complete.sum() >= len(complete) else np.ones_like(complete)


def gcv_ridge(gram, cross, y_squares, n_rows):
    """Ridge coefficients at the penalty of least generalised CV error, and
    that penalty.

    From the centred Gram matrix ``gram``, ``cross`` (inputs' products with
    the centred targets) and the targets' sums of squares: with the
    eigenvalues ``s`` and ``z = V.T @ cross``, the residual sum of squares at
    penalty ``a`` is ``y_squares - sum(z**2 * (2 / (s + a) - s / (s + a)**2))``
    and the degrees of freedom are ``sum(s / (s + a))`` plus the intercept.
    """
    eigenvalues, vectors = np.linalg.eigh(gram)
    eigenvalues = np.clip(eigenvalues, 0.0, None)
    z = vectors.T @ cross
    scale = max(eigenvalues.mean(), 1e-12)
    best_score, best, best_penalty = np.inf, None, None
    for penalty in PENALTY_GRID * scale:
        shrink = 1.0 / (eigenvalues + penalty)
        fitted = (z**2 * (2 * shrink - eigenvalues * shrink**2)[:, None]).sum(axis=0)
        rss = np.maximum(y_squares - fitted, 0.0).sum()
        dof = (eigenvalues * shrink).sum() + 1.0
        if dof >= n_rows:
            continue
        score = rss / (1.0 - dof / n_rows) ** 2
        if score < best_score:
            best_score, best, best_penalty = score, shrink, penalty
    if best is None:  # fewer rows than inputs at every penalty
        best_penalty = PENALTY_GRID[-1] * scale
        best = 1.0 / (eigenvalues + best_penalty)
    return vectors @ (best[:, None] * z), best_penalty
