"""Generators of small synthetic sequence datasets."""

from numbers import Integral, Real

import numpy as np
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval

from .._sequtils import check_params

__all__ = ["make_alphabet_sequences", "make_sentiment_texts"]

ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_POSITIVE = Interval(Integral, 1, None, closed="left")


def make_alphabet_sequences(
    n_samples: int = 1000,
    *,
    min_length: int = 1,
    max_length: int = 5,
    return_letters: bool = False,
    random_state: int | np.random.RandomState | None = None,
) -> tuple[list, np.ndarray]:
    """Generate contiguous pieces of the alphabet labelled with the next letter.

    Each sample is a run of consecutive letters of ``"ABC...Z"``, such as
    ``"PQRST"``, and its label is the letter that follows, ``"U"``. Lengths
    are drawn uniformly from ``[min_length, max_length]`` and start letters
    uniformly among those that leave room for a successor (no run ends with
    ``"Z"``). This is the variable-length classification task of the
    padding-and-masking tutorial: the sequences must be padded to a common
    length (see :class:`sklstm.SequencePadder`) before a recurrent network
    sees them.

    Parameters
    ----------
    n_samples : int, default=1000
        Number of sequences, at least 1.

    min_length : int, default=1
        Shortest sequence, at least 1.

    max_length : int, default=5
        Longest sequence, at most 25 (``"A"`` to ``"Y"``, followed by ``"Z"``)
        and at least ``min_length``.

    return_letters : bool, default=False
        If False, each sequence is a 1-D integer array of letter positions
        (``A=0`` ... ``Z=25``). If True, each sequence is a string of letters.

    random_state : int, RandomState instance or None, default=None
        Seed or generator for the draws; pass an int for reproducible output.

    Returns
    -------
    X : list of length n_samples
        The sequences: 1-D int64 arrays of letter positions, or strings when
        ``return_letters=True``. Their lengths vary.

    y : ndarray of shape (n_samples,), dtype object
        The next letter of each sequence, as a one-letter string (``"B"`` to
        ``"Z"``; ``"A"`` never follows anything).

    See Also
    --------
    sklstm.SequencePadder : Pad variable-length sequences to one length.
    sklstm.LSTMClassifier : Classify sequences with an LSTM.

    Examples
    --------
    >>> from sklstm.datasets import make_alphabet_sequences
    >>> X, y = make_alphabet_sequences(3, random_state=0, return_letters=True)
    >>> X, y
    (['DEFGH', 'H', 'JKLM'], array(['I', 'I', 'N'], dtype=object))
    >>> X, y = make_alphabet_sequences(3, random_state=0)
    >>> X[0], y[0]
    (array([3, 4, 5, 6, 7]), 'I')
    """
    length = Interval(Integral, 1, len(ALPHABET) - 1, closed="both")
    check_params(
        {"n_samples": [_POSITIVE], "min_length": [length], "max_length": [length]},
        {"n_samples": n_samples, "min_length": min_length, "max_length": max_length},
    )
    if min_length > max_length:
        raise ValueError(
            "`min_length` must not exceed `max_length`. "
            f"Received: min_length={min_length}, max_length={max_length}"
        )
    rng = check_random_state(random_state)

    lengths = rng.randint(min_length, max_length + 1, size=n_samples)
    # the last letter, start + length - 1, must be at most "Y" (24)
    starts = rng.randint(0, len(ALPHABET) - lengths)

    pieces = zip(starts.tolist(), lengths.tolist(), strict=True)
    if return_letters:
        X = [ALPHABET[s : s + n] for s, n in pieces]
    else:
        X = [np.arange(s, s + n, dtype=np.int64) for s, n in pieces]
    y = np.array([ALPHABET[e] for e in (starts + lengths).tolist()], dtype=object)
    return X, y


# Vocabulary of make_sentiment_texts. Each polar word has a sign: +1 or -1.
_SUBJECTS = (
    "the movie",
    "the film",
    "the plot",
    "the acting",
    "the story",
    "the script",
    "the cast",
    "the ending",
    "the music",
    "the dialogue",
)
_ADJECTIVES = {
    +1: ("good", "great", "excellent", "wonderful", "brilliant", "enjoyable"),
    -1: ("bad", "awful", "terrible", "boring", "dull", "tedious"),
}
_INTENSIFIERS = ("", "very ", "really ", "truly ")
# (past tense, base form) so that a negation reads "i did not <base>"
_VERBS = {
    +1: (("loved", "love"), ("enjoyed", "enjoy"), ("liked", "like")),
    -1: (("hated", "hate"), ("disliked", "dislike"), ("loathed", "loathe")),
}


