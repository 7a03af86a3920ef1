"""A grid search of sklstm pipelines on a dask.distributed cluster of processes.

joblib's Dask backend ships each (candidate, fold) fit to a worker process:
the pipeline is pickled there and back, and the scores must equal those of a
local run, since every fit is seeded by ``random_state``.
"""

import os

import numpy as np
import pytest

distributed = pytest.importorskip("distributed")

import joblib  # noqa: E402
from distributed import Client, LocalCluster, get_task_stream  # noqa: E402
from numpy.testing import assert_allclose  # noqa: E402
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402

from sklstm import LSTMRegressor, SlidingWindowTransformer  # noqa: E402

# Starting the workers (each imports TensorFlow) and eight small fits on two
# cores take a minute or two.
pytestmark = pytest.mark.slow

GRID = {"lstmregressor__learning_rate": [0.01, 0.1]}
SEQUENCE_LENGTH = 4


@pytest.fixture(scope="module")
def client():
    cluster = LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        # one TensorFlow thread per worker: two workers share this machine
        env={"TF_NUM_INTRAOP_THREADS": "1", "TF_NUM_INTEROP_THREADS": "1"},
    )
    client = Client(cluster)
    yield client
    client.close()
    cluster.close()


@pytest.fixture(scope="module")
def series():
    """A noisy sine wave as a one-column table, and the next value of each row."""
    rng = np.random.RandomState(0)
    values = np.sin(np.arange(41) / 3) + rng.normal(0, 0.1, 41)
    return values[:-1, np.newaxis], values[1:]


def make_search(value=np.nan, **regressor_params):
    pipeline = make_pipeline(
        SlidingWindowTransformer(sequence_length=SEQUENCE_LENGTH, value=value),
        LSTMRegressor(
            units=2, epochs=2, batch_size=8, random_state=0, **regressor_params
        ),
    )
    # refit=False: the refit would run locally and test nothing more
    return GridSearchCV(pipeline, GRID, cv=TimeSeriesSplit(n_splits=2), refit=False)


def search_both_ways(client, series, **params):
    """The search run locally, the same search run on the cluster, and its tasks."""
    X, y = series
    local = make_search(**params).fit(X, y)
    with get_task_stream(client) as tasks, joblib.parallel_backend("dask"):
        remote = make_search(**params).fit(X, y)
    return local, remote, tasks.data


def assert_same_results(local, remote):
    # Equal to the last bit in our runs (TensorFlow with one thread in the
    # workers, two here); rtol leaves room for the rounding of other CPUs'
    # kernels only, far below what different initial weights or batches give.
    assert_allclose(
        remote.cv_results_["mean_test_score"],
        local.cv_results_["mean_test_score"],
        rtol=1e-7,
    )
    for split in range(2):
        key = f"split{split}_test_score"
        assert_allclose(remote.cv_results_[key], local.cv_results_[key], rtol=1e-7)
    assert remote.best_params_ == local.best_params_


@pytest.fixture(scope="module")
def default_network(client, series):
    return search_both_ways(client, series)


def test_search_runs_on_the_workers(client, default_network):
    """Every fit is shipped to a worker process, pickled there and back."""
    _, remote, tasks = default_network
    workers = set(client.scheduler_info()["workers"])
    fits = [task for task in tasks if "fit_and_score" in str(task["key"])]
    assert fits and {task["worker"] for task in fits} <= workers
    pids = set(client.run(os.getpid).values())
    assert os.getpid() not in pids and len(pids) == 2
    assert np.isfinite(remote.cv_results_["mean_test_score"]).all()
    assert len(remote.cv_results_["params"]) == 2


def test_search_equals_local_run(default_network):
    """sklstm seeds every initialiser from a private generator, so a worker whose
    event loop draws from Python's global `random` builds the same network."""
    local, remote, _ = default_network
    assert_same_results(local, remote)


# Keras' own saving code, which pickles and deep-copies the model parameter,
# calls np.array on its variables, which NumPy 2 warns about.
@pytest.mark.filterwarnings("ignore:__array__ implementation:DeprecationWarning")
def test_search_with_fixed_initial_weights_equals_local_run(client, series):
    """With the initial weights fixed, the distributed scores equal the local ones.

    The network is given as a Keras model (with its weights) rather than built
    in each fit, so only the seeded training (shuffling) differs between fits.
    The windows are padded with 0.0, which the model masks.
    """
    import keras

    inputs = keras.Input((SEQUENCE_LENGTH, 1))
    lstm = keras.layers.LSTM(
        2, kernel_initializer=keras.initializers.GlorotUniform(seed=1)
    )
    outputs = keras.layers.Dense(
        1, kernel_initializer=keras.initializers.GlorotUniform(seed=2)
    )(lstm(keras.layers.Masking(mask_value=0.0)(inputs)))
    model = keras.Model(inputs, outputs)

    local, remote, _ = search_both_ways(client, series, value=0.0, model=model)
    assert_same_results(local, remote)
