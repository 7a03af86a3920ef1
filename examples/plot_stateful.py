"""
Stateful and stateless LSTMs on the same series
===============================================

A *stateless* LSTM starts every window from a blank state: all it knows about
the past is the ``sequence_length`` steps of its window. A *stateful* LSTM
(``stateful=True``) carries its cell state from one batch to the next, so that
a single step of input is read in the context of the whole series before it.
This is the "stateful" recipe of the classic Keras tutorials: one step per
sample, ``batch_size=1``, no shuffling, the state reset at the start of every
epoch.

The rules sklstm follows are explicit:

* fit runs the samples in order, in batches of exactly ``batch_size``
  (the number of samples must be a multiple of it), and resets the state at
  the start of every epoch;
* after fit, the state is the one at the end of the training data, so
  ``predict`` on the following part of the series continues it;
* every ``predict`` call advances the state; ``reset_states()`` goes back to
  zeros;
* the state survives pickling and :func:`~sklstm.save_estimator`.
"""

# %%
import os

import matplotlib.pyplot as plt
import numpy as np
from sklearn.metrics import mean_squared_error

from sklstm import LSTMRegressor, make_windows

FAST = os.environ.get("SKLSTM_FAST") == "1"
epochs = 3 if FAST else 60

# %%
# A series whose next value depends on more than the last step
# -------------------------------------------------------------
# A sine wave read one step at a time is ambiguous: the same value occurs on
# the way up and on the way down. A window of one step cannot tell them apart;
# a state that remembers the previous steps can.
t = np.arange(241)
series = np.sin(t * 2 * np.pi / 24) + 0.05 * np.random.RandomState(0).normal(
    size=t.size
)
X, y = make_windows(series, sequence_length=1)  # X: (240, 1, 1), y: next value
n_train = 192
X_train, X_test, y_train, y_test = X[:n_train], X[n_train:], y[:n_train], y[n_train:]
print("X:", X.shape, " y:", y.shape)

# %%
# Fit both
# --------
params = {"units": 8, "epochs": epochs, "learning_rate": 0.01, "random_state": 0}
stateless = LSTMRegressor(batch_size=16, **params).fit(X_train, y_train)
stateful = LSTMRegressor(batch_size=1, stateful=True, shuffle=False, **params).fit(
    X_train, y_train
)

# %%
# Predict the test part
# ---------------------
# The stateful model continues from the state at the end of the training data.
# To score it on the training data too, reset its state and replay the
# training series, which leaves the state at the same place for the test part.
stateful_test = stateful.predict(X_test)
stateful.reset_states()
stateful_train = stateful.predict(X_train)

rows = {
    "stateless, window of 1": (stateless.predict(X_train), stateless.predict(X_test)),
    "stateful, window of 1": (stateful_train, stateful_test),
}
for name, (train_pred, test_pred) in rows.items():
    train_rmse = mean_squared_error(y_train, train_pred) ** 0.5
    test_rmse = mean_squared_error(y_test, test_pred) ** 0.5
    print(f"{name:24s} train RMSE {train_rmse:.3f}  test RMSE {test_rmse:.3f}")

# %%
# What each model sees
# --------------------
fig, ax = plt.subplots(figsize=(9, 3.5))
ax.plot(t[n_train + 1 :], y_test, color="black", label="actual")
ax.plot(t[n_train + 1 :], rows["stateless, window of 1"][1], label="stateless")
ax.plot(t[n_train + 1 :], stateful_test, label="stateful")
ax.set_xlabel("step")
ax.set_title("Next-step forecasts from one step of input")
ax.legend()
plt.tight_layout()
plt.show()
