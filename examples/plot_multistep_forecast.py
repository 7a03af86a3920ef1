"""
Multi-step forecasts: a dense head or an encoder-decoder
========================================================

To forecast the next 12 months at once, a network reads a window of past
months and outputs 12 values. There are two usual ways to build it:

- a **dense multi-output head**: ``LSTM(units) -> Dense(12)``, one output unit
  per future month. :class:`~sklstm.LSTMRegressor` builds it when ``y`` has
  shape ``(n_samples, 12)``;
- an **encoder-decoder** (one-to-many): the encoder ``LSTM(units)`` sums the
  window up in one vector, ``RepeatVector(12)`` repeats it once per future
  month, a decoder ``LSTM(units, return_sequences=True)`` unrolls it and a
  ``TimeDistributed(Dense(1))`` reads a value off every decoder step.
  ``LSTMRegressor(decoder=True)`` builds it, for the same ``y``.

:func:`~sklstm.make_windows` with ``horizon=12`` makes the windows and their
12-month targets. Both networks are compared with the seasonal-naive forecast
(each month as it was a year before), step by step of the horizon.
"""

# %%
# A seasonal monthly series (generated)
# -------------------------------------
# Fifty years of a monthly series: a yearly and a half-yearly cycle on a level
# that drifts slowly, plus autocorrelated noise. The last ten years are kept
# for testing; the scaler learns from the first forty only.
import os

import matplotlib.pyplot as plt
import numpy as np
from sklearn.preprocessing import StandardScaler

from sklstm import LSTMRegressor, make_windows

FAST = os.environ.get("SKLSTM_FAST") == "1"
epochs = 3 if FAST else 40

rng = np.random.default_rng(0)
months = np.arange(600)
noise = np.zeros(months.size)
for t in range(1, months.size):
    noise[t] = 0.7 * noise[t - 1] + rng.normal(0, 0.5)
series = (
    10
    + 2 * np.sin(2 * np.pi * months / 120)
    + 3 * np.sin(2 * np.pi * months / 12)
    + 1.5 * np.sin(2 * np.pi * months / 6 + 1)
    + noise
)
n_train = 480
scaler = StandardScaler().fit(series[:n_train, np.newaxis])
scaled = scaler.transform(series[:, np.newaxis]).ravel()

# %%
# Windows with a 12-month horizon
# -------------------------------
# Each window holds 24 months; its target the 12 months that follow. The test
# windows are cut from the test years only.
horizon, window = 12, 24
X_train, y_train = make_windows(scaled[:n_train], window, horizon=horizon)
X_test, y_test = make_windows(scaled[n_train:], window, horizon=horizon)
print("X_train:", X_train.shape, " y_train:", y_train.shape)
print("X_test: ", X_test.shape, " y_test: ", y_test.shape)

# %%
# Two networks, one estimator
# ---------------------------
# The same hyper-parameters; only ``decoder`` differs.
params = {"units": 32, "epochs": epochs, "learning_rate": 0.005, "random_state": 0}
dense = LSTMRegressor(**params).fit(X_train, y_train)
encoder_decoder = LSTMRegressor(decoder=True, **params).fit(X_train, y_train)
print(
    "layers of the encoder-decoder:",
    [layer.__class__.__name__ for layer in encoder_decoder.model_.layers],
)


def to_units(values):
    """Undo the scaling."""
    return scaler.inverse_transform(values.reshape(-1, 1)).reshape(values.shape)


truth = to_units(y_test)
forecasts = {
    "seasonal naive": to_units(X_test[:, -12:, 0]),  # the same month a year ago
    "LSTM, dense head": to_units(dense.predict(X_test)),
    "LSTM, encoder-decoder": to_units(encoder_decoder.predict(X_test)),
}
print("predictions:", forecasts["LSTM, encoder-decoder"].shape)

# %%
# RMSE at each step of the horizon
# --------------------------------
rmse = {
    name: np.sqrt(((forecast - truth) ** 2).mean(axis=0))
    for name, forecast in forecasts.items()
}
print("step " + "".join(f"{name:>24s}" for name in rmse))
for step in range(horizon):
    print(f"{step + 1:4d} " + "".join(f"{r[step]:24.3f}" for r in rmse.values()))
print("mean " + "".join(f"{r.mean():24.3f}" for r in rmse.values()))

# %%
# Both networks beat the seasonal-naive forecast at every step, most clearly
# over the first months, where the recent noise still tells something about
# the future; further ahead only the seasonal pattern is left to forecast. On
# a series this short the two heads are within noise of each other: which one
# wins changes with the seed and the number of epochs. The encoder-decoder
# pays off on longer output sequences, and is the building block of sequence
# to sequence models.
steps = np.arange(1, horizon + 1)
fig, ax = plt.subplots(figsize=(6, 3.5))
for (name, r), marker in zip(rmse.items(), "sod", strict=True):
    ax.plot(steps, r, marker=marker, label=name)
ax.set_xlabel("months ahead")
ax.set_ylabel("test RMSE")
ax.set_xticks(steps)
ax.set_title("Error along the 12-month horizon")
ax.legend()
fig.tight_layout()

# %%
# Forecasts from three test windows
# ---------------------------------
fig, axes = plt.subplots(1, 3, figsize=(11, 3.2), sharey=True)
for ax, i in zip(axes, [0, 30, 60], strict=True):
    past = np.arange(-window, 0)
    ax.plot(past, to_units(X_test[i, :, 0]), color="0.5", label="window (input)")
    ax.plot(steps - 1, truth[i], "k-o", ms=3, label="actual")
    for name, style in zip(forecasts, [":", "--", "-"], strict=True):
        ax.plot(steps - 1, forecasts[name][i], style, label=name)
    ax.axvline(-0.5, color="0.8")
    ax.set_xlabel("month (0 = first forecast)")
    ax.set_title(f"test window {i}")
axes[0].legend(fontsize="small", loc="lower left")
fig.tight_layout()
plt.show()
