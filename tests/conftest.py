import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np
import pytest


def pytest_report_header(config):
    import keras

    return f"keras {keras.__version__}, backend {keras.backend.backend()}"


@pytest.fixture(autouse=True)
def _seed_numpy():
    """Each test starts from the same NumPy global state."""
    state = np.random.get_state()
    np.random.seed(0)
    yield
    np.random.set_state(state)
