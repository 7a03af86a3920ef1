"""Compiled networks reused from one fit to the next (sklstm._reuse).

Each test compares fits that reuse a waiting network with the same fits made
from new networks (``no_reuse``), to the bit, and checks with
``waiting_networks`` that the reuse took place, without reading ``model_``
from here (which would make the network the test's own).
"""

import pickle
import threading

import keras
import numpy as np
import pytest
from sklearn.model_selection import GridSearchCV, KFold, cross_val_score

from sklstm import LSTMAutoencoder, LSTMClassifier, LSTMRegressor, _reuse

RNG = np.random.default_rng(7)
X = RNG.normal(size=(48, 6, 2)).astype(np.float32)
Y = X[:, -1, 0] - 0.5 * X[:, 0, 1]
LABELS = (Y > 0).astype(int)
X_PADDED = X.copy()
X_PADDED[::3, :2] = np.nan  # NaN padding at the start of every third sequence

TF_ONLY = pytest.mark.skipif(
    keras.backend.backend() != "tensorflow",
    reason="stateful networks need Keras' TensorFlow backend",
)

CASES = {
    "regressor, dropout": pytest.param(
        lambda s: LSTMRegressor(units=3, epochs=2, dropout=0.2, random_state=s),
        X,
        Y,
    ),
    "regressor, padded": pytest.param(
        lambda s: LSTMRegressor(units=3, epochs=2, random_state=s),
        X_PADDED,
        Y,
    ),
    "regressor, validation": pytest.param(
        lambda s: LSTMRegressor(
            units=3,
            epochs=3,
            validation_split=0.25,
            early_stopping=True,
            random_state=s,
        ),
        X,
        Y,
    ),
    "regressor, decoder": pytest.param(
        lambda s: LSTMRegressor(units=3, epochs=2, decoder=True, random_state=s),
        X,
        X[:, -2:, 0],
    ),
    "classifier": pytest.param(
        lambda s: LSTMClassifier(units=3, epochs=2, random_state=s),
        X,
        LABELS,
    ),
    "autoencoder": pytest.param(
        lambda s: LSTMAutoencoder(units=(3, 2), epochs=2, random_state=s),
        X,
        None,
    ),
    "stateful": pytest.param(
        lambda s: LSTMRegressor(
            units=3,
            epochs=2,
            stateful=True,
            batch_size=8,
            shuffle=False,
            random_state=s,
        ),
        X,
        Y,
        marks=TF_ONLY,
    ),
}


@pytest.fixture(autouse=True)
def _empty_pool():
    _reuse.clear()
    yield
    _reuse.clear()


@pytest.fixture
def no_reuse(monkeypatch):
    monkeypatch.setattr(_reuse, "CAPACITY", 0)


def _fit(make, X, y, seed, rows):
    est = make(seed)
    est.fit(X[rows]) if y is None else est.fit(X[rows], y[rows])
    out = est.transform(X) if y is None else est.predict(X)
    return out, est.loss_curve_


# three "folds" of other rows and other seeds: of one shape, and of three sizes
FOLDS = [np.arange(0, 40), np.arange(8, 48), np.arange(4, 44)]
UNEQUAL_FOLDS = [np.arange(0, 40), np.arange(4, 48), np.arange(6, 42)]


@pytest.fixture
def takes(monkeypatch):
    """The networks that ``_take`` hands out, in order (None: none waited)."""
    taken = []
    take = _reuse._take

    def counted_take(key):
        taken.append(take(key))
        return taken[-1]

    monkeypatch.setattr(_reuse, "_take", counted_take)
    return taken


def _fits(make, X, y, folds, monkeypatch, *, capacity):
    monkeypatch.setattr(_reuse, "CAPACITY", capacity)
    results = []
    for seed, rows in zip([3, 4, 5], folds, strict=True):
        results.append(_fit(make, X, y, seed, rows))
        # the estimator is gone: its network waits for the next fit, if any may
        assert _reuse.waiting_networks() == min(capacity, 1)
    return results


def _assert_same_fits(got, expected):
    for (out, curve), (out_new, curve_new) in zip(got, expected, strict=True):
        np.testing.assert_array_equal(out, out_new)
        assert curve == curve_new


@pytest.mark.parametrize(("make", "X_case", "y_case"), CASES.values(), ids=list(CASES))
def test_a_reused_network_trains_as_a_new_one(make, X_case, y_case, monkeypatch, takes):
    expected = _fits(make, X_case, y_case, FOLDS, monkeypatch, capacity=0)
    takes.clear()
    got = _fits(make, X_case, y_case, FOLDS, monkeypatch, capacity=4)
    assert [t is not None for t in takes] == [False, True, True]
    _assert_same_fits(got, expected)


def test_fits_on_other_numbers_of_rows_share_one_network(monkeypatch, takes):
    # held-out rows, early stopping, then a fit of every row again: the final
    # fits and the fits on 40, 44 and 36 rows all train one compiled network
    def make(seed):
        return LSTMRegressor(
            units=3,
            epochs=3,
            validation_split=0.25,
            early_stopping=True,
            refit=True,
            random_state=seed,
        )

    expected = _fits(make, X, Y, UNEQUAL_FOLDS, monkeypatch, capacity=0)
    takes.clear()
    got = _fits(make, X, Y, UNEQUAL_FOLDS, monkeypatch, capacity=4)
    # a new network for the first early-stopped fit only
    assert [t is not None for t in takes] == [False] + [True] * 5
    assert len({id(t) for t in takes[1:]}) == 1
    _assert_same_fits(got, expected)


