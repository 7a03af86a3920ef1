"""Texts to padded sequences of integer token ids, for an Embedding layer."""

import re
from collections import Counter
from numbers import Integral

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin, _fit_context
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted

from ._sequtils import KerasStyleParamsMixin, pad_sequences

PAD_ID = 0
OOV_ID = 1
OOV_TOKEN = "[UNK]"
_WORD_PATTERN = r"\w+"


class TextSequencer(TransformerMixin, KerasStyleParamsMixin, BaseEstimator):
    r"""Map texts to padded sequences of integer token ids.

    `fit` learns a vocabulary from the training texts, most frequent tokens
    first; `transform` replaces each token by its id and pads or truncates
    every text to `maxlen_` ids, like Keras' ``TextVectorization`` with
    ``output_mode="int"`` followed by ``pad_sequences``. Id 0 is the padding
    and id 1 stands for any out-of-vocabulary token, so the output feeds a
    Keras ``Embedding(input_dim=vocab_size_, mask_zero=True)``.

    Parameters
    ----------
    level : {"word", "char"}, default="word"
        Tokens are words (matches of `token_pattern`) or single characters
        (every character, spaces and punctuation included).

    max_tokens : int or None, default=None
        Maximum number of ids, the two reserved ids (padding and
        out-of-vocabulary) included, as in Keras' ``TextVectorization``: the
        vocabulary keeps the ``max_tokens - 2`` most frequent tokens. ``None``
        keeps every token seen in `fit`.

    maxlen : int or None, default=None
        Length of the output sequences. ``None`` uses the longest training text
        (in tokens).

    padding : {"pre", "post"}, default="pre"
        Pad before ("pre") or after ("post") each sequence, with id 0.

    truncating : {"pre", "post"}, default="pre"
        Drop tokens from the start ("pre") or the end ("post") of longer texts.

    lowercase : bool, default=True
        Lowercase the texts before tokenizing.

    token_pattern : str or None, default=None
        Regular expression whose matches are the tokens at ``level="word"``.
        ``None`` means ``r"\w+"``: runs of letters, digits and underscores,
        punctuation dropped. ``r"\w+|[^\w\s]"`` also keeps each punctuation
        mark as a token. Must be None at ``level="char"``.

    Attributes
    ----------
    vocabulary_ : dict of str to int
        Token to id, from 2 upwards in order of decreasing frequency in the
        training texts (ties in alphabetical order).

    vocab_size_ : int
        Number of ids, padding and out-of-vocabulary included:
        ``len(vocabulary_) + 2``. This is the ``input_dim`` of the Embedding.

    maxlen_ : int
        Length of the output sequences.

    See Also
    --------
    SequencePadder : Pad numeric sequences.
    sklearn.feature_extraction.text.CountVectorizer : Bag-of-words counts.

    Notes
    -----
    `X` is a list, 1-D array or Series of ``str``; anything else raises a
    TypeError. The output is an ``int32`` array of shape ``(n_texts,
    maxlen_)``. A text without any token (for example an empty string) becomes
    a row of padding, ids all 0; unknown tokens become 1 and never raise.
    `fit` raises a ValueError when no training text has a token.

    The output columns are named ``token_0``, ..., ``token_{maxlen_-1}`` by
    `get_feature_names_out`, so ``set_output(transform="pandas")`` works.

    Examples
    --------
    >>> from sklstm import TextSequencer
    >>> texts = ["the cat sat", "the dog", "The cat!"]
    >>> sequencer = TextSequencer().fit(texts)
    >>> sequencer.vocabulary_
    {'the': 2, 'cat': 3, 'dog': 4, 'sat': 5}
    >>> sequencer.vocab_size_
    6
    >>> sequencer.transform(["the bird sat", "cat", ""])
    array([[2, 1, 5],
           [0, 0, 3],
           [0, 0, 0]], dtype=int32)
    >>> sequencer.inverse_transform([[2, 1, 5]])
    [['the', '[UNK]', 'sat']]
    """

    _parameter_constraints: dict = {
        "level": [StrOptions({"word", "char"})],
        "max_tokens": [Interval(Integral, 3, None, closed="left"), None],
        "maxlen": [Interval(Integral, 1, None, closed="left"), None],
        "padding": [StrOptions({"pre", "post"})],
        "truncating": [StrOptions({"pre", "post"})],
        "lowercase": ["boolean"],
        "token_pattern": [str, None],
    }

    def __init__(
        self,
        level: str = "word",
        max_tokens: int | None = None,
        maxlen: int | None = None,
        padding: str = "pre",
        truncating: str = "pre",
        lowercase: bool = True,
        *,
        token_pattern: str | None = None,
    ):
        self.level = level
        self.max_tokens = max_tokens
        self.maxlen = maxlen
        self.padding = padding
        self.truncating = truncating
        self.lowercase = lowercase
        self.token_pattern = token_pattern

    def _texts(self, X):
        """Check that X is a 1-D collection of str and return it as a list."""
        if isinstance(X, str | bytes):
            raise TypeError(
                "TextSequencer expects a list of texts but received a single "
                f"{type(X).__name__}; wrap it in a list: [text]."
            )
        if isinstance(X, pd.DataFrame) or getattr(X, "ndim", 1) != 1:
            shape = getattr(X, "shape", None)
            raise ValueError(
                "TextSequencer expects a 1-D list, array or Series of texts; "
                f"received shape {shape}. In a ColumnTransformer select the text "
                "column with a string ('review'), not a list (['review'])."
            )
        texts = list(X)
        for i, text in enumerate(texts):
            if not isinstance(text, str):
                raise TypeError(
                    f"TextSequencer expects str texts, but text {i} is a "
                    f"{type(text).__name__}: {text!r}"
                )
        return texts

    def _tokenize(self, text):
        if self.lowercase:
            text = text.lower()
        if self.level == "char":
            return list(text)
        return self._pattern.findall(text)

    @property
    def _pattern(self):
        return re.compile(self.token_pattern or _WORD_PATTERN)

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Learn the vocabulary and the output length.

        Parameters
        ----------
        X : list, 1-D array or Series of str
            Training texts.

        y : None
            Ignored.

        Returns
        -------
        self : object
            Fitted transformer.
        """
        if self.level == "char" and self.token_pattern is not None:
            raise ValueError(
                "`token_pattern` only applies to level='word'. Received: "
                f"token_pattern={self.token_pattern!r} with level='char'"
            )
        tokenized = [self._tokenize(text) for text in self._texts(X)]
        counts = Counter(token for tokens in tokenized for token in tokens)
        if not counts:
            how = (
                "level='char'"
                if self.level == "char"
                else f"token_pattern={self._pattern.pattern!r}"
            )
            raise ValueError(
                f"`X` contains no tokens: all {len(tokenized)} texts are empty "
                f"with {how}. Pass at least one non-empty text to fit."
            )
        ranked = sorted(counts, key=lambda token: (-counts[token], token))
        if self.max_tokens is not None:
            ranked = ranked[: self.max_tokens - 2]
        self.vocabulary_ = {token: i for i, token in enumerate(ranked, start=2)}
        self.vocab_size_ = len(self.vocabulary_) + 2
        longest = max(len(tokens) for tokens in tokenized)
        self.maxlen_ = longest if self.maxlen is None else self.maxlen
        return self

    def transform(self, X):
        """Replace tokens by their ids and pad every text to `maxlen_` ids.

        Parameters
        ----------
        X : list, 1-D array or Series of str
            Texts.

        Returns
        -------
        X_ids : ndarray of shape (n_texts, `maxlen_`), dtype int32
            Token ids: 0 is padding, 1 an out-of-vocabulary token.
        """
        check_is_fitted(self)
        vocabulary = self.vocabulary_
        sequences = [
            np.array(
                [vocabulary.get(token, OOV_ID) for token in self._tokenize(text)],
                dtype=np.int32,
            )
            for text in self._texts(X)
        ]
        return pad_sequences(
            sequences, self.maxlen_, self.padding, self.truncating, PAD_ID, np.int32
        )

    def inverse_transform(self, X):
        """Map ids back to tokens, dropping the padding.

        Parameters
        ----------
        X : array-like of shape (n_texts, n_ids)
            Token ids, as returned by `transform`.

        Returns
        -------
        tokens : list of list of str
            The tokens of each text; out-of-vocabulary ids give ``"[UNK]"``.
        """
        check_is_fitted(self)
        X = np.asarray(X)
        if X.ndim != 2 or X.dtype.kind not in "iu":
            raise ValueError(
                "inverse_transform expects a 2-D array of integer ids; received "
                f"shape {X.shape} and dtype {X.dtype}."
            )
        if X.size and (X.min() < 0 or X.max() >= self.vocab_size_):
            raise ValueError(
                f"Token ids must be in [0, {self.vocab_size_}); received ids from "
                f"{X.min()} to {X.max()}."
            )
        tokens = np.array(["", OOV_TOKEN, *self.vocabulary_], dtype=object)
        return [tokens[row[row != PAD_ID]].tolist() for row in X]

    def get_feature_names_out(self, input_features=None):
        """Names of the output columns: ``token_0``, ..., ``token_{maxlen_-1}``.

        Parameters
        ----------
        input_features : None
            Not used, present for API consistency.

        Returns
        -------
        feature_names_out : ndarray of str objects
            One name per position in the padded sequence.
        """
        check_is_fitted(self, "maxlen_")
        return np.asarray([f"token_{i}" for i in range(self.maxlen_)], dtype=object)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.one_d_array = True
        tags.input_tags.two_d_array = False
        tags.transformer_tags.preserves_dtype = []
        return tags
