"""JAX's persistent compilation cache, which sklstm turns on unless told not to."""

import os
import subprocess
import sys
import textwrap

import pytest

from sklstm import _backend

pytest.importorskip("jax")

FIT = textwrap.dedent(
    """
    import jax
    import numpy as np
    from sklstm import LSTMRegressor
    X = np.linspace(0, 1, 48, dtype="float32").reshape(16, 3, 1)
    reg = LSTMRegressor(units=2, epochs=1, random_state=0).fit(X, X[:, -1, 0])
    print("prediction", repr(reg.predict(X[:2]).tolist()))
    print("folder", jax.config.jax_compilation_cache_dir)
    """
)


def _run(tmp_path, **env_update):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"JAX_COMPILATION_CACHE_DIR", "SKLSTM_JAX_CACHE"}
    }
    env.update(KERAS_BACKEND="jax", XDG_CACHE_HOME=str(tmp_path), **env_update)
    out = subprocess.run(
        [sys.executable, "-c", FIT], capture_output=True, text=True, env=env, check=True
    ).stdout
    return dict(line.split(" ", 1) for line in out.splitlines() if " " in line)


def test_compiled_steps_are_kept_in_the_users_cache_folder_and_change_nothing(
    tmp_path,
):
    folder = tmp_path / "sklstm" / "jax"
    first = _run(tmp_path)
    assert first["folder"] == str(folder)
    assert any(folder.iterdir())  # compiled steps on disk
    second = _run(tmp_path)  # loads them
    off = _run(tmp_path / "off", SKLSTM_JAX_CACHE="0")
    assert off["folder"] == "None"
    assert not (tmp_path / "off" / "sklstm").exists()
    assert first["prediction"] == second["prediction"] == off["prediction"]


def test_the_users_own_cache_settings_win(monkeypatch, tmp_path):
    monkeypatch.delenv("JAX_COMPILATION_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.delenv("SKLSTM_JAX_CACHE", raising=False)
    import jax

    if jax.config.jax_compilation_cache_dir:
        pytest.skip("this process has a JAX cache folder already")
    assert _backend.jax_cache_folder() == str(tmp_path / "sklstm" / "jax")
    monkeypatch.setenv("SKLSTM_JAX_CACHE", str(tmp_path / "mine"))
    assert _backend.jax_cache_folder() == str(tmp_path / "mine")
    monkeypatch.setenv("SKLSTM_JAX_CACHE", "off")
    assert _backend.jax_cache_folder() is None
    monkeypatch.delenv("SKLSTM_JAX_CACHE")
    monkeypatch.setenv("JAX_COMPILATION_CACHE_DIR", str(tmp_path / "jax"))
    assert _backend.jax_cache_folder() is None
