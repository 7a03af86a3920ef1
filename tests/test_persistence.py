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
    out = (
        subprocess.run(
            [sys.executable, "-c", script],
            capture_output=True,
            text=True,
            env=env,
            check=True,
        )
        .stdout.strip()
        .splitlines()
    )
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


# Loading never runs code from a file unless the user opted in ---------------


def _with_lambda_network():
    """A fitted regressor whose network writes ``ran.txt`` when it is rebuilt."""
    reg = LSTMRegressor(units=2, epochs=1, random_state=0).fit(X[:, :, :1], Y)
    inputs = keras.Input((4, 1))
    hidden = keras.layers.Lambda(lambda x: (open("ran.txt", "w").write("ran"), x)[1])(
        inputs
    )
    outputs = keras.layers.Dense(1)(keras.layers.Flatten()(hidden))
    reg.model_ = keras.Model(inputs, outputs)
    reg.model_.compile(loss="mse")
    if os.path.exists("ran.txt"):
        os.remove("ran.txt")
    return reg


def _pickle_round_trip(est, tmp_path):
    return pickle.loads(pickle.dumps(est))


def _joblib_round_trip(est, tmp_path):
    import joblib

    joblib.dump(est, tmp_path / "est.joblib")
    return joblib.load(tmp_path / "est.joblib")


def _skops_round_trip(est, tmp_path):
    sio = pytest.importorskip("skops.io")
    sio.dump(est, tmp_path / "est.skops")
    untrusted = sio.get_untrusted_types(file=tmp_path / "est.skops")
    return sio.load(tmp_path / "est.skops", trusted=untrusted)


def _archive_round_trip(est, tmp_path):
    save_estimator(est, tmp_path / "est.keras")
    return load_estimator(tmp_path / "est.keras")


def _copy_round_trip(est, tmp_path):
    import copy

    return copy.deepcopy(est)


ROUND_TRIPS = [
    _pickle_round_trip,
    _joblib_round_trip,
    _skops_round_trip,
    _archive_round_trip,
    _copy_round_trip,
]


@pytest.fixture
def unsafe_deserialization():
    """Keras' own switch, put back afterwards."""
    from keras.src.backend.common import global_state

    before = global_state.get_global_attribute("safe_mode_saving")
    keras.config.enable_unsafe_deserialization()
    yield
    global_state.set_global_attribute("safe_mode_saving", before)


@pytest.mark.parametrize("round_trip", ROUND_TRIPS)
def test_a_network_that_runs_code_is_refused_unless_opted_in(
    round_trip, tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    reg = _with_lambda_network()
    with pytest.raises(ValueError, match=r"enable_unsafe_deserialization\(\)"):
        round_trip(reg, tmp_path)
    assert not (tmp_path / "ran.txt").exists()


@pytest.mark.parametrize("round_trip", ROUND_TRIPS)
def test_opting_in_restores_the_network_exactly(
    round_trip, tmp_path, monkeypatch, unsafe_deserialization
):
    monkeypatch.chdir(tmp_path)
    reg = _with_lambda_network()
    expected = reg.predict(X[:, :, :1])
    restored = round_trip(reg, tmp_path)
    np.testing.assert_array_equal(restored.predict(X[:, :, :1]), expected)


def test_load_estimator_takes_an_explicit_opt_in(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    reg = _with_lambda_network()
    save_estimator(reg, tmp_path / "reg.keras")
    with pytest.raises(ValueError, match="safe_mode=False to sklstm.load_estimator"):
        load_estimator(tmp_path / "reg.keras", safe_mode=True)
    loaded = load_estimator(tmp_path / "reg.keras", safe_mode=False)
    np.testing.assert_array_equal(loaded.predict(X[:, :, :1]), reg.predict(X[:, :, :1]))


# Writing: a failed save leaves the previous file intact ---------------------


def test_a_failed_save_keeps_the_previous_archive(tmp_path, monkeypatch):
    import zipfile

    reg = _fit(0)
    path = tmp_path / "reg.keras"
    save_estimator(reg, path)
    before = path.read_bytes()

    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    bigger = LSTMRegressor(units=8, epochs=1, random_state=0).fit(X, Y)
    monkeypatch.setattr(zipfile.ZipFile, "writestr", full_disk)
    with pytest.raises(OSError, match="No space left"):
        save_estimator(bigger, path)
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["reg.keras"]
    np.testing.assert_array_equal(load_estimator(path).predict(X), reg.predict(X))
