"""
Training curves and forecast plots
==================================

Two plots answer the first questions about a fitted recurrent network: did it
train well (:class:`~sklstm.plotting.HistoryDisplay`, the loss per epoch on
the training and the validation data), and how do its forecasts follow the
series (:class:`~sklstm.plotting.ForecastDisplay`, actual values and
forecasts over time, the training part shaded)? Both are scikit-learn
Display objects: build them with ``from_estimator`` or ``from_predictions``
and keep drawing on their ``ax_``.

The network here forecasts the monthly airline passengers 1 to 3 months
ahead at once (direct multi-step forecasting), stopping early when the
validation loss no longer improves.
"""

# %%
# The data
# --------
# 144 monthly totals, in thousands. The log turns the growing seasonal swings
# into constant ones; the scaler is fitted on the training years only. Each
# window holds 12 months and its target the 3 months that follow.
# ``SKLSTM_FAST=1`` trains for a few epochs only, for a quick documentation
# build; its figures are then meaningless.
import os

import matplotlib.pyplot as plt
import numpy as np
from sklearn.preprocessing import StandardScaler

from sklstm import LSTMRegressor, make_windows
from sklstm.datasets import load_airline
from sklstm.plotting import ForecastDisplay, HistoryDisplay

FAST = os.environ.get("SKLSTM_FAST") == "1"

series = load_airline().target
n_train = 108  # 1949-1957 to train, 1958-1960 to test
look_back, horizon = 12, 3

scaler = StandardScaler().fit(np.log(series.iloc[:n_train]).to_frame())
scaled = scaler.transform(np.log(series).to_frame()).ravel()
X, Y = make_windows(scaled, sequence_length=look_back, horizon=horizon)
# window i forecasts months look_back + i, ..., look_back + i + horizon - 1;
# a training window's targets all fall before month n_train
n_train_windows = n_train - look_back - horizon + 1
print(f"windows {X.shape}, targets {Y.shape}, {n_train_windows} to train")

# %%
# Training with a validation split and early stopping
# ---------------------------------------------------
# ``validation_split=0.2`` holds out the last fifth of the training windows,
# the most recent months (Keras takes the split before shuffling), and
# ``early_stopping=True`` stops when their loss has not improved for
# ``patience`` epochs, restoring the best weights. The network kept here is
# the early-stopped one; ``refit=True`` (what ``validation_split="auto"``
# does by default) would then train a new one on every window for the best
# number of epochs and keep these curves in ``validation_history_``.
regressor = LSTMRegressor(
    units=16,
    epochs=5 if FAST else 400,
    learning_rate=0.01,
    batch_size=16,
    validation_split=0.2,
    early_stopping=True,
    patience=30,
    metrics=["mae"],
    random_state=0,
)
regressor.fit(X[:n_train_windows], Y[:n_train_windows])
best_epoch = int(np.argmin(regressor.history_["val_loss"])) + 1
print(f"trained {regressor.n_iter_} epochs; best validation loss at {best_epoch}")

# %%
# The training history
# --------------------
# One axes per metric: ``metrics="all"`` draws the loss (the mean squared
# error) and the mean absolute error recorded by ``metrics=["mae"]``; the
# default is the loss only. The validation curve is dashed. The display's
# axes are ordinary matplotlib axes: here we mark the epoch whose weights
# early stopping restored.
history = HistoryDisplay.from_estimator(regressor, metrics="all")
for ax in history.ax_:
    ax.axvline(best_epoch, color="0.4", linestyle=":", label="restored")
    ax.set_yscale("log")
    ax.legend()
history.figure_.tight_layout()

# %%
# Forecasts against the series
# ----------------------------
# The predictions of all windows, training and test, back in passengers. A
# 2-D forecast of shape ``(n_windows, horizon)`` gives one line per horizon:
# ``h=3`` is the forecast made three months before the month it forecasts.
# A dict draws several forecasts: here with a seasonal naive baseline, the
# value of the same month a year before. Given a Series ``y_true``, the
# training part is named by its first test month.
predicted = scaler.inverse_transform(regressor.predict(X).reshape(-1, 1))
predicted = np.exp(predicted).reshape(-1, horizon)
actual = series.iloc[look_back:]  # the months that the windows forecast
naive = series.shift(12).iloc[look_back:]

forecast = ForecastDisplay.from_predictions(
    actual,
    {"LSTM": predicted, "same month last year": naive},
    train_end=series.index[n_train],
    horizons=[1, 3],
)
forecast.ax_.set_title("Airline passengers, forecast 1 and 3 months ahead")
forecast.figure_.tight_layout()

test = slice(n_train - look_back, None)
for name, values in [
    ("LSTM h=1", forecast.lines_["LSTM (h=1)"].get_ydata()),
    ("LSTM h=3", forecast.lines_["LSTM (h=3)"].get_ydata()),
    ("seasonal naive", naive.to_numpy()),
]:
    rmse = np.sqrt(np.nanmean((values[test] - actual.to_numpy()[test]) ** 2))
    print(f"test RMSE {name:>15}: {rmse:6.1f} thousand passengers")

# %%
# The plot shows what the error figures only hint at. In the test years the
# passengers climb above anything seen in training, and the network, which
# reads and predicts levels, does not extrapolate the trend: its 3-month
# forecasts flatten out, and the seasonal naive forecast wins. Modelling the
# change from a year before (``log s[t] - log s[t - 12]``) instead of the
# level is the usual remedy.

# %%
# Straight from the estimator
# ---------------------------
# ``from_estimator`` predicts the windows itself and plots in the model's
# units (here the scaled log series), on a time axis of positions: position
# ``p`` is the first month that window ``p`` forecasts, so the first test
# month, ``n_train``, is at position ``n_train - look_back``.
ForecastDisplay.from_estimator(
    regressor, X, Y, train_end=n_train - look_back, horizons=[1]
).figure_.tight_layout()
plt.show()
