"""Windows as strided views, memory-mapped input and batch-by-batch training.

The streamed path (``sklstm._streaming``) must give what the materialised one
gives: the same checks, statistics and predictions, bit for bit where the
batches are the same.
"""

import keras
import numpy as np
import pytest
from numpy.lib.stride_tricks import sliding_window_view
from sklearn.pipeline import make_pipeline

from sklstm import LSTMClassifier, LSTMRegressor, SlidingWindowTransformer, _streaming
from sklstm._normalization import feature_statistics, padded_steps
from sklstm._streaming import is_streamed, row_chunks

RNG = np.random.RandomState(0)
SERIES = RNG.normal(size=(120, 3)).astype(np.float32)
LENGTH = 6
WINDOWS = SlidingWindowTransformer(LENGTH).fit_transform(SERIES)
Y = (SERIES[:, 0] + 0.5 * np.roll(SERIES[:, 1], 1)).astype(np.float32)
LABELS = np.where(Y > 0, "up", "down")
WEIGHTS = RNG.uniform(0.5, 2.0, size=len(Y)).astype(np.float32)


def small(Estimator, **params):
    defaults = {
        "units": 3,
        "epochs": 2,
        "batch_size": 16,
        "random_state": 0,
        "validation_split": 0.0,
        "early_stopping": False,
    }
    return Estimator(**{**defaults, **params})


@pytest.fixture
def tiny_chunks(monkeypatch):
    """Chunks of a few rows, so that the small data here spans many."""
    monkeypatch.setattr(_streaming, "CHUNK_BYTES", 8 * LENGTH * 3 * 7)


def reference_windows(X, length, value=np.nan):
    """The windows as the transformer built them before they were views."""
    out = np.full((len(X), length, X.shape[1]), value, dtype=X.dtype)
    for step in range(length):
        lag = length - 1 - step
        if lag < len(X):
            out[lag:, step] = X[: len(X) - lag]
    return out


# ----------------------------------------------------------------------
# Zero-copy windows
# ----------------------------------------------------------------------
@pytest.mark.parametrize("value", [np.nan, 0.0])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_windows_are_a_read_only_view_of_one_padded_copy(value, dtype):
    X = SERIES.astype(dtype)
    windows = SlidingWindowTransformer(LENGTH, value=value).fit_transform(X)
    np.testing.assert_array_equal(windows, reference_windows(X, LENGTH, value))
    assert type(windows) is np.ndarray and windows.dtype == dtype
    assert not windows.flags.writeable
    assert not np.shares_memory(windows, X)
    # one padded copy of the series, not sequence_length copies of it
    assert _streaming._buffer_nbytes(windows) == (len(X) + LENGTH - 1) * 3 * X.itemsize


def test_windows_longer_than_the_series_are_all_padding_but_the_end():
    windows = SlidingWindowTransformer(5).fit_transform(SERIES[:2])
    np.testing.assert_array_equal(windows, reference_windows(SERIES[:2], 5))


def test_what_is_streamed(tmp_path):
    assert is_streamed(WINDOWS)
    assert is_streamed(WINDOWS[10:50])
    assert not is_streamed(WINDOWS.copy())
    assert not is_streamed(np.swapaxes(WINDOWS.copy(), 1, 2))  # no overlap
    assert not is_streamed(np.asfortranarray(WINDOWS))
    path = tmp_path / "windows.npy"
    np.save(path, WINDOWS)
    mapped = np.load(path, mmap_mode="r")
    assert is_streamed(mapped) and is_streamed(mapped[5:])


def test_row_chunks_cover_the_rows_once(tiny_chunks):
    chunks = row_chunks(WINDOWS)
    assert len(chunks) > 5
    rows = np.concatenate([np.arange(start, stop) for start, stop in chunks])
    np.testing.assert_array_equal(rows, np.arange(len(WINDOWS)))


