"""The Keras backend, imported on first use with this process's share of threads.

``import sklstm`` imports no Keras: estimators call :func:`import_keras` when
they first build, fit or load a network.
"""

import contextlib
import os
import random
import re
import sys
import tempfile

import numpy as np

__all__ = ["backend_name", "import_keras", "jax_cache_folder"]

# The persistent compilation cache that sklstm gives JAX, unless told otherwise.
JAX_CACHE_ENV = "SKLSTM_JAX_CACHE"
JAX_CACHE_MAX_BYTES = 1 << 30
_JAX_CACHE_CHECKED = []


def import_keras():
    """Import Keras (and its backend) on first use, and return the module."""
    first = "keras" not in sys.modules
    if first:
        _limit_backend_threads()
        # Importing TensorFlow draws from Python's and NumPy's global random
        # generators; the caller must not see that.
        python_state, numpy_state = random.getstate(), np.random.get_state()
        try:
            with _quiet_tensorflow_startup():
                import keras
        finally:
            random.setstate(python_state)
            np.random.set_state(numpy_state)
    import keras

    if first and "TF_NUM_INTRAOP_THREADS" in os.environ and "tensorflow" in sys.modules:
        import tensorflow as tf

        try:  # effective only before TensorFlow's runtime has started
            tf.config.threading.set_intra_op_parallelism_threads(
                int(os.environ["TF_NUM_INTRAOP_THREADS"])
            )
            tf.config.threading.set_inter_op_parallelism_threads(
                int(os.environ.get("TF_NUM_INTEROP_THREADS", "0"))
            )
        except (RuntimeError, ValueError):
            pass
    if not _JAX_CACHE_CHECKED:
        _JAX_CACHE_CHECKED.append(True)
        if keras.backend.backend() == "jax":
            _use_jax_compilation_cache()
    return keras


def jax_cache_folder():
    """The folder of JAX's persistent compilation cache that sklstm would set.

    None when the user has configured JAX's own cache folder
    (``JAX_COMPILATION_CACHE_DIR`` or ``jax.config``) or turned sklstm's off
    (``SKLSTM_JAX_CACHE=0``); ``SKLSTM_JAX_CACHE=/a/folder`` chooses the
    folder; by default it is ``sklstm/jax`` in the user's cache folder
    (``$XDG_CACHE_HOME``, else ``~/.cache``).
    """
    setting = os.environ.get(JAX_CACHE_ENV, "").strip()
    if setting.lower() in {"0", "off", "false", "no"}:
        return None
    if os.environ.get("JAX_COMPILATION_CACHE_DIR"):
        return None
    import jax

    if jax.config.jax_compilation_cache_dir:
        return None
    if setting:
        return setting
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(
        os.path.expanduser("~"), ".cache"
    )
    return os.path.join(base, "sklstm", "jax")


def _use_jax_compilation_cache():
    """Let JAX keep compiled steps on disk, for worker processes and later runs.

    JAX compiles each new training and predict step with XLA, seconds on a
    CPU for a small LSTM; ``n_jobs`` workers and each new session pay it again.
    With the cache a process loads what any process of the user compiled
    before (measured in ``docs/user_guide/speed.rst``). Every compilation is
    kept (JAX keeps only those over a second by default); where the
    ``filelock`` package is installed, JAX keeps the folder under
    ``JAX_CACHE_MAX_BYTES``, dropping the least recently used first. A folder
    that cannot be created leaves JAX as it was.
    """
    folder = jax_cache_folder()
    if folder is None:
        return
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError:
        return
    import jax

    jax.config.update("jax_compilation_cache_dir", folder)
    jax.config.update("jax_persistent_cache_min_compile_time_secs", 0.0)
    try:  # JAX bounds the folder only with the filelock package
        import filelock  # noqa: F401
    except ImportError:
        return
    jax.config.update("jax_compilation_cache_max_size", JAX_CACHE_MAX_BYTES)


def backend_name():
    """The name of Keras' backend: "tensorflow", "jax" or "torch"."""
    return import_keras().backend.backend()


def _limit_backend_threads():
    """Give the backend no more threads than joblib gives this process.

    joblib's worker processes (``GridSearchCV(n_jobs=k)``) receive
    ``OMP_NUM_THREADS`` set to their share of the cores, which BLAS libraries
    follow but TensorFlow and XLA do not: each worker would run a thread pool
    as large as the machine, and k workers would oversubscribe the cores. Before
    the backend is first imported, this maps that share onto TensorFlow's
    thread settings. Settings the user made are never overridden.
    """
    threads = os.environ.get("OMP_NUM_THREADS", "")
    if not threads.isdigit() or "tensorflow" in sys.modules:
        return
    os.environ.setdefault("TF_NUM_INTRAOP_THREADS", threads)
    os.environ.setdefault("TF_NUM_INTEROP_THREADS", "1")


# What TensorFlow prints while it loads, before its logging is configured.
_STARTUP_NOTICE = re.compile(
    r"^(WARNING: All log messages before absl::InitializeLog\(\)|I\d{4} |"
    r"To enable the following instructions:)"
)


@contextlib.contextmanager
def _quiet_tensorflow_startup():
    """Keep TensorFlow's start-up notices out of the user's terminal.

    Only when the user has not set ``TF_CPP_MIN_LOG_LEVEL`` and TensorFlow is
    not imported yet: then the variable is set to 2 (warnings and errors of
    TensorFlow's C++ code are still shown, information is not), and the
    information lines TensorFlow prints while it loads, before it reads the
    variable (oneDNN, CPU features), are dropped. Everything else written to
    the standard error while Keras is imported is written there afterwards.
    A user who sets ``TF_CPP_MIN_LOG_LEVEL`` (to 0 to see everything) gets
    TensorFlow's own behaviour.
    """
    if "TF_CPP_MIN_LOG_LEVEL" in os.environ or "tensorflow" in sys.modules:
        yield
        return
    os.environ["TF_CPP_MIN_LOG_LEVEL"] = "2"
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError):  # no file descriptor 2 to redirect
        yield
        return
    with tempfile.TemporaryFile() as capture:
        os.dup2(capture.fileno(), 2)
        try:
            yield
        finally:
            os.dup2(saved, 2)
            os.close(saved)
            capture.seek(0)
            lines = capture.read().decode(errors="replace").splitlines(keepends=True)
            kept = "".join(line for line in lines if not _STARTUP_NOTICE.match(line))
            if kept:
                sys.stderr.write(kept)
