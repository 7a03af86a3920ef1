"""Small datasets for sequence models: a real series and synthetic generators.

Loaders return scikit-learn style :class:`~sklearn.utils.Bunch` objects;
generators return ``(X, y)`` and take a ``random_state``.
"""

from ._airline import load_airline
from ._generators import make_alphabet_sequences, make_sentiment_texts

__all__ = ["load_airline", "make_alphabet_sequences", "make_sentiment_texts"]
