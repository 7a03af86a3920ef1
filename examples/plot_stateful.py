"""
Stateful and stateless LSTMs
============================

A *stateless* LSTM starts every window from a blank state: all it knows about
the past is the ``sequence_length`` steps of its window. A *stateful* LSTM
(``stateful=True``) carries its cell state from one batch to the next, so that
each window is read in the context of the whole series before it. This is the
"stateful" recipe of the classic Keras tutorials: a fixed batch size, no
shuffling, and the state reset at the start of every epoch.

The rules sklstm follows are explicit:

* fit runs the samples in order, in batches of exactly ``batch_size``
  (the number of samples must be a multiple of it), and resets the state at
  the start of every epoch;
* after fit, the state is the one at the end of the training data, so
  ``predict`` on the following part of the series continues it;
* every ``predict`` call advances the state; ``reset_states()`` goes back to
  zeros;
* the state survives pickling and :func:`~sklstm.save_estimator`.

The first part reproduces the tutorial's own setup on the airline series; the
second shows, on a series made for it, what the state buys.
"""

# %%
import os

import matplotlib.pyplot as plt
import numpy as np
from sklearn.metrics import mean_squared_error
from sklearn.preprocessing import MinMaxScaler

from sklstm import LSTMRegressor, make_windows
from sklstm.datasets import load_airline

FAST = os.environ.get("SKLSTM_FAST") == "1"

# %%
# The tutorial's setup: airline passengers
# ----------------------------------------
# J. Brownlee's *Time Series Prediction with LSTM Recurrent Neural Networks in
# Python with Keras* ends with "LSTM with memory between batches": the airline
# series scaled to [0, 1], split 67/33, windows of ``look_back=3`` months,
# ``LSTM(4, stateful=True)`` with a batch size of 1, trained for 100 epochs
# one epoch at a time with ``shuffle=False`` and ``model.reset_states()``
# between epochs. It then resets the state, predicts the training windows,
# resets again and predicts the test windows. The version quoted here reports
# a train RMSE of 22.17 and a test RMSE of 51.76 passengers (thousands); the
# figures moved a little between the tutorial's revisions, as they do between
# seeds.
#
# With sklstm the loop and the resets are the estimator's job. The windows are
# cut from each part separately, as in the tutorial (which also drops each
# part's last window; :func:`~sklstm.make_windows` keeps it).
airline = load_airline().target.to_numpy(dtype=float)
n_months = int(len(airline) * 0.67)
scaler = MinMaxScaler()
scaled = scaler.fit_transform(airline.reshape(-1, 1)).ravel()
Xa_train, ya_train = make_windows(scaled[:n_months], sequence_length=3)
Xa_test, ya_test = make_windows(scaled[n_months:], sequence_length=3)


def passengers_rmse(y_scaled, y_pred):
    """RMSE in thousands of passengers, after inverting the scaling."""
    y_true = scaler.inverse_transform(np.reshape(y_scaled, (-1, 1)))
    y_hat = scaler.inverse_transform(np.reshape(y_pred, (-1, 1)))
    return float(np.sqrt(np.mean((y_true - y_hat) ** 2)))


# As in the airline example, sklstm runs 32 one-sample batches per call of
# the backend (``steps_per_execution="auto"``): the same updates in the same
# order, in about half the time.
tutorial_lstm = LSTMRegressor(
    units=4,
    epochs=5 if FAST else 100,
    batch_size=1,
    stateful=True,
    shuffle=False,
    random_state=0,
).fit(Xa_train, ya_train)

# The tutorial's protocol: each part predicted from a blank state.
tutorial_lstm.reset_states()
train_rmse = passengers_rmse(ya_train, tutorial_lstm.predict(Xa_train))
tutorial_lstm.reset_states()
test_pred_reset = tutorial_lstm.predict(Xa_test)
test_rmse = passengers_rmse(ya_test, test_pred_reset)
print(f"stateful, look_back=3: train RMSE {train_rmse:.2f}, test RMSE {test_rmse:.2f}")
print("tutorial:              train RMSE 22.17, test RMSE 51.76")

# %%
# sklstm's rule: the test months continue the state left by the training
# months. Resetting before the test part, as the tutorial does, throws that
# context away; here the state at the end of the replayed training months is
# carried into the test months.
tutorial_lstm.reset_states()
tutorial_lstm.predict(Xa_train)  # replay the training months
test_rmse_carried = passengers_rmse(ya_test, tutorial_lstm.predict(Xa_test))
print(f"stateful, state carried into the test part: test RMSE {test_rmse_carried:.2f}")

# %%
# Stateful and stateless on a series made for it
# ----------------------------------------------
# A sine wave read one step at a time is ambiguous: the same value occurs on
# the way up and on the way down. A window of one step cannot tell them apart;
# a state that remembers the previous steps can.
epochs = 3 if FAST else 60
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
