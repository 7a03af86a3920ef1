"""
Hyper-parameter search on a Dask cluster
========================================

Every candidate of a :class:`~sklearn.model_selection.GridSearchCV` is fitted
once per fold, and those fits are independent: joblib's Dask backend sends
them to the worker processes of a `dask.distributed
<https://distributed.dask.org>`_ cluster, on this machine or on many. The
search code does not change; it runs inside
``with joblib.parallel_backend("dask"):``.

This example starts a :class:`~distributed.LocalCluster` of two worker
processes, runs the search of an sklstm pipeline on it and checks that the
scores equal those of a local run: every fit is seeded by ``random_state``,
wherever it runs. It needs the ``distributed`` extra::

    pip install -e ".[distributed]"   # in a clone of sklstm

Worker processes are started with ``spawn``, which imports this script again
in each of them: the cells that start work are guarded by
``if __name__ == "__main__":``, as any script that starts processes must be.
"""

# %%
# The search
# ----------
# Forecast next month's airline passengers from windows of past months: the
# windows are a pipeline step, so the search refits the whole pipeline on
# each training fold. ``SKLSTM_FAST=1`` makes the grid and the training tiny,
# for a quick documentation build.
import os
import time

import joblib
import matplotlib.pyplot as plt
import numpy as np
from distributed import Client, LocalCluster, WorkerPlugin
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sklstm import LSTMRegressor, SlidingWindowTransformer
from sklstm.datasets import load_airline

FAST = os.environ.get("SKLSTM_FAST") == "1"

series = np.log(load_airline().target.to_numpy())
scaled = StandardScaler().fit_transform(series.reshape(-1, 1))
X, y = scaled[:-1], scaled[1:, 0]  # row t's window predicts month t + 1

pipeline = make_pipeline(
    SlidingWindowTransformer(sequence_length=12),
    LSTMRegressor(epochs=3 if FAST else 20, batch_size=16, random_state=0),
)
grid = {"lstmregressor__units": [4, 8]}
if not FAST:
    grid["lstmregressor__learning_rate"] = [0.01, 0.03]
cv = TimeSeriesSplit(n_splits=2)


def make_search():
    return GridSearchCV(pipeline, grid, cv=cv, scoring="neg_mean_squared_error")


# %%
# TensorFlow threads per worker
# -----------------------------
# TensorFlow sizes its thread pools to all the cores of the machine, in every
# process. With several workers on one machine, give each worker one task
# at a time (``threads_per_worker=1``) and a share of the cores for
# TensorFlow, before TensorFlow starts in the worker. Two ways:
#
# - the environment of the worker processes, read by TensorFlow when it
#   starts: ``TF_NUM_INTRAOP_THREADS`` (threads within an operation) and
#   ``TF_NUM_INTEROP_THREADS`` (operations run at once), e.g.
#   ``LocalCluster(env={"TF_NUM_INTRAOP_THREADS": "1", ...})`` or
#   ``TF_NUM_INTRAOP_THREADS=8 dask worker ...`` on a real cluster;
# - a worker plugin that calls ``tf.config.threading`` when each worker
#   starts (and restarts), whatever started the worker. We use this one.


class TensorFlowThreads(WorkerPlugin):
    """Limit TensorFlow's thread pools in each worker, before it is used."""

    def __init__(self, intra_op, inter_op):
        self.intra_op = intra_op
        self.inter_op = inter_op

    def setup(self, worker):
        import tensorflow as tf

        tf.config.threading.set_intra_op_parallelism_threads(self.intra_op)
        tf.config.threading.set_inter_op_parallelism_threads(self.inter_op)


def tensorflow_threads():
    import tensorflow as tf

    return (
        tf.config.threading.get_intra_op_parallelism_threads(),
        tf.config.threading.get_inter_op_parallelism_threads(),
    )


