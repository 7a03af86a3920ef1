"""Private helpers shared by the sequence transformers (numpy only)."""

from numbers import Integral

import numpy as np
from sklearn.utils._param_validation import (
    Interval,
    InvalidParameterError,
    make_constraint,
)


def _describe(constraint):
    if (
        isinstance(constraint, Interval)
        and constraint.type is Integral
        and constraint.left == 1
        and constraint.right is None
        and constraint.closed in ("left", "both")
    ):
        return "a positive integer"
    return str(constraint)


def check_params(constraints, params):
    """Validate `params` against sklearn-style `constraints`, Keras-style messages.

    Same constraints as :func:`sklearn.utils._param_validation.validate_params`,
    but the error reads like Keras' own: "`sequence_length` must be a positive
    integer. Received: sequence_length=0".

    Raises
    ------
    InvalidParameterError
        A subclass of both ValueError and TypeError.
    """
    for name, value in params.items():
        allowed = constraints.get(name, "no_validation")
        if allowed == "no_validation":
            continue
        allowed = [make_constraint(c) for c in allowed]
        if any(c.is_satisfied_by(value) for c in allowed):
            continue
        shown = [_describe(c) for c in allowed if not c.hidden]
        expected = shown[0] if len(shown) == 1 else ", ".join(shown[:-1])
        if len(shown) > 1:
            expected = f"{expected} or {shown[-1]}"
        raise InvalidParameterError(
            f"`{name}` must be {expected}. Received: {name}={value!r}"
        )


class KerasStyleParamsMixin:
    """Validate `_parameter_constraints` with Keras-style error messages.

    Put it before :class:`~sklearn.base.BaseEstimator`; ``@_fit_context`` calls
    this ``_validate_params`` at the start of ``fit``.
    """

    def _validate_params(self):
        check_params(self._parameter_constraints, self.get_params(deep=False))


def is_padding(steps, value):
    """Boolean mask of the steps (last axis = features) that are all `value`.

    NaN compares equal to NaN here, so with ``value=np.nan`` a step is padding
    when all its features are NaN.
    """
    if np.isnan(value):
        return np.isnan(steps).all(axis=-1)
    return (steps == value).all(axis=-1)


def check_finite_steps(seq, where, advice):
    """Raise ValueError naming the first step of `seq` (2-D) with NaN or inf."""
    for test, what in ((np.isnan, "NaN"), (np.isinf, "an infinite value")):
        bad = test(seq).any(axis=-1)
        if bad.any():
            step = int(np.argmax(bad))
            raise ValueError(f"{where} contains {what} at step {step}; {advice}")


def pad_sequences(sequences, maxlen, padding, truncating, value, dtype):
    """Pad and truncate `sequences` to `maxlen` steps, as Keras' pad_sequences.

    Parameters
    ----------
    sequences : list of ndarray
        Arrays with the time steps on the first axis and the same trailing shape.
    maxlen : int
    padding, truncating : {"pre", "post"}
    value : scalar
    dtype : dtype of the result.

    Returns
    -------
    ndarray of shape (len(sequences), maxlen, *trailing_shape)
    """
    trailing = sequences[0].shape[1:] if sequences else ()
    out = np.full((len(sequences), maxlen, *trailing), value, dtype=dtype)
    for i, seq in enumerate(sequences):
        if len(seq) > maxlen:
            seq = seq[-maxlen:] if truncating == "pre" else seq[:maxlen]
        if len(seq) == 0:
            continue
        if padding == "pre":
            out[i, maxlen - len(seq) :] = seq
        else:
            out[i, : len(seq)] = seq
    return out
