"""Property-based tests of the sequence transformers (hypothesis)."""

import numpy as np
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from numpy.testing import assert_array_equal
from sklearn.preprocessing import StandardScaler

from sklstm import (
    ChannelsFirstTransformer,
    SequencePadder,
    SlidingWindowTransformer,
    StepwiseTransformer,
    TextSequencer,
    make_windows,
)

FAST = settings(max_examples=50, deadline=None)
finite = st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False, width=64)


@st.composite
def tables(draw, max_rows=12, max_features=3):
    """A 2-D finite float array of shape (n_rows, n_features)."""
    shape = (
        draw(st.integers(1, max_rows)),
        draw(st.integers(1, max_features)),
    )
    return draw(arrays(np.float64, shape, elements=finite))


@st.composite
def sequence_batches(draw, n_features=None):
    """A list of 2-D finite sequences with 1..6 steps and the same features."""
    if n_features is None:
        n_features = draw(st.integers(1, 3))
    lengths = draw(st.lists(st.integers(1, 6), min_size=1, max_size=6))
    return [
        draw(arrays(np.float64, (length, n_features), elements=finite))
        for length in lengths
    ]


@FAST
@given(X=tables(), sequence_length=st.integers(1, 5))
def test_windows_keep_rows_aligned(X, sequence_length):
    windows = SlidingWindowTransformer(sequence_length).fit_transform(X)
    assert windows.shape == (len(X), sequence_length, X.shape[1])
    assert_array_equal(windows[:, -1], X)  # window t ends with row t
    for t in range(len(X)):
        for k in range(sequence_length):
            row = t - sequence_length + 1 + k
            if row >= 0:
                assert_array_equal(windows[t, k], X[row])
            else:
                assert np.isnan(windows[t, k]).all()


@FAST
@given(
    X=tables(max_rows=15),
    sequence_length=st.integers(1, 4),
    horizon=st.integers(1, 3),
    stride=st.integers(1, 3),
)
def test_make_windows_targets_follow_windows(X, sequence_length, horizon, stride):
    assume(len(X) >= sequence_length + horizon)
    windows, y = make_windows(X, sequence_length, horizon, stride, target=0)
    assert len(windows) == (len(X) - sequence_length - horizon) // stride + 1
    for i, start in enumerate(range(0, len(windows) * stride, stride)):
        assert_array_equal(windows[i], X[start : start + sequence_length])
        future = X[start + sequence_length : start + sequence_length + horizon, 0]
        assert_array_equal(np.atleast_1d(y[i]), future)


@FAST
@given(
    sequences=sequence_batches(),
    padding=st.sampled_from(["pre", "post"]),
    extra=st.integers(0, 2),
)
def test_padding_then_unpadding_gives_back_each_sequence(sequences, padding, extra):
    maxlen = max(len(seq) for seq in sequences) + extra  # no truncation
    padder = SequencePadder(maxlen=maxlen, padding=padding).fit(sequences)
    padded = padder.transform(sequences)
    assert padded.shape == (len(sequences), maxlen, sequences[0].shape[1])
    restored = padder.inverse_transform(padded)
    assert len(restored) == len(sequences)
    for original, back in zip(sequences, restored, strict=True):
        assert_array_equal(back, original)


@FAST
@given(
    sequences=sequence_batches(n_features=2),
    maxlen=st.integers(1, 6),
    padding=st.sampled_from(["pre", "post"]),
    truncating=st.sampled_from(["pre", "post"]),
)
def test_padding_of_a_sequence_does_not_depend_on_the_batch(
    sequences, maxlen, padding, truncating
):
    padder = SequencePadder(maxlen, padding, truncating).fit(sequences)
    batch = padder.transform(sequences)
    for i, seq in enumerate(sequences):
        assert_array_equal(padder.transform([seq])[0], batch[i])


words = st.sampled_from(["cat", "dog", "the", "a", "sat", "Zebra", "!", ""])
texts = st.lists(words, max_size=8).map(" ".join)


@FAST
@given(
    train=st.lists(texts, min_size=1, max_size=6).filter(
        lambda batch: any(t.strip(" !") for t in batch)
    ),
    batch=st.lists(texts, min_size=1, max_size=6),
    max_tokens=st.one_of(st.none(), st.integers(3, 8)),
)
def test_text_ids_do_not_depend_on_the_batch(train, batch, max_tokens):
    sequencer = TextSequencer(max_tokens=max_tokens).fit(train)
    out = sequencer.transform(batch)
    assert out.shape == (len(batch), sequencer.maxlen_)
    assert out.min() >= 0 and out.max() < sequencer.vocab_size_
    for i, text in enumerate(batch):
        assert_array_equal(sequencer.transform([text])[0], out[i])


@FAST
@given(
    X=arrays(
        np.float64,
        st.tuples(st.integers(1, 5), st.integers(1, 5), st.integers(1, 3)),
        elements=st.floats(-1e3, 1e3),
    ),
    n_padded=st.integers(0, 4),
)
def test_stepwise_transform_does_not_depend_on_the_batch(X, n_padded):
    X = X.copy()
    X[0, : min(n_padded, X.shape[1] - 1)] = np.nan  # pad the start of sample 0
    stepwise = StepwiseTransformer(StandardScaler()).fit(X)
    out = stepwise.transform(X)
    padded = np.isnan(X).all(axis=-1)
    assert_array_equal(np.isnan(out).all(axis=-1), padded)
    for i in range(len(X)):
        assert_array_equal(stepwise.transform(X[i : i + 1])[0], out[i])


@FAST
@given(
    X=arrays(
        np.float64,
        st.tuples(st.integers(1, 4), st.integers(1, 4), st.integers(1, 4)),
        elements=finite,
    )
)
def test_channels_first_round_trip(X):
    transformer = ChannelsFirstTransformer()
    out = transformer.transform(X)
    assert out.shape == (X.shape[0], X.shape[2], X.shape[1])
    assert_array_equal(out[:, :, 0], X[:, 0, :])
    assert_array_equal(transformer.inverse_transform(out), X)
