"""LSTMAutoencoder: codes, reconstructions, anomaly scores, pipelines."""

import pickle

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline

from sklstm import LSTMAutoencoder, load_estimator, save_estimator

RNG = np.random.RandomState(0)
BASE = np.sin(np.linspace(0, 2 * np.pi, 10))
X = (BASE[None, :, None] * RNG.uniform(0.5, 1.5, size=(80, 1, 1))).astype(np.float32)


@pytest.fixture(scope="module")
def ae():
    return LSTMAutoencoder(
        units=(6, 3), epochs=25, learning_rate=0.02, random_state=0
    ).fit(X)


def test_codes_and_reconstruction(ae):
    codes = ae.transform(X)
    assert codes.shape == (80, 3)
    assert codes.dtype == np.float64
    recon = ae.inverse_transform(codes)
    assert recon.shape == X.shape
    # reconstructing through codes equals the whole network's output
    np.testing.assert_allclose(
        recon, ae._forward_validated(X).astype(np.float64), rtol=1e-5, atol=1e-6
    )
    assert list(ae.get_feature_names_out()) == [f"lstmautoencoder{i}" for i in range(3)]


def test_anomalies_score_lower(ae):
    odd = X.copy()
    odd[:10, 4:7] += 2.0
    scores = ae.score_samples(odd)
    assert scores.shape == (80,)
    assert scores[:10].max() < np.median(scores[10:])
    np.testing.assert_array_less(scores, 0.0 + 1e-12)


def test_codes_feed_a_classifier():
    y = (X[:, 2, 0] > np.median(X[:, 2, 0])).astype(int)
    pipe = make_pipeline(
        LSTMAutoencoder(units=(4, 2), epochs=3, random_state=0), LogisticRegression()
    ).fit(X, y)
    assert pipe.predict(X).shape == (80,)
    pipe.set_output(transform="pandas")
    assert list(pipe[:-1].transform(X).columns) == [
        "lstmautoencoder0",
        "lstmautoencoder1",
    ]


def test_2d_input_reconstructs_2d():
    ae = LSTMAutoencoder(units=2, epochs=1, random_state=0).fit(X[:, :, 0])
    assert ae.inverse_transform(ae.transform(X[:, :, 0])).shape == (80, 10)


def test_persistence(ae, tmp_path):
    restored = pickle.loads(pickle.dumps(ae))
    np.testing.assert_array_equal(restored.transform(X), ae.transform(X))
    path = tmp_path / "ae.keras"
    save_estimator(ae, path)
    np.testing.assert_array_equal(
        load_estimator(path).score_samples(X), ae.score_samples(X)
    )


def test_bad_codes(ae):
    with pytest.raises(ValueError, match="code values per sample"):
        ae.inverse_transform(np.zeros((2, 5)))
    with pytest.raises(ValueError, match="NaN"):
        ae.transform(np.full((2, 10, 1), np.nan))
