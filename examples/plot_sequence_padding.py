"""
Padding variable-length sequences
=================================

Recordings, sessions or sentences rarely have the same length, but a batch fed
to a recurrent network is one 3-D array. :class:`~sklstm.SequencePadder` pads
(and truncates) sequences to one length, like Keras' ``pad_sequences``, but
learns that length in ``fit`` so that test sequences get the training shape.
"""

# %%
# Sequences of different lengths
# ------------------------------
# Ten random walks with two features and 4 to 15 steps each.
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from sklearn.preprocessing import MinMaxScaler

from sklstm import SequencePadder

rng = np.random.default_rng(0)
lengths = rng.integers(4, 16, size=10)
sequences = [np.cumsum(rng.normal(size=(n, 2)), axis=0) for n in lengths]
print("lengths:", lengths.tolist())

padder = SequencePadder().fit(sequences)
X = padder.transform(sequences)
print("maxlen_ learned in fit:", padder.maxlen_)
print("padded batch:", X.shape, X.dtype)

# %%
# Test sequences longer than ``maxlen_`` are truncated (``truncating="pre"``
# keeps their end, the most recent steps), shorter ones are padded.
long_test = np.cumsum(rng.normal(size=(30, 2)), axis=0)
print("a 30-step test sequence ->", padder.transform([long_test]).shape)

# %%
# Why NaN and not 0.0
# -------------------
# Keras pads with ``0.0``. After min-max scaling, however, ``0.0`` is a real
# value: the minimum of every feature. A model masking zeros would then drop
# real time steps. sklstm pads with NaN, and its estimators mask a step whose
# features are all NaN. (``value=0.0`` with the estimator's ``mask_value=0.0``
# gives Keras' convention, if the data can never be exactly zero.)
first_feature = [seq[:, :1] for seq in sequences]  # univariate sequences
scaler = MinMaxScaler().fit(np.concatenate(first_feature))
n_zero = sum(int((scaler.transform(seq) == 0.0).sum()) for seq in first_feature)
print("real steps scaled to exactly 0.0, masked by mistake with value=0.0:", n_zero)

# %%
# Where the padding goes
# ----------------------
# ``padding="pre"`` (the default, as in Keras) puts the padding first, so the
# last real step is at the end of every row; ``padding="post"`` puts it last.
# The images show the first feature; white cells are NaN padding.
fig, axes = plt.subplots(1, 2, figsize=(9, 3.5), sharey=True)
for ax, padding in zip(axes, ["pre", "post"], strict=True):
    padded = SequencePadder(padding=padding).fit_transform(sequences)
    ax.imshow(padded[..., 0], aspect="auto", cmap="coolwarm")
    ax.set_title(f'padding="{padding}"')
    ax.set_xlabel("time step")
axes[0].set_ylabel("sequence")
fig.tight_layout()

# %%
# Removing the padding
# --------------------
# ``inverse_transform`` gives each sequence back with its own length (it cannot
# restore steps that were truncated).
restored = padder.inverse_transform(X)
print("restored lengths:", [len(seq) for seq in restored])
print(
    "identical to the input:",
    all(np.array_equal(a, b) for a, b in zip(sequences, restored, strict=True)),
)

# %%
# Long-format tables
# ------------------
# Data often comes as one row per time step, with a column naming the sequence
# and one ordering it. Name them with ``id_column`` and ``time_column``; the other
# columns are the features. Output rows follow the order in which the ids first
# appear.
long = pd.DataFrame(
    {
        "patient": ["p2", "p1", "p2", "p1", "p2", "p3"],
        "hour": [2, 1, 1, 2, 3, 1],
        "pulse": [71.0, 60.0, 70.0, 61.0, 72.0, 80.0],
        "temp": [37.1, 36.0, 37.0, 36.1, 37.2, 38.0],
    }
)
long_padder = SequencePadder(id_column="patient", time_column="hour")
batch = long_padder.fit_transform(long)
print(
    "ids:",
    long["patient"].unique().tolist(),
    "features:",
    long_padder.feature_names_in_.tolist(),
)
print(batch)
plt.show()
