"""
Forecasting airline passengers
==============================

The classic first LSTM recipe: scale the monthly airline passengers series to
[0, 1], cut it into look-back windows, fit ``LSTM(4) -> Dense(1)`` for 100
epochs with a batch size of 1, and report the train and test RMSE in
passengers. This example reproduces it with :class:`~sklstm.LSTMRegressor` and
:func:`~sklstm.make_windows`, then writes the same forecast as one
scikit-learn :class:`~sklearn.pipeline.Pipeline` in which the scaling and the
windowing are steps, so that the window length is tuned by
:class:`~sklearn.model_selection.GridSearchCV` instead of guessed.

The reference figures are those of J. Brownlee, *Time Series Prediction with
LSTM Recurrent Neural Networks in Python with Keras*.
"""

# %%
# The data
# --------
# 144 monthly totals of international airline passengers, in thousands, from
# 1949 to 1960. ``SKLSTM_FAST=1`` trains for a few epochs only, so that the
# documentation builds quickly; its figures are then meaningless.
import os

import matplotlib.pyplot as plt
import numpy as np
from sklearn.compose import TransformedTargetRegressor
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import MinMaxScaler

from sklstm import LSTMRegressor, SlidingWindowTransformer, make_windows
from sklstm.datasets import load_airline

FAST = os.environ.get("SKLSTM_FAST") == "1"
epochs = 5 if FAST else 100

series = load_airline().target
n_train = int(len(series) * 0.67)  # 96 months for training, 48 for testing
print(series.head(3))
print(f"{len(series)} months: {n_train} for training, {len(series) - n_train} to test")

# %%
# The tutorial, step by step
# --------------------------
# The tutorial scales the whole series (the test months included) to [0, 1],
# then cuts the train and the test part into windows separately: ``X[t]``
# holds the ``look_back`` values before month ``t`` and ``y[t]`` is month
# ``t``. :func:`~sklstm.make_windows` returns them with shape ``(samples, time
# steps, features)``: the time steps are the ``look_back`` past months, and
# there is one feature, the passengers. (It keeps the last window of each part,
# which the tutorial's ``create_dataset`` drops.)
#
# ``batch_size=1`` makes one weight update per window, as in the tutorial.
# Such tiny steps are dominated by the cost of calling the backend, so sklstm
# runs 32 of them per call (its ``steps_per_execution="auto"`` default, for
# small batches): the updates, and the predictions, are the same as one batch
# per call; only the running time changes (about halved).
scaler = MinMaxScaler()
scaled = scaler.fit_transform(series.to_frame()).ravel()
train, test = scaled[:n_train], scaled[n_train:]


def rmse_passengers(y_scaled, y_pred_scaled):
    """RMSE in thousands of passengers, after inverting the scaling."""
    y = scaler.inverse_transform(np.reshape(y_scaled, (-1, 1)))
    y_pred = scaler.inverse_transform(np.reshape(y_pred_scaled, (-1, 1)))
    return float(np.sqrt(np.mean((y - y_pred) ** 2)))


tutorial = {1: (22.9, 47.5), 3: (24.2, 58.0)}  # look_back: (train, test) RMSE
tutorial_predictions = {}
print("look_back  train RMSE (tutorial)  test RMSE (tutorial)")
for look_back, (train_ref, test_ref) in tutorial.items():
    X_train, y_train = make_windows(train, sequence_length=look_back)
    X_test, y_test = make_windows(test, sequence_length=look_back)
    lstm = LSTMRegressor(
        units=4,
        epochs=epochs,
        batch_size=1,
        random_state=0,
    ).fit(X_train, y_train)
    train_rmse = rmse_passengers(y_train, lstm.predict(X_train))
    test_rmse = rmse_passengers(y_test, lstm.predict(X_test))
    tutorial_predictions[look_back] = lstm.predict(X_test)
    print(
        f"{look_back:9d}  {train_rmse:10.1f} ({train_ref:4.1f})"
        f"  {test_rmse:13.1f} ({test_ref:4.1f})"
    )

# %%
# The shapes the network sees: ``(samples, time steps, features)``.
print("X_train:", X_train.shape, " y_train:", y_train.shape)