def _clause(rng, polarity, negate):
    """One clause whose meaning has sign ``polarity``; a negation flips the word."""
    sign = -polarity if negate else polarity
    subject = _SUBJECTS[rng.randint(len(_SUBJECTS))]
    if rng.uniform() < 0.5:
        adjective = _ADJECTIVES[sign][rng.randint(len(_ADJECTIVES[sign]))]
        if negate:
            return f"{subject} was not {adjective}"
        intensifier = _INTENSIFIERS[rng.randint(len(_INTENSIFIERS))]
        return f"{subject} was {intensifier}{adjective}"
    past, base = _VERBS[sign][rng.randint(len(_VERBS[sign]))]
    return f"i did not {base} {subject}" if negate else f"i {past} {subject}"


def make_sentiment_texts(
    n_samples: int = 1000,
    *,
    negation_rate: float = 0.3,
    contrast_rate: float = 0.3,
    random_state: int | np.random.RandomState | None = None,
) -> tuple[list[str], np.ndarray]:
    """Generate short synthetic movie-review sentences labelled by sentiment.

    The sentences are **generated synthetic data, not real reviews**: they are
    built from templates and a vocabulary of about 40 lower-case words, with
    no punctuation, e.g. ``"the plot was really brilliant"``, ``"i did not
    hate the cast"`` or ``"the acting was great but the ending was dull"``.
    They stand in for a review corpus in small examples and tests of text
    classifiers, where the real thing would be slow to download and fit.

    Each sentence is one clause, or two clauses joined by ``"and"`` (same
    sentiment) or ``"but"`` (opposite sentiments). A clause states an opinion
    with a polar adjective (``"the film was boring"``) or verb (``"i loved
    the story"``). The label is the sentiment of the sentence, following two
    rules that need word order to apply:

    - a negation flips the word it precedes: ``"the film was not boring"``
      and ``"i did not hate the story"`` are positive;
    - in a ``"but"`` sentence the second clause decides:
      ``"i loved the story but the film was boring"`` is negative.

    So no single word decides the label: a bag-of-words model cannot reach
    perfect accuracy once ``negation_rate`` or ``contrast_rate`` is above
    zero, while an order-aware model (an LSTM) can. With both rates at zero
    the polar word alone gives the label.

    Parameters
    ----------
    n_samples : int, default=1000
        Number of sentences, at least 1. Half of them (rounded down) are
        negative and the others positive, in random order.

    negation_rate : float, default=0.3
        Probability, in [0, 1], that a clause is negated.

    contrast_rate : float, default=0.3
        Probability, in [0, 1], that a sentence is two opposite clauses joined
        by ``"but"``. Of the other sentences, a third are two clauses of the
        same sentiment joined by ``"and"`` and the rest a single clause.

    random_state : int, RandomState instance or None, default=None
        Seed or generator for the draws; pass an int for reproducible output.

    Returns
    -------
    texts : list of str of length n_samples
        The sentences, lower case, words separated by single spaces.

    y : ndarray of shape (n_samples,), dtype int64
        1 for a positive sentence, 0 for a negative one (the convention of a
        sigmoid output and of binary scorers such as ROC AUC).

    See Also
    --------
    sklstm.TextSequencer : Map texts to sequences of token ids.
    sklstm.LSTMClassifier : Classify sequences with an LSTM.

    Examples
    --------
    >>> from sklstm.datasets import make_sentiment_texts
    >>> texts, y = make_sentiment_texts(4, random_state=0)
    >>> for text, label in zip(texts, y):
    ...     print(label, text)
    1 i liked the dialogue
    1 the music was very great and the music was really great
    0 i did not love the movie and i loathed the movie
    0 the acting was very bad
    """
    rate = Interval(Real, 0, 1, closed="both")
    check_params(
        {"n_samples": [_POSITIVE], "negation_rate": [rate], "contrast_rate": [rate]},
        {
            "n_samples": n_samples,
            "negation_rate": negation_rate,
            "contrast_rate": contrast_rate,
        },
    )
    rng = check_random_state(random_state)

    y = rng.permutation((np.arange(n_samples) >= n_samples // 2).astype(np.int64))
    texts = []
    for label in y:
        polarity = 1 if label == 1 else -1
        kind = rng.uniform()
        if kind < contrast_rate:
            first, joiner = -polarity, "but"
        elif kind < contrast_rate + (1.0 - contrast_rate) / 3:
            first, joiner = polarity, "and"
        else:
            first, joiner = None, None
        last = _clause(rng, polarity, rng.uniform() < negation_rate)
        if joiner is None:
            texts.append(last)
        else:
            head = _clause(rng, first, rng.uniform() < negation_rate)
            texts.append(f"{head} {joiner} {last}")
    return texts, y
