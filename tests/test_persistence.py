"""Pickles and ``.keras`` archives: written, read back, and read across versions."""

import os
import pathlib
import pickle
import subprocess
import sys
import textwrap

import keras
import numpy as np
import pytest

from sklstm import LSTMClassifier, LSTMRegressor, load_estimator, save_estimator

RNG = np.random.RandomState(0)
X = RNG.uniform(size=(32, 4, 2)).astype(np.float32)
Y = X[:, -1, 0] * 2 - X[:, 0, 1]

V0_1_0 = pathlib.Path(__file__).parent / "data" / "v0_1_0"
ON_TENSORFLOW = keras.backend.backend() == "tensorflow"


def _fit(seed):
    return LSTMRegressor(units=3, epochs=2, dropout=0.1, random_state=seed).fit(X, Y)


def _outputs(name, est, X):
    if name == "autoencoder":
        return est.transform(X)
    if name == "classifier":
        return est.predict_proba(X)
    return est.predict(X)


def _assert_same_outputs(actual, expected):
    # The fixtures were written on TensorFlow: bit for bit there, float noise on
    # another backend's kernels.
    if ON_TENSORFLOW:
        np.testing.assert_array_equal(actual, expected)
    else:
        np.testing.assert_allclose(actual, expected, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("name", ["regressor", "classifier", "autoencoder", "stateful"])
@pytest.mark.parametrize("fmt", ["pkl", "keras"])
def test_files_written_by_0_1_0_load_and_predict_the_same(name, fmt):
    if name == "stateful" and not ON_TENSORFLOW:
        pytest.skip("stateful networks need TensorFlow")
    expected = np.load(V0_1_0 / "expected.npz")
    path = V0_1_0 / f"{name}.{fmt}"
    if fmt == "pkl":
        est = pickle.loads(path.read_bytes())
    else:
        est = load_estimator(path)
    _assert_same_outputs(_outputs(name, est, expected["X"]), expected[name])


def test_archive_bit_identical_in_a_new_process(tmp_path):
    clf = LSTMClassifier(units=3, epochs=2, random_state=0).fit(
        X, np.where(Y > np.median(Y), "hi", "lo")
    )
    path = tmp_path / "clf.keras"
    save_estimator(clf, path)
    expected = clf.predict_proba(X)
    np.save(tmp_path / "X.npy", X)
    script = textwrap.dedent(
        f"""
        import numpy as np
        from sklstm import load_estimator
        clf = load_estimator({str(path)!r})
        X = np.load({str(tmp_path / "X.npy")!r})
        print(clf.predict_proba(X).tobytes().hex())
        print(",".join(clf.classes_))
        """
    )
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
    out = subprocess.run([sys.executable, "-c", script], capture_output=True,
                         text=True, env=env, check=True).stdout.strip().splitlines()
    np.testing.assert_array_equal(
        np.frombuffer(bytes.fromhex(out[-2])).reshape(expected.shape), expected
    )
    assert out[-1] == "hi,lo"


def test_archive_is_a_keras_file_and_safe_mode_is_default(tmp_path):
    import keras

    reg = _fit(0)
    path = tmp_path / "reg.keras"
    save_estimator(reg, path)
    np.testing.assert_array_equal(
        np.asarray(keras.saving.load_model(path).predict_on_batch(X)).ravel(),
        reg.predict(X).astype(np.float32),
    )
    with pytest.raises(ValueError, match="must end with '.keras'"):
        save_estimator(reg, tmp_path / "reg.zip")
    keras_only = tmp_path / "plain.keras"
    reg.model_.save(keras_only)
    with pytest.raises(ValueError, match="without sklstm's attributes"):
        load_estimator(keras_only)


def test_archive_warns_about_parameters_it_cannot_store(tmp_path):
    import keras

    reg = LSTMRegressor(units=2, epochs=1, callbacks=[keras.callbacks.History()]).fit(
        X, Y
    )
    with pytest.warns(UserWarning, match="callbacks"):
        save_estimator(reg, tmp_path / "r.keras")