# %%
# The same forecast as a tuned pipeline
# -------------------------------------
# Two things in the recipe above are hard to get right by hand: the scaler saw
# the test months, and ``look_back`` was picked by trying two values against
# the test set. A :class:`~sklearn.pipeline.Pipeline` fixes both.
#
# - :class:`~sklearn.preprocessing.MinMaxScaler` is the first step, so each
#   cross-validation fold is scaled with its own training months only;
#   :class:`~sklearn.compose.TransformedTargetRegressor` scales ``y`` the same
#   way and inverts the predictions, so scores are in passengers.
# - :class:`~sklstm.SlidingWindowTransformer` turns month ``t`` into the window
#   of the ``sequence_length`` months that end at ``t``. The target is the
#   *next* month, ``series.shift(-1)``; the last month, which has no next
#   month, is dropped.
# - :class:`~sklearn.model_selection.GridSearchCV` with
#   :class:`~sklearn.model_selection.TimeSeriesSplit` picks ``sequence_length``
#   on the training months only, always validating on months after those it
#   trained on.
#
# The network is the tutorial's ``LSTM(4)``, trained for 30 epochs with a
# batch size of 8 and a learning rate of 0.01 instead of 100 epochs, 1 and
# 0.001: a similar fit, several times faster, which matters when it is fitted
# 10 times (3 window lengths times 3 folds, then a refit).
X = series.to_frame().iloc[:-1]  # passengers of month t ...
y = series.shift(-1).iloc[:-1]  # ... predict those of month t + 1

forecaster = TransformedTargetRegressor(
    regressor=Pipeline(
        [
            ("scale", MinMaxScaler()),
            ("window", SlidingWindowTransformer()),
            (
                "lstm",
                LSTMRegressor(
                    units=4,
                    epochs=5 if FAST else 30,
                    batch_size=8,
                    learning_rate=0.01,
                    random_state=0,
                ),
            ),
        ]
    ),
    transformer=MinMaxScaler(),
)
search = GridSearchCV(
    forecaster,
    {"regressor__window__sequence_length": [1, 3] if FAST else [1, 3, 12]},
    cv=TimeSeriesSplit(n_splits=3),
    scoring="neg_root_mean_squared_error",
)
search.fit(X.iloc[:n_train], y.iloc[:n_train])
print("best_params_:", search.best_params_)
lengths = search.cv_results_["param_regressor__window__sequence_length"]
cv_rmse = -search.cv_results_["mean_test_score"]
for length, score in zip(lengths, cv_rmse, strict=True):
    print(f"  sequence_length={length:2d}: cross-validated RMSE {score:5.1f}")

# %%
# A window transformer only sees the rows it is given: the first test months
# would be padded, not filled from the training months before them. To give
# them their real history, predict on all months and keep the test ones.
# ``search`` was refitted on all training months with the best window.
predicted = search.predict(X)
train_rmse = np.sqrt(np.mean((predicted[:n_train] - y.iloc[:n_train]) ** 2))
test_rmse = np.sqrt(np.mean((predicted[n_train:] - y.iloc[n_train:]) ** 2))
print(f"tuned pipeline: train RMSE {train_rmse:.1f}, test RMSE {test_rmse:.1f}")
print("tutorial, look_back=1: train RMSE 22.9, test RMSE 47.5")

# %%
# Actual against predicted passengers
# -----------------------------------
# Both models mostly follow the last observed month, one month late: with so
# little data, "next month looks like this month" is hard to beat, which is
# also why the shortest window wins the search. Both under-predict the test
# peaks, which lie above every month the scalers saw in training.
months = series.index.to_timestamp()
fig, ax = plt.subplots(figsize=(9, 4))
ax.plot(months, series, color="0.3", lw=2, label="actual")
ax.plot(
    months[n_train + 1 :],
    scaler.inverse_transform(tutorial_predictions[1].reshape(-1, 1)).ravel(),
    "--",
    label="tutorial recipe, look_back=1 (test)",
)
best = search.best_params_["regressor__window__sequence_length"]
ax.plot(
    months[1:], predicted, label=f"tuned pipeline, sequence_length={best}", alpha=0.8
)
ax.axvline(months[n_train], color="0.5", ls=":")
ax.text(months[n_train], series.max(), " test", va="top", color="0.4")
ax.set_ylabel("passengers (thousands)")
ax.set_title("Airline passengers: one-month-ahead LSTM forecasts")
ax.legend(loc="upper left")
fig.tight_layout()

# %%
# The cross-validated error of each window length, as chosen by the search.
fig, ax = plt.subplots(figsize=(5, 3))
ax.bar([str(length) for length in lengths], cv_rmse, color="tab:blue")
ax.set_xlabel("sequence_length (months)")
ax.set_ylabel("cross-validated RMSE")
ax.set_title("GridSearchCV over the window length")
fig.tight_layout()
plt.show()
