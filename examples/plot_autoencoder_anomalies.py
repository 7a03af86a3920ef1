"""
Anomaly scores from an LSTM autoencoder
=======================================

:class:`~sklstm.LSTMAutoencoder` learns to compress sequences into short code
vectors and to reconstruct them (encoder ``LSTM -> LSTM`` to a vector, a
``RepeatVector`` decoder back to the sequence). Sequences unlike the training
ones reconstruct badly: :meth:`~sklstm.LSTMAutoencoder.score_samples` turns
the reconstruction error into a scikit-learn style anomaly score (higher means
more normal), and :meth:`~sklstm.LSTMAutoencoder.transform` gives the codes
for any scikit-learn estimator to use.
"""

# %%
import os

import matplotlib.pyplot as plt
import numpy as np
from sklearn.metrics import roc_auc_score

from sklstm import LSTMAutoencoder

FAST = os.environ.get("SKLSTM_FAST") == "1"
epochs = 3 if FAST else 60

# %%
# Normal sequences, and a few with injected anomalies
# ---------------------------------------------------
# Each sequence is one period of a sine wave with a random amplitude, phase
# and noise. In the test set, one sequence in ten gets a spike or a level
# shift in a random place.
rng = np.random.RandomState(0)
n_steps = 24


def make_sequences(n):
    phase = rng.uniform(0, 2 * np.pi, size=(n, 1))
    amplitude = rng.uniform(0.8, 1.2, size=(n, 1))
    steps = np.linspace(0, 2 * np.pi, n_steps)[None, :]
    return amplitude * np.sin(steps + phase) + 0.05 * rng.normal(size=(n, n_steps))


X_train = make_sequences(400)[:, :, None]
X_test = make_sequences(200)[:, :, None]
is_anomaly = np.zeros(200, dtype=bool)
is_anomaly[rng.choice(200, size=20, replace=False)] = True
for i in np.flatnonzero(is_anomaly):
    start = rng.randint(0, n_steps - 4)
    if rng.uniform() < 0.5:
        X_test[i, start : start + 2, 0] += 1.5  # spike
    else:
        X_test[i, start:, 0] += 0.8  # level shift

# %%
# Fit on normal data, score the test set
# --------------------------------------
ae = LSTMAutoencoder(
    units=(16, 4), epochs=epochs, learning_rate=0.01, random_state=0
).fit(X_train)
scores = ae.score_samples(X_test)
print("codes:", ae.transform(X_test).shape)
print(f"ROC AUC of the anomaly score: {roc_auc_score(~is_anomaly, scores):.3f}")

# %%
# Scores and reconstructions
# --------------------------
fig, (ax0, ax1) = plt.subplots(1, 2, figsize=(10, 3.5))
ax0.hist(scores[~is_anomaly], bins=30, alpha=0.7, label="normal")
ax0.hist(scores[is_anomaly], bins=30, alpha=0.7, label="anomalous")
ax0.set_xlabel("score_samples (higher = more normal)")
ax0.legend()
worst = np.argmin(scores)
reconstruction = ae.inverse_transform(ae.transform(X_test[worst : worst + 1]))
ax1.plot(X_test[worst, :, 0], label="sequence")
ax1.plot(reconstruction[0, :, 0], label="reconstruction")
ax1.set_title("Least normal test sequence")
ax1.legend()
plt.tight_layout()
plt.show()
