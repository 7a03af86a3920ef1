"""
Sequence labelling: a prediction at every time step
===================================================

Many-to-one networks read a sequence and give one output. Many-to-many
networks give an output at *every* step: in Keras, ``LSTM(units,
return_sequences=True)`` followed by ``TimeDistributed(Dense(k))``, with
outputs of shape ``(batch, steps, k)``. With sklstm it is enough to pass
per-step targets:

- :class:`~sklstm.LSTMRegressor` with ``y`` of shape ``(n_samples,
  n_timesteps, k)`` turns on per-step outputs by itself
  (``return_sequences="auto"``);
- :class:`~sklstm.LSTMClassifier` with ``return_sequences=True`` takes one
  label per step, ``y`` of shape ``(n_samples, n_timesteps)``, and its
  ``score`` is the accuracy over all steps.

The task: a noisy signal is observed step by step; label each step "above" or
"below" depending on whether the running sum of the signal so far is positive,
and estimate the running mean. Neither can be read from the current step
alone: the network has to carry the history in its state.
"""

# %%
# The data
# --------
import os

import matplotlib.pyplot as plt
import numpy as np
from sklearn.model_selection import train_test_split

from sklstm import LSTMClassifier, LSTMRegressor

FAST = os.environ.get("SKLSTM_FAST") == "1"
epochs = 3 if FAST else 30

rng = np.random.default_rng(0)
n_sequences, n_steps = 2000, 20
signal = rng.normal(0.0, 1.0, size=(n_sequences, n_steps))
running_sum = np.cumsum(signal, axis=1)
labels = np.where(running_sum > 0, "above", "below")  # (n_sequences, n_steps)
running_mean = running_sum / np.arange(1, n_steps + 1)  # (n_sequences, n_steps)

X_train, X_test, labels_train, labels_test, mean_train, mean_test = train_test_split(
    signal, labels, running_mean, test_size=0.25, random_state=0
)
print("X:", X_train.shape, "(sequences, time steps): one feature per step")
print("labels:", labels_train.shape, "one label per step, e.g.", labels_train[0, :5])

# %%
# Per-step labels with LSTMClassifier
# -----------------------------------
# ``return_sequences=True`` gives a sigmoid output at every step. A 2-D ``X``
# holds univariate sequences: one feature per step.
classifier = LSTMClassifier(
    units=16,
    return_sequences=True,
    epochs=epochs,
    batch_size=64,
    learning_rate=0.01,
    random_state=0,
).fit(X_train, labels_train)
predicted_labels = classifier.predict(X_test)
print("predicted labels:", predicted_labels.shape)

step_accuracy = (predicted_labels == labels_test).mean(axis=0)
naive = np.where(X_test > 0, "above", "below")  # the sign of the current value
lstm_accuracy = classifier.score(X_test, labels_test)
print(f"per-step accuracy, LSTM:                  {lstm_accuracy:.3f}")
print(f"per-step accuracy, sign of current value: {(naive == labels_test).mean():.3f}")

# %%
# Per-step values with LSTMRegressor
# ----------------------------------
# A 3-D ``y`` of shape ``(n_samples, n_timesteps, 1)`` is a sequence of
# targets, so the regressor gives one output per step without being told.
regressor = LSTMRegressor(
    units=16, epochs=epochs, batch_size=64, learning_rate=0.01, random_state=0
).fit(X_train, mean_train[:, :, np.newaxis])
predicted_mean = regressor.predict(X_test)[:, :, 0]
print("predicted running means:", regressor.predict(X_test).shape)
print(f"R² over all steps: {regressor.score(X_test, mean_test[:, :, np.newaxis]):.3f}")
step_rmse = np.sqrt(((predicted_mean - mean_test) ** 2).mean(axis=0))

# %%
# One test sequence, step by step
# -------------------------------
# The bars are the signal; the line its running sum, whose sign is the label.
# The dots are the classifier's probability of "above" at each step, read off
# the whole history up to that step (the column of ``predict_proba`` of the
# class "above").
i = 3
above = list(classifier.classes_).index("above")
proba_above = classifier.predict_proba(X_test[i : i + 1])[0, :, above]
steps = np.arange(1, n_steps + 1)
fig, (ax_sum, ax_proba) = plt.subplots(2, 1, figsize=(8, 5), sharex=True)
ax_sum.bar(steps, X_test[i], color="0.75", label="signal")
ax_sum.plot(steps, np.cumsum(X_test[i]), "k-o", label="running sum")
ax_sum.plot(steps, mean_test[i], "-", color="tab:green", label="running mean")
ax_sum.plot(steps, predicted_mean[i], "--", color="tab:green", label="predicted mean")
ax_sum.axhline(0, color="0.4", lw=0.8)
ax_sum.legend(fontsize="small", ncol=4, loc="best")
ax_sum.set_title("One sequence: a label and a value at every step")
true_above = labels_test[i] == "above"
ax_proba.step(steps, true_above, where="mid", color="k", label='true label ("above"=1)')
ax_proba.plot(steps, proba_above, "o", color="tab:orange", label='P("above")')
ax_proba.axhline(0.5, color="0.6", ls=":")
ax_proba.set_xlabel("time step")
ax_proba.set_ylim(-0.1, 1.1)
ax_proba.legend(fontsize="small", loc="center right")
fig.tight_layout()

# %%
# Accuracy and error by time step
# -------------------------------
# The sign of the current value is right at the first step only, where it is
# the running sum; after that only a memory of the past steps helps. The
# running mean is hardest at the first step, where it is the raw value itself
# and spans the widest range.
fig, (ax_acc, ax_err) = plt.subplots(1, 2, figsize=(9, 3))
ax_acc.plot(steps, step_accuracy, "o-", label="LSTM")
ax_acc.plot(steps, (naive == labels_test).mean(axis=0), "s--", label="sign of value")
ax_acc.set_xlabel("time step")
ax_acc.set_ylabel("accuracy")
ax_acc.legend()
ax_err.plot(steps, step_rmse, "o-", color="tab:green")
ax_err.set_xlabel("time step")
ax_err.set_ylabel("RMSE of the running mean")
fig.tight_layout()
plt.show()