# ----------------------------------------------------------------------
# Checks and statistics in chunks
# ----------------------------------------------------------------------
def test_statistics_in_chunks_equal_those_of_the_whole(monkeypatch):
    X = WINDOWS.copy()
    X[3:7, 2] = np.nan  # more padding, inside the windows
    whole_padded = padded_steps(X, np.nan)
    whole = feature_statistics(X, whole_padded)
    windowed = feature_statistics(X, whole_padded, window=(0, "subtract"))
    monkeypatch.setattr(_streaming, "CHUNK_BYTES", 8 * LENGTH * 3 * 7)
    padded = padded_steps(X, np.nan)
    np.testing.assert_array_equal(padded, whole_padded)
    for a, b in zip(feature_statistics(X, padded), whole, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-12)
    chunked = feature_statistics(X, padded, window=(0, "subtract"))
    for a, b in zip(chunked, windowed, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-15)


def test_padding_checked_in_chunks_names_the_sample(tiny_chunks):
    series = SERIES.copy()
    series[100, 1] = np.nan  # a missing value, not a padded step
    windows = sliding_window_view(series, LENGTH, axis=0).transpose(0, 2, 1)
    assert is_streamed(windows) and len(row_chunks(windows)) > 10
    # window 95 is the first to hold row 100, at its last step
    with pytest.raises(ValueError, match="sample 95, step 5"):
        small(LSTMRegressor).fit(windows, Y[LENGTH - 1 :])


def test_infinity_in_a_later_chunk_is_refused(tiny_chunks):
    series = SERIES.copy()
    series[90, 1] = np.inf
    windows = sliding_window_view(series, LENGTH, axis=0).transpose(0, 2, 1)
    assert is_streamed(windows)
    with pytest.raises(ValueError, match="Input X contains infinity"):
        small(LSTMRegressor).fit(windows, Y[LENGTH - 1 :])
    reg = small(LSTMRegressor, epochs=1).fit(WINDOWS, Y)
    with pytest.raises(ValueError, match="Input X contains infinity"):
        reg.predict(SlidingWindowTransformer(LENGTH).fit(SERIES).transform(series))


# ----------------------------------------------------------------------
# Equivalence: streamed and materialised fits
# ----------------------------------------------------------------------
def _assert_same_fit(streamed, materialised, X):
    assert streamed.history_ == materialised.history_
    np.testing.assert_array_equal(streamed.predict(X), materialised.predict(X.copy()))


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"validation_split": 0.25},
        {"validation_split": 0.25, "sample_weight": WEIGHTS},
    ],
    ids=["plain", "validation_split", "sample_weight"],
)
def test_streamed_regressor_equals_materialised_for_the_same_batches(params):
    params = dict(params)
    sample_weight = params.pop("sample_weight", None)
    kwargs = {"shuffle": False, **params}
    streamed = small(LSTMRegressor, **kwargs).fit(WINDOWS, Y, sample_weight)
    materialised = small(LSTMRegressor, **kwargs).fit(WINDOWS.copy(), Y, sample_weight)
    if params.get("validation_split"):
        assert "val_loss" in streamed.history_
    _assert_same_fit(streamed, materialised, WINDOWS)


def test_streamed_classifier_equals_materialised_for_the_same_batches():
    kwargs = {"shuffle": False, "validation_split": 0.2}
    streamed = small(LSTMClassifier, **kwargs).fit(WINDOWS, LABELS, WEIGHTS)
    materialised = small(LSTMClassifier, **kwargs).fit(WINDOWS.copy(), LABELS, WEIGHTS)
    _assert_same_fit(streamed, materialised, WINDOWS)
    np.testing.assert_array_equal(
        streamed.predict_proba(WINDOWS), materialised.predict_proba(WINDOWS.copy())
    )


def test_memory_mapped_input_trains_like_the_array_in_memory(tmp_path):
    path = tmp_path / "windows.npy"
    np.save(path, WINDOWS.astype(np.float64))
    mapped = np.load(path, mmap_mode="r")
    kwargs = {"shuffle": False, "validation_split": 0.25}
    streamed = small(LSTMRegressor, **kwargs).fit(mapped, Y, WEIGHTS)
    materialised = small(LSTMRegressor, **kwargs).fit(WINDOWS.copy(), Y, WEIGHTS)
    assert streamed.history_ == materialised.history_
    np.testing.assert_array_equal(
        streamed.predict(mapped), materialised.predict(WINDOWS.copy())
    )