def test_cross_validation_scores_are_those_of_new_networks(monkeypatch):
    est = LSTMRegressor(units=3, epochs=2, random_state=0)
    cv = KFold(4, shuffle=True, random_state=0)
    monkeypatch.setattr(_reuse, "CAPACITY", 0)
    expected = cross_val_score(est, X, Y, cv=cv)
    monkeypatch.setattr(_reuse, "CAPACITY", 4)
    got = cross_val_score(est, X, Y, cv=cv)
    np.testing.assert_array_equal(got, expected)
    assert _reuse.waiting_networks() == 1  # one network served the four folds


def test_a_search_over_the_learning_rate_reuses_one_network(monkeypatch):
    # the learning rate is an optimizer variable that the compiled steps read
    grid = {"learning_rate": [0.01, 0.03], "units": [3]}
    est = LSTMRegressor(epochs=2, validation_split=0.0, random_state=0)
    monkeypatch.setattr(_reuse, "CAPACITY", 0)
    expected = GridSearchCV(est, grid, cv=2).fit(X, Y)
    monkeypatch.setattr(_reuse, "CAPACITY", 4)
    got = GridSearchCV(est, grid, cv=2).fit(X, Y)
    for name in ("split0_test_score", "split1_test_score"):
        np.testing.assert_array_equal(got.cv_results_[name], expected.cv_results_[name])
    assert (
        got.cv_results_["split0_test_score"][0]
        != (got.cv_results_["split0_test_score"][1])
    )  # the rates trained differently
    # one network served the four fold fits, then the refit on every row,
    # which keeps it: none waits
    assert _reuse.waiting_networks() == 0
    optimizer = got.best_estimator_.model_.optimizer
    best_rate = got.best_params_["learning_rate"]
    np.testing.assert_allclose(float(optimizer.learning_rate), best_rate, rtol=1e-6)


def test_a_network_read_by_the_caller_is_never_reused():
    est = LSTMRegressor(units=3, epochs=2, random_state=0).fit(X, Y)
    network = est.model_  # the caller's now
    weights = [w.copy() for w in network.get_weights()]
    del est
    assert _reuse.waiting_networks() == 0
    LSTMRegressor(units=3, epochs=2, random_state=1).fit(X, Y)
    for got, before in zip(network.get_weights(), weights, strict=True):
        np.testing.assert_array_equal(got, before)


def test_a_fitted_estimator_keeps_its_network():
    first = LSTMRegressor(units=3, epochs=2, random_state=0).fit(X, Y)
    before = first.predict(X)
    # same architecture, while the first estimator is alive: a network of its own
    LSTMRegressor(units=3, epochs=2, random_state=1).fit(X, Y)
    np.testing.assert_array_equal(first.predict(X), before)


def test_pickled_and_refitted_estimators_share_no_network():
    est = LSTMRegressor(units=3, epochs=2, random_state=0).fit(X, Y)
    copy = pickle.loads(pickle.dumps(est))
    before = copy.predict(X)
    est.set_params(random_state=1).fit(X, Y)  # the first network goes back
    assert _reuse.waiting_networks() == 1
    LSTMRegressor(units=3, epochs=2, random_state=2).fit(X, Y)  # takes it
    np.testing.assert_array_equal(copy.predict(X), before)
    assert vars(copy)["_network"] is not vars(est)["_network"]


def test_a_failed_fit_does_not_return_its_network(no_reuse):
    class Fail(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            raise RuntimeError("stop here")

    _reuse.CAPACITY = 4
    LSTMRegressor(units=3, epochs=2, random_state=0).fit(X, Y)
    assert _reuse.waiting_networks() == 1
    failing = LSTMRegressor(units=3, epochs=2, random_state=0, callbacks=[Fail()])
    with pytest.raises(RuntimeError, match="stop here"):
        failing.fit(X, Y)
    assert _reuse.waiting_networks() == 0  # taken, then dropped
    assert not hasattr(failing, "model_")


def test_waiting_networks_are_bounded_and_the_oldest_released(monkeypatch):
    monkeypatch.setattr(_reuse, "CAPACITY", 2)
    for units in (2, 3):
        LSTMRegressor(units=units, epochs=1, random_state=0).fit(X, Y)
    [(_, oldest), _] = _reuse._WAITING.values()
    assert oldest.train_function is not None
    LSTMRegressor(units=4, epochs=1, random_state=0).fit(X, Y)
    assert _reuse.waiting_networks() == 2
    waiting = [network for _, network in _reuse._WAITING.values()]
    assert all(network is not oldest for network in waiting)
    assert {n.get_layer("lstm_0").units for n in waiting} == {3, 4}
    assert oldest.train_function is None  # released with its compiled steps


def test_concurrent_fits_never_share_a_network():
    def make(seed):
        return LSTMRegressor(units=3, epochs=2, shuffle=False, random_state=seed)

    expected = [_fit(make, X, Y, seed, slice(None)) for seed in range(4)]
    results = {}

    def work(seed):
        results[seed] = _fit(make, X, Y, seed, slice(None))

    threads = [threading.Thread(target=work, args=(seed,)) for seed in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for seed, (out, curve) in enumerate(expected):
        np.testing.assert_array_equal(results[seed][0], out)
        assert results[seed][1] == curve


def test_a_users_own_model_is_not_reused():
    def build(meta):
        return keras.Sequential(
            [keras.Input((6, 2)), keras.layers.LSTM(2), keras.layers.Dense(1)]
        )

    LSTMRegressor(model=build, epochs=1, random_state=0).fit(X, Y)
    assert _reuse.waiting_networks() == 0
