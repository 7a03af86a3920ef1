"""The lazy Keras import: TensorFlow's start-up notices and the user's settings."""

import os
import subprocess
import sys
import textwrap

import keras
import pytest

pytestmark = pytest.mark.skipif(
    keras.backend.backend() != "tensorflow", reason="TensorFlow's start-up output"
)

FIT = textwrap.dedent(
    """
    import os, sys
    import numpy as np
    from sklstm import LSTMRegressor
    print("before fit", file=sys.stderr)
    LSTMRegressor(units=1, epochs=1).fit(np.ones((4, 3, 1)), np.ones(4))
    print("level", os.environ.get("TF_CPP_MIN_LOG_LEVEL"))
    """
)


def _run(env_update, drop=("TF_CPP_MIN_LOG_LEVEL",)):
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env.update(env_update)
    return subprocess.run(
        [sys.executable, "-c", FIT], capture_output=True, text=True, env=env, check=True
    )


def test_tensorflow_startup_notices_are_kept_out_of_the_terminal():
    result = _run({})
    assert "oneDNN" not in result.stderr
    assert "absl::InitializeLog" not in result.stderr
    assert "before fit" in result.stderr  # the user's own output is kept
    assert "level 2" in result.stdout


def test_a_log_level_the_user_set_is_left_alone():
    result = _run({"TF_CPP_MIN_LOG_LEVEL": "0"})
    assert "level 0" in result.stdout
    assert "oneDNN" in result.stderr or "cpu_feature_guard" in result.stderr
