"""
Forecasting airline passengers
==============================

The classic first LSTM recipe forecasts the monthly airline passengers one
month ahead: the first 67 % of the months train, and each remaining month is
forecast from its true history. This example puts four forecasts of the same
test months side by side:

- the **seasonal naive** forecast (the same month a year earlier), the
  baseline any forecast must beat;
- **Holt-Winters** exponential smoothing (statsmodels), the classical model
  for a trending, seasonal series;
- the **tutorial's LSTM**: ``LSTM(4)`` on look-back-1 windows of the series
  scaled to [0, 1], 100 epochs with a batch size of 1 (J. Brownlee, *Time
  Series Prediction with LSTM Recurrent Neural Networks in Python with Keras*);
- **sklstm with its defaults**: two lines of pipeline.
"""

# %%
# The data and the split
# ----------------------
# 144 monthly totals of international airline passengers, in thousands, from
# 1949 to 1960: 96 months train, 48 are forecast. ``X`` holds month ``t`` and
# ``y_next`` month ``t + 1``; the forecasts of the test months are made from
# windows that end in their true history, the last training months included.
import matplotlib.pyplot as plt
import numpy as np
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import MinMaxScaler

from sklstm import LSTMRegressor, SlidingWindowTransformer, make_windows
from sklstm.datasets import load_airline

series = load_airline().target.to_numpy(dtype=float)
n_train = int(len(series) * 0.67)  # 96 months
X, y_next = series[:-1].reshape(-1, 1), series[1:]
actual = series[n_train:]


def rmse(pred):
    return float(np.sqrt(np.mean((pred - actual) ** 2)))


forecasts = {}

# %%
# sklstm with its defaults
# ------------------------
# Windows of two years, and the regressor as it comes. Its defaults make each
# window relative to its last month, on logarithms for a positive series
# (``window_normalization="auto"`` chooses ``"log"`` here), add a linear
# autoregression of the window beside the LSTM, started at the ridge
# regression of the training windows, average the trained network's forecast
# with that ridge regression's, and standardise inside the network, so
# the raw passenger counts go in and come out (:ref:`normalization`).
model = make_pipeline(
    SlidingWindowTransformer(sequence_length=24), LSTMRegressor(random_state=0)
)
model.fit(X[: n_train - 1], y_next[: n_train - 1])
forecasts["sklstm defaults"] = model.predict(X)[n_train - 1 :]
print("window_normalization_:", model[-1].window_normalization_)
print(f"test RMSE: {rmse(forecasts['sklstm defaults']):.1f}")

# %%
# The seasonal naive forecast and Holt-Winters
# --------------------------------------------
# Holt-Winters (additive trend, multiplicative season) is fitted on the
# training months, then run over the test months with its fitted parameters,
# updated by each true month in turn: one-step forecasts, like the others.
forecasts["seasonal naive"] = series[n_train - 12 : -12]
try:
    from statsmodels.tsa.holtwinters import ExponentialSmoothing
except ImportError:  # statsmodels is in the dev and docs extras
    print("statsmodels is not installed: no Holt-Winters forecast")
else:
    spec = {"trend": "add", "seasonal": "mul", "seasonal_periods": 12}
    fitted = ExponentialSmoothing(series[:n_train], **spec).fit().params
    rerun = ExponentialSmoothing(
        series,
        **spec,
        initialization_method="known",
        initial_level=fitted["initial_level"],
        initial_trend=fitted["initial_trend"],
        initial_seasonal=fitted["initial_seasons"],
    ).fit(
        smoothing_level=fitted["smoothing_level"],
        smoothing_trend=fitted["smoothing_trend"],
        smoothing_seasonal=fitted["smoothing_seasonal"],
        optimized=False,
    )
    forecasts["Holt-Winters"] = np.asarray(rerun.fittedvalues)[n_train:]

# %%
# The tutorial's LSTM
# -------------------
# As the tutorial writes it: the whole series scaled to [0, 1], look-back-1
# windows, ``LSTM(4)``, Adam at Keras' default learning rate, 100 epochs of
# batch size 1; sklstm's own aids switched off.
scaler = MinMaxScaler()
scaled = scaler.fit_transform(series.reshape(-1, 1)).ravel()
X_train, y_train = make_windows(scaled[:n_train], sequence_length=1)
tutorial = LSTMRegressor(
    units=4,
    epochs=100,
    batch_size=1,
    learning_rate=0.001,
    normalize=False,
    window_normalization=None,
    random_state=0,
).fit(X_train, y_train)
windows = scaled[n_train - 1 : -1].reshape(-1, 1, 1)  # the month before each
forecasts["tutorial LSTM"] = scaler.inverse_transform(
    tutorial.predict(windows).reshape(-1, 1)
).ravel()

# %%
# Side by side
# ------------
# RMSE in thousands of passengers over the 48 test months, and MASE: the mean
# absolute error over that of the seasonal naive forecast on the training
# months (below 1 beats it).
scale = np.mean(np.abs(series[12:n_train] - series[: n_train - 12]))
print(f"{'method':18s} {'RMSE':>6s} {'MASE':>6s}")
for name, pred in sorted(forecasts.items(), key=lambda item: rmse(item[1])):
    mase = np.mean(np.abs(pred - actual)) / scale
    print(f"{name:18s} {rmse(pred):6.1f} {mase:6.2f}")

# %%
# Actual against forecast passengers
# ----------------------------------
months = load_airline().target.index.to_timestamp()
fig, ax = plt.subplots(figsize=(9, 4))
ax.plot(months, series, color="0.3", lw=2, label="actual")
for name, pred in forecasts.items():
    ax.plot(months[n_train:], pred, label=f"{name} (RMSE {rmse(pred):.1f})")
ax.axvline(months[n_train], color="0.5", ls=":")
ax.text(months[n_train], series.max(), " test", va="top", color="0.4")
ax.set_ylabel("passengers (thousands)")
ax.set_title("Airline passengers: one-month-ahead forecasts")
ax.legend(loc="upper left")
fig.tight_layout()

# %%
# What makes the difference
# -------------------------
# The tutorial's network sees levels scaled to [0, 1] over the whole series,
# and the test months lie above every training month: it can only repeat the
# last month, late. sklstm's network sees each window relative to its last
# month, on logarithms: the seasonal pattern then looks the same every year,
# whatever the level, and the forecast goes back to passengers at the end.
# The network starts as a linear autoregression of those windows (most of the
# seasonal pattern), the LSTM learns what that misses, and the forecast is
# the average of the trained network and that linear autoregression. The
# grid search over the window length, the scaling of ``y`` and the choice of
# windows are covered in :ref:`windows`.
