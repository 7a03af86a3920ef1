"""Stateful networks: fixed batches, state carried and reset, state persisted."""

import pickle

import keras
import numpy as np
import pytest

from sklstm import LSTMClassifier, LSTMRegressor, load_estimator, save_estimator

# Keras carries a stateful layer's state between batches on TensorFlow only;
# sklstm refuses stateful=True elsewhere (tests/test_bad_input.py).
pytestmark = pytest.mark.skipif(
    keras.backend.backend() != "tensorflow", reason="stateful networks need TensorFlow"
)

SERIES = np.sin(np.arange(61) / 4.0)
X = SERIES[:-1].reshape(-1, 1, 1).astype(np.float32)
Y = SERIES[1:]


@pytest.fixture(scope="module")
def stateful():
    return LSTMRegressor(
        units=3, epochs=2, batch_size=1, stateful=True, random_state=0
    ).fit(X[:40], Y[:40])


def test_network_is_stateful_with_fixed_batch(stateful):
    lstm = stateful.model_.get_layer("lstm_0")
    assert lstm.stateful
    assert stateful.model_.input_shape == (1, 1, 1)


def test_predict_continues_and_reset_restarts(stateful):
    first = stateful.reset_states().predict(X[40:])
    second = stateful.predict(X[40:])  # continues from the state after `first`
    assert not np.array_equal(first, second)
    again = stateful.reset_states().predict(X[40:])
    np.testing.assert_array_equal(first, again)


def test_state_is_carried_within_a_predict_call(stateful):
    """One call over 20 steps equals 20 calls of one step each."""
    stateful.reset_states()
    whole = stateful.predict(X[40:])
    stateful.reset_states()
    steps = np.concatenate([stateful.predict(X[i : i + 1]) for i in range(40, 60)])
    np.testing.assert_allclose(whole, steps, rtol=1e-6)


def test_epochs_start_from_a_blank_state():
    """The state is reset at the start of every epoch and carried across batches."""
    import keras

    from sklstm._stateful import recurrent_states

    norms = []

    class Probe(keras.callbacks.Callback):
        def on_train_batch_begin(self, batch, logs=None):
            if batch in (0, 5):
                state = recurrent_states(self.model)[0]
                norms.append((batch, float(sum(np.abs(s).sum() for s in state))))

    LSTMRegressor(
        units=2,
        epochs=3,
        batch_size=1,
        stateful=True,
        random_state=0,
        callbacks=[Probe()],
    ).fit(X[:20], Y[:20])
    assert [b for b, _ in norms] == [0, 5] * 3
    assert all(n == 0.0 for b, n in norms if b == 0)
    assert all(n > 0.0 for b, n in norms if b == 5)


def test_state_survives_pickle_and_archive(stateful, tmp_path):
    stateful.reset_states().predict(X[40:50])  # a non-zero state
    restored = pickle.loads(pickle.dumps(stateful))
    path = tmp_path / "stateful.keras"
    save_estimator(stateful, path)
    loaded = load_estimator(path)
    expected = stateful.predict(X[50:])
    np.testing.assert_array_equal(restored.predict(X[50:]), expected)
    np.testing.assert_array_equal(loaded.predict(X[50:]), expected)


def test_batches_must_divide_the_samples():
    est = LSTMRegressor(units=2, epochs=1, batch_size=7, stateful=True)
    with pytest.raises(ValueError, match="not a multiple of it"):
        est.fit(X[:40], Y[:40])
    est = LSTMRegressor(units=2, epochs=1, batch_size=4, stateful=True).fit(
        X[:40], Y[:40]
    )
    with pytest.raises(ValueError, match="batch_size=4"):
        est.predict(X[:5])
    with pytest.raises(ValueError, match="validation_split"):
        LSTMRegressor(stateful=True, batch_size=1, validation_split=0.2).fit(X, Y)


def test_stateful_classifier():
    y = (Y > 0).astype(int)
    clf = LSTMClassifier(
        units=2, epochs=1, batch_size=4, stateful=True, random_state=0
    ).fit(X, y)
    assert clf.predict(X).shape == (60,)