def test_shuffled_streamed_fits_are_reproducible():
    fits = [
        make_pipeline(SlidingWindowTransformer(LENGTH), small(LSTMRegressor)).fit(
            SERIES, Y
        )
        for _ in range(2)
    ]
    np.testing.assert_array_equal(fits[0].predict(SERIES), fits[1].predict(SERIES))
    other = small(LSTMRegressor, random_state=1).fit(WINDOWS, Y)
    assert not np.array_equal(other.predict(WINDOWS), fits[0].predict(SERIES))


@pytest.mark.parametrize("copy_bytes", [_streaming.CHUNK_BYTES, 64])
def test_each_epoch_draws_a_new_permutation_of_the_training_rows(
    copy_bytes, monkeypatch
):
    monkeypatch.setattr(_streaming, "CHUNK_BYTES", copy_bytes)
    reg = small(LSTMRegressor)
    reg._build_seed = 0
    data = _streaming.streamed_fit_data(
        reg,
        WINDOWS,
        Y,
        None,
        {"batch_size": 16, "validation_split": 0.25, "shuffle": True},
    )
    train, validation = data["x"], data["validation_data"]
    assert data["shuffle"] is False and len(train) == 6
    if isinstance(validation, tuple):  # TensorFlow: the few held-out rows, copied
        assert keras.backend.backend() == "tensorflow" and copy_bytes > 64
        np.testing.assert_array_equal(validation[0], WINDOWS[90:])
        assert data["validation_batch_size"] == 16
        validation = [validation[:1] + (validation[1][i : i + 16],) for i in (0, 16)]
    assert len(validation) == 2
    first = np.concatenate([train[i][1] for i in range(len(train))])
    train.on_epoch_end()
    second = np.concatenate([train[i][1] for i in range(len(train))])
    assert not np.array_equal(first, second)
    np.testing.assert_array_equal(np.sort(first), np.sort(Y[:90]))
    np.testing.assert_array_equal(np.sort(second), np.sort(Y[:90]))
    held_out = np.concatenate([validation[i][1] for i in range(len(validation))])
    np.testing.assert_array_equal(held_out, Y[90:])


# ----------------------------------------------------------------------
# Predictions: the fast path and the padding invariances keep holding
# ----------------------------------------------------------------------
@pytest.fixture(scope="module")
def streamed_fit():
    return small(LSTMRegressor, epochs=3).fit(WINDOWS, Y)


def test_predictions_of_a_view_equal_those_of_its_copy(streamed_fit):
    part = WINDOWS[7:31]
    assert is_streamed(part)
    np.testing.assert_array_equal(
        streamed_fit.predict(part), streamed_fit.predict(part.copy())
    )
    # rows predict alike in any batch (bit for bit on TensorFlow's kernels)
    full = streamed_fit.predict(WINDOWS)
    np.testing.assert_allclose(streamed_fit.predict(part), full[7:31], rtol=1e-6)


def test_predict_in_chunks_copies_one_chunk_at_a_time(streamed_fit, monkeypatch):
    from sklstm import _inference

    monkeypatch.setattr(_inference, "PREDICT_CHUNK", 7)
    np.testing.assert_array_equal(
        streamed_fit.predict(WINDOWS), streamed_fit.predict(WINDOWS.copy())
    )


def test_padded_windows_predict_as_their_real_steps(streamed_fit):
    """A window padded at the start predicts as the same steps padded at the end."""
    pre = WINDOWS[: LENGTH - 1]
    post = np.full_like(pre, np.nan)
    for row in range(LENGTH - 1):
        real = pre[row][~np.isnan(pre[row]).all(axis=-1)]
        post[row, : len(real)] = real
    np.testing.assert_allclose(
        streamed_fit.predict(pre), streamed_fit.predict(post), rtol=1e-6, atol=1e-7
    )


def test_stepwise_transformer_reads_windows_in_chunks(tiny_chunks):
    from sklearn.preprocessing import StandardScaler

    from sklstm import StepwiseTransformer

    chunked = StepwiseTransformer(StandardScaler()).fit(WINDOWS)
    out = chunked.transform(WINDOWS)
    _streaming.CHUNK_BYTES = 2**30  # restored by the fixture
    whole = StepwiseTransformer(StandardScaler()).fit(WINDOWS.copy())
    np.testing.assert_array_equal(out, whole.transform(WINDOWS.copy()))
    np.testing.assert_array_equal(np.isnan(out), np.isnan(WINDOWS))
