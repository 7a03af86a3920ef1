"""
Several measured quantities per time step
=========================================

A recurrent network reads 3-D input ``(samples, time steps, features)``. The
question users ask most is which axis is which. Here the pressure and the
temperature of a few gas tanks are logged every hour, and the task is to
predict each tank's pressure in the next hour from its last 5 hours. So:

- **time steps** = the length of the window: 5 hourly readings;
- **features** = the quantities measured at each step: pressure and
  temperature, 2;
- **samples** = the windows: one per tank and starting hour.

The input has shape ``(n_windows, 5, 2)``. :func:`~sklstm.make_windows` cuts
it from a table of hourly rows, with ``target="pressure"`` naming the column
to predict, and :class:`~sklstm.LSTMRegressor` takes it as it is.
"""

# %%
# Hourly readings of four tanks (generated)
# -----------------------------------------
# The temperature follows the day and the weather; the pressure follows the
# temperature an hour later (the gas warms up slowly), around a level that
# differs from tank to tank. So the temperature now says something about the
# pressure next hour that the pressure history alone does not.
import os

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from sklearn.compose import TransformedTargetRegressor
from sklearn.metrics import root_mean_squared_error
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sklstm import LSTMRegressor, StepwiseTransformer, make_windows

FAST = os.environ.get("SKLSTM_FAST") == "1"
epochs = 3 if FAST else 30

rng = np.random.default_rng(0)
n_tanks, n_hours = 4, 24 * 30
hours = np.arange(n_hours)


def simulate_tank(level):
    weather = np.zeros(n_hours)
    for t in range(1, n_hours):
        weather[t] = 0.95 * weather[t - 1] + rng.normal(0, 0.8)
    temperature = 20 + 6 * np.sin(2 * np.pi * (hours - 9) / 24) + weather
    pressure = np.full(n_hours, level)
    for t in range(1, n_hours):
        pressure[t] = (
            0.6 * pressure[t - 1]
            + 0.4 * (level + 0.5 * (temperature[t - 1] - 20))
            + rng.normal(0, 0.15)
        )
    return pd.DataFrame({"pressure": pressure, "temperature": temperature})


tanks = [simulate_tank(level) for level in rng.uniform(100, 110, size=n_tanks)]
print(tanks[0].head())

# %%
# Windows: time steps and features
# --------------------------------
# Each tank is cut into windows of 5 hours; the first 80 % of its hours are
# for training, the rest for testing, so that no test hour is seen in
# training. The windows of the tanks are then stacked: a window from any tank
# is a sample.
n_train = int(0.8 * n_hours)
parts = {"train": [], "test": []}
for frame in tanks:
    parts["train"].append(make_windows(frame[:n_train], 5, target="pressure"))
    parts["test"].append(make_windows(frame[n_train:], 5, target="pressure"))
X_train, y_train = (np.concatenate(a) for a in zip(*parts["train"], strict=True))
X_test, y_test = (np.concatenate(a) for a in zip(*parts["test"], strict=True))
print("X_train:", X_train.shape, "(samples, time steps, features)")
print("y_train:", y_train.shape, "(the pressure in the hour after each window)")
print("the first window, one row per time step:")
print(pd.DataFrame(X_train[0], columns=tanks[0].columns).round(2))
print("its target:", round(y_train[0], 2), "=", round(tanks[0].pressure[5], 2))

# %%
# Fit and score
# -------------
# The features have different units, so each is standardised with
# :class:`~sklstm.StepwiseTransformer`, which fits one
# :class:`~sklearn.preprocessing.StandardScaler` on all the time steps of the
# training windows; the pressure target is standardised too, with
# :class:`~sklearn.compose.TransformedTargetRegressor`, and predictions come
# back in kPa. To see what the temperature brings, the same model is also
# fitted on the pressure feature only, ``X[..., :1]``, and both are compared
# with repeating the last pressure.


def make_model():
    return TransformedTargetRegressor(
        regressor=make_pipeline(
            StepwiseTransformer(StandardScaler()),
            LSTMRegressor(
                units=16,
                epochs=epochs,
                batch_size=64,
                learning_rate=0.01,
                random_state=0,
            ),
        ),
        transformer=StandardScaler(),
    )


both = make_model().fit(X_train, y_train)
pressure_only = make_model().fit(X_train[..., :1], y_train)

predictions = {
    "last pressure (persistence)": X_test[:, -1, 0],
    "LSTM, pressure only (N, 5, 1)": pressure_only.predict(X_test[..., :1]),
    "LSTM, pressure and temperature (N, 5, 2)": both.predict(X_test),
}
for name, y_pred in predictions.items():
    print(f"{name:42s} test RMSE {root_mean_squared_error(y_test, y_pred):.3f} kPa")
print(f"R² of the 2-feature model: {both.score(X_test, y_test):.3f}")

# %%
# Next-hour pressure of one tank
# ------------------------------
# Three test days of the first tank. The pressure-only model and the
# persistence forecast lag the turns of the pressure, which the temperature
# announces an hour earlier.
n_test_windows = len(tanks[0]) - n_train - 5
show = slice(0, 72)
first_tank = slice(0, n_test_windows)
test_hours = hours[n_train + 5 :][show]

fig, (ax_t, ax_p) = plt.subplots(2, 1, figsize=(9, 5), sharex=True)
ax_t.plot(test_hours, tanks[0].temperature[n_train + 5 :][show], color="tab:red")
ax_t.set_ylabel("temperature (°C)")
ax_p.plot(test_hours, y_test[first_tank][show], color="0.2", lw=2, label="actual")
for (name, y_pred), style in zip(predictions.items(), [":", "--", "-"], strict=True):
    ax_p.plot(test_hours, y_pred[first_tank][show], style, label=name)
ax_p.set_ylabel("pressure (kPa)")
ax_p.set_xlabel("hour")
ax_p.legend(fontsize="small", loc="upper left", ncol=2)
ax_t.set_title("Tank 1: next-hour pressure forecasts")
fig.tight_layout()
plt.show()
