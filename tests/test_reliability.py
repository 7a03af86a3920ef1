"""Reproducibility, persistence, concurrency and import cost."""

import os
import random
import subprocess
import sys
import textwrap
import threading

import numpy as np
import pytest

from sklstm import LSTMRegressor

RNG = np.random.RandomState(0)
X = RNG.uniform(size=(32, 4, 2)).astype(np.float32)
Y = X[:, -1, 0] * 2 - X[:, 0, 1]

FIT_SCRIPT = textwrap.dedent(
    """
    import numpy as np
    from sklstm import LSTMRegressor
    rng = np.random.RandomState(0)
    X = rng.uniform(size=(32, 4, 2)).astype(np.float32)
    y = X[:, -1, 0] * 2 - X[:, 0, 1]
    reg = LSTMRegressor(units=3, epochs=2, dropout=0.1, random_state=7).fit(X, y)
    print(reg.predict(X).tobytes().hex())
    """
)


def _fit(seed):
    return LSTMRegressor(units=3, epochs=2, dropout=0.1, random_state=seed).fit(X, Y)


def test_same_seed_same_predictions_in_this_and_a_new_process():
    here = _fit(7).predict(X)
    np.testing.assert_array_equal(_fit(7).predict(X), here)
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
    out = subprocess.run(
        [sys.executable, "-c", FIT_SCRIPT], capture_output=True, text=True, env=env,
        check=True,
    )
    there = np.frombuffer(bytes.fromhex(out.stdout.strip().splitlines()[-1]))
    np.testing.assert_array_equal(there, here)


def test_different_seeds_differ():
    assert not np.array_equal(_fit(1).predict(X), _fit(2).predict(X))


def test_global_random_state_is_left_unchanged():
    import keras
    import tensorflow as tf
    from keras.src.utils import rng_utils
    from tensorflow.python.eager import context
    from tensorflow.python.framework import config as tf_config

    random.seed(123)
    np.random.seed(123)
    python_before = random.getstate()
    numpy_before = np.random.get_state()
    tf_seed_before = context.global_seed()
    keras_seed_before = rng_utils.get_random_seed()
    torch_before = None
    if keras.backend.backend() == "torch":
        import torch

        torch_before = torch.random.get_rng_state()
    _fit(7)
    if torch_before is not None:
        assert torch.equal(torch.random.get_rng_state(), torch_before)
    assert random.getstate() == python_before
    after = np.random.get_state()
    assert after[0] == numpy_before[0]
    np.testing.assert_array_equal(after[1], numpy_before[1])
    assert after[2:] == numpy_before[2:]
    assert rng_utils.get_random_seed() == keras_seed_before
    # TensorFlow's own seed and op determinism, whatever Keras' backend: the
    # caller may use TensorFlow beside a JAX-backed Keras, too.
    assert context.global_seed() == tf_seed_before
    assert not tf_config.is_op_determinism_enabled()
    assert tf.random.get_global_generator is not None
    assert keras.backend.backend() in ("tensorflow", "jax", "torch")


def test_unseeded_fits_differ():
    a = LSTMRegressor(units=3, epochs=1).fit(X, Y).predict(X)
    b = LSTMRegressor(units=3, epochs=1).fit(X, Y).predict(X)
    assert not np.array_equal(a, b)


def test_predict_from_four_threads():
    reg = _fit(0)
    expected = [reg.predict(X[i : i + 8]) for i in range(0, 32, 8)]
    results = [None] * 4
    errors = []

    def work(i):
        try:
            for _ in range(5):
                results[i] = reg.predict(X[i * 8 : i * 8 + 8])
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    for got, want in zip(results, expected, strict=True):
        np.testing.assert_array_equal(got, want)


def test_other_estimators_keep_working_after_many_fits():
    first = _fit(0)
    before = first.predict(X)
    for seed in range(5):
        _fit(seed)
    np.testing.assert_array_equal(first.predict(X), before)


def _traced_gradient_entries():
    from tensorflow.python.framework import ops

    return {n for n in ops._gradient_registry._registry if n.startswith("Custom")}


def test_fits_leave_no_traced_graphs_in_tensorflow_registry():
    import keras

    if keras.backend.backend() != "tensorflow":
        pytest.skip("a TensorFlow registry")
    _fit(0)  # TensorFlow loaded
    before = _traced_gradient_entries()
    fitted = [_fit(seed) for seed in range(3)]
    assert _traced_gradient_entries() == before
    # A warm start on new shapes traces again, after the cleanup, and trains.
    reg = fitted[0].set_params(warm_start=True, epochs=1)
    loss_before = reg.loss_curve_[-1]
    reg.fit(X[:20], Y[:20]).partial_fit(X, Y)
    assert reg.n_iter_ == 4 and np.isfinite(reg.loss_curve_[-1])
    assert reg.loss_curve_[-1] != loss_before
    assert _traced_gradient_entries() == before


def test_import_does_not_import_tensorflow():
    code = (
        "import sys, time; t = time.perf_counter(); import sklstm; "
        "from sklstm import SlidingWindowTransformer, LSTMRegressor; "
        "assert 'tensorflow' not in sys.modules and 'keras' not in sys.modules; "
        "print(time.perf_counter() - t)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert float(out.stdout) > 0
