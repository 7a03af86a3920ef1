"""
Sliding windows
===============

A recurrent network reads sequences of shape ``(n_samples, n_timesteps,
n_features)``, but a time series usually arrives as one table of time-ordered
rows. This example turns such a table into windows of past rows with
:class:`~sklstm.SlidingWindowTransformer` (one window per row, for pipelines)
and :func:`~sklstm.make_windows` (windows and the values that follow them),
and shows how to set up the target and the cross-validation honestly.
"""

# %%
# A small multivariate series
# ---------------------------
# Two features observed hourly: a daily cycle with a trend, and a temperature.
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from sklearn.model_selection import TimeSeriesSplit

from sklstm import SlidingWindowTransformer, make_windows

rng = np.random.default_rng(0)
hours = pd.date_range("2024-01-01", periods=96, freq="h")
t = np.arange(len(hours))
frame = pd.DataFrame(
    {
        "load": 10
        + 0.05 * t
        + 3 * np.sin(2 * np.pi * t / 24)
        + rng.normal(0, 0.3, t.size),
        "temp": 15 + 5 * np.sin(2 * np.pi * (t - 6) / 24) + rng.normal(0, 0.5, t.size),
    },
    index=hours,
)
print(frame.head())

# %%
# One window per row
# ------------------
# Row ``t`` of the output holds rows ``t - sequence_length + 1``, ..., ``t``.
# The row count is kept, so a target indexed like ``frame`` stays aligned in a
# pipeline. The first rows lack history: their missing steps are NaN, which
# the sklstm estimators mask (``0.0`` would be a real value after scaling).
windows = SlidingWindowTransformer(sequence_length=6).fit_transform(frame)
print("input:", frame.shape, "-> windows:", windows.shape)
print("window of row 2 (first steps are padding):")
print(windows[2])

# %%
# Predicting the next value
# -------------------------
# The window of row ``t`` ends at row ``t``. To learn the *next* load, shift the
# target back by one and drop the last row, which has no next value.
y = frame["load"].shift(-1).iloc[:-1]
X = frame.iloc[:-1]
windows = SlidingWindowTransformer(sequence_length=6).fit_transform(X)
print("windows:", windows.shape, " y:", y.shape)
print(
    f"window 10 ends with load {windows[10, -1, 0]:.3f} (row 10); its target "
    f"{y.iloc[10]:.3f} is the load of row 11: {frame['load'].iloc[11]:.3f}"
)

# %%
# Cross-validation in time order
# ------------------------------
# Neighbouring windows share rows, so a shuffled split would leak test rows into
# training. :class:`~sklearn.model_selection.TimeSeriesSplit` keeps the order.
# Note that ``transform`` only sees the rows it is given: the first rows of a
# test fold are padded. To give them their real history, window the whole
# series once and slice it.
all_windows = SlidingWindowTransformer(sequence_length=6).fit_transform(X)
for fold, (train, test) in enumerate(TimeSeriesSplit(n_splits=3).split(X)):
    alone = SlidingWindowTransformer(6).fit(X.iloc[train]).transform(X.iloc[test])
    padded_steps = np.isnan(alone[:, :, 0]).sum()
    with_history = all_windows[test]
    print(
        f"fold {fold}: train {len(train)} rows, test {len(test)} rows; "
        f"padded steps if transformed alone: {padded_steps}, "
        f"with history: {np.isnan(with_history[:, :, 0]).sum()}"
    )

# %%
# Windows and multi-step targets with ``make_windows``
# ----------------------------------------------------
# For a fixed data set, :func:`~sklstm.make_windows` returns the windows and the
# ``horizon`` values that follow each one (direct multi-step forecasting).
# ``sequence_stride`` skips rows between window starts.
Xw, yw = make_windows(
    frame, sequence_length=24, horizon=6, sequence_stride=2, target="load"
)
print("make_windows ->", Xw.shape, yw.shape)

# %%
# Plot one window and the values it should predict.
i = 10
start = i * 2
fig, ax = plt.subplots(figsize=(8, 3.5))
ax.plot(frame.index, frame["load"], color="0.7", label="load")
ax.plot(frame.index[start : start + 24], Xw[i, :, 0], lw=2.5, label="window (input)")
ax.plot(
    frame.index[start + 24 : start + 30],
    yw[i],
    "o",
    color="tab:red",
    label="next 6 values (target)",
)
ax.set_title("make_windows: one window and its horizon")
ax.legend(loc="upper left")
fig.autofmt_xdate()
fig.tight_layout()

# %%
# The windows as an image: each row of the image is one window of the
# transformer's output; the white triangle at the top is the NaN padding of the
# first rows.
windows_load = SlidingWindowTransformer(sequence_length=12).fit_transform(frame)[..., 0]
fig, ax = plt.subplots(figsize=(5, 4))
image = ax.imshow(windows_load[:30], aspect="auto", cmap="viridis")
ax.set_xlabel("step in window (oldest to newest)")
ax.set_ylabel("row t")
ax.set_title("SlidingWindowTransformer(12), load")
fig.colorbar(image, ax=ax)
fig.tight_layout()
plt.show()
