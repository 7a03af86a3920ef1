"""Helpers shared by the Display objects of :mod:`sklstm.plotting`.

The check that matplotlib (the optional extra ``sklstm[plot]``) is installed,
and the merging of default and user styles of the drawn artists.
"""

from sklearn.utils._plotting import _validate_style_kwargs


def _check_matplotlib(caller):
    """Raise an ImportError that names the extra to install."""
    try:
        import matplotlib  # noqa: F401
    except ImportError as exc:
        raise ImportError(
            f"{caller} requires matplotlib. Install it with "
            "`pip install matplotlib` (the `plot` extra of sklstm)."
        ) from exc


def _style(defaults, user):
    return _validate_style_kwargs(defaults, user or {})