# %%
# A local cluster
# ---------------
# Two worker processes of one thread each, each TensorFlow with one thread per
# pool: on a machine of ``n`` cores, ``n_workers * intra_op`` should not
# exceed ``n``.
if __name__ == "__main__":
    cluster = LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    )
    client = Client(cluster)
    client.register_plugin(TensorFlowThreads(intra_op=1, inter_op=1))
    print("workers:", list(client.scheduler_info()["workers"]))
    print("TensorFlow threads (intra, inter) per worker:")
    print(client.run(tensorflow_threads))

# %%
# The search, on the cluster and locally
# --------------------------------------
# The fits run on the workers; the refit of the best candidate runs here, in
# the process that called ``fit``. joblib sends the data to the workers once.
# On a machine of two cores the cluster is no faster than the local run (the
# workers share the cores, and each starts TensorFlow): the gain comes with
# more cores, or machines, than one fit can use.
if __name__ == "__main__":
    start = time.perf_counter()
    with joblib.parallel_backend("dask"):
        distributed_search = make_search().fit(X, y)
    print(f"on the cluster: {time.perf_counter() - start:.1f} s")

    start = time.perf_counter()
    local_search = make_search().fit(X, y)
    print(f"locally (n_jobs=1): {time.perf_counter() - start:.1f} s")

    local_scores = local_search.cv_results_["mean_test_score"]
    distributed_scores = distributed_search.cv_results_["mean_test_score"]
    print("best parameters:", distributed_search.best_params_)
    print(
        "same best parameters:",
        distributed_search.best_params_ == local_search.best_params_,
    )
    print(
        "same scores as the local run:",
        np.allclose(distributed_scores, local_scores, rtol=1e-7, atol=0),
        f"(largest difference {np.max(np.abs(distributed_scores - local_scores)):.2g})",
    )

    fig, ax = plt.subplots(figsize=(4.5, 4))
    ax.scatter(-local_scores, -distributed_scores)
    low, high = ax.get_xlim()
    ax.plot([low, high], [low, high], color="0.5", linestyle="--")
    ax.set(
        xlabel="MSE, local run",
        ylabel="MSE, on the Dask cluster",
        title="One point per candidate",
    )
    fig.tight_layout()

    client.close()
    cluster.close()

# %%
# On a real cluster
# -----------------
# Start a scheduler on one machine and workers on the others, all with the
# same Python environment (sklstm, Keras, TensorFlow and scikit-learn of the
# same versions; ``client.get_versions(check=True)`` compares them)::
#
#     dask scheduler                                  # on host "scheduler"
#     TF_NUM_INTRAOP_THREADS=16 TF_NUM_INTEROP_THREADS=2 \
#         dask worker tcp://scheduler:8786 --nworkers 1 --nthreads 1
#
# and connect to it instead of starting a ``LocalCluster``; the rest is the
# code above::
#
#     client = Client("tcp://scheduler:8786")
#     with joblib.parallel_backend("dask"):
#         search.fit(X, y)
#
# One worker per machine with one thread, and TensorFlow using the
# machine's cores, is a good start for CPU training of small networks; more
# workers with fewer TensorFlow threads each pay off when a single fit cannot
# keep the cores busy.
#
# GPUs
# ----
# Give each worker process one GPU, and one thread, so that no two fits share
# a GPU's memory: with ``pip install -e ".[gpu]"`` on the workers, start one
# worker per GPU with ``CUDA_VISIBLE_DEVICES`` set to its GPU::
#
#     CUDA_VISIBLE_DEVICES=0 dask worker tcp://scheduler:8786 --nthreads 1 \
#         --resources "GPU=1"
#     CUDA_VISIBLE_DEVICES=1 dask worker tcp://scheduler:8786 --nthreads 1 \
#         --resources "GPU=1"
#
# (``dask cuda worker`` from the dask-cuda package does this for every GPU of
# a machine.) Set ``TF_FORCE_GPU_ALLOW_GROWTH=true`` in the workers'
# environment if anything else may use the same GPU: TensorFlow otherwise
# reserves nearly all its memory at start.
if __name__ == "__main__":
    plt.show()
