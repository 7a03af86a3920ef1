"""Rows held out of a fit: how many, and the fit on every row that follows.

:func:`validation_fraction` resolves ``validation_split="auto"``;
:func:`final_fit_epochs` decides whether ``refit`` trains a last network on
every row once early stopping has chosen how long to train. The
measurements behind both are in ``docs/user_guide/normalization.rst``.
"""

import numpy as np

__all__ = ["final_fit_epochs", "stops_early", "validation_fraction"]

# validation_split="auto": the fraction held out, and the fewest samples
# (10 held out) for which it is.
AUTO_VALIDATION_FRACTION = 0.2
AUTO_VALIDATION_MIN_SAMPLES = 50


def validation_fraction(estimator, n_samples, epochs):
    """The fraction of the rows a fit holds out for ``val_loss``.

    ``validation_split="auto"`` holds out ``AUTO_VALIDATION_FRACTION`` when the
    fit has something to stop early: several epochs, at least
    ``AUTO_VALIDATION_MIN_SAMPLES`` samples, and a network that is not
    stateful (held-out rows would break its sequence of states). The
    measurements behind it are in ``docs/user_guide/normalization.rst``.
    """
    split = estimator.validation_split
    if split != "auto":
        return float(split or 0.0)
    if estimator.stateful or epochs < 2 or n_samples < AUTO_VALIDATION_MIN_SAMPLES:
        return 0.0
    return AUTO_VALIDATION_FRACTION


def final_fit_epochs(estimator, history):
    """The epochs of a last fit on every row, or None when there is none.

    Early stopping on held-out rows chooses how long to train, and the
    network it keeps never learned from those rows: in a series split by
    time, the most recent ones. ``refit`` then trains the network again from
    its initial weights on every row for the number of epochs whose
    validation loss was lowest: Algorithm 7.2 of Goodfellow, Bengio and
    Courville, *Deep Learning* (2016). ``refit="auto"`` does so when the
    estimator chose to hold the rows out (``validation_split="auto"``); rows
    held out by a user's own ``validation_split`` stay out unless
    ``refit=True``. Validation data routed to Keras (``fit__validation_...``)
    is the user's to manage: no refit.
    """
    refit = estimator.refit
    if refit == "auto":
        refit = estimator.validation_split == "auto"
    losses = history.get("val_loss")
    if not refit or not estimator.validation_split_ or not losses:
        return None
    if not stops_early(estimator, estimator.validation_split_):
        return None
    if any(name.startswith("validation_") for name in estimator._routed("fit")):
        return None
    return int(np.argmin(losses)) + 1


def stops_early(estimator, split):
    """Whether a fit holding out ``split`` of its rows stops early."""
    early_stopping = estimator.early_stopping
    return split > 0 if early_stopping == "auto" else bool(early_stopping)
