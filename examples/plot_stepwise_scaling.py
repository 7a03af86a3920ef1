"""
Scaling the features of padded sequences
========================================

scikit-learn's scalers expect 2-D data ``(n_samples, n_features)``. Sequences
are 3-D ``(n_samples, n_timesteps, n_features)``, and a feature should be scaled
with the same statistics at every time step, ignoring padding.
:class:`~sklstm.StepwiseTransformer` does this for any 2-D transformer: it fits
a clone on all the real time steps of the training sequences and transforms
each step alike, leaving padded steps (all NaN) untouched.
:class:`~sklstm.ChannelsFirstTransformer` converts the channels-first layout of
sktime and aeon into the one Keras expects.
"""

# %%
# Padded sequences with two features on very different scales
# -----------------------------------------------------------
import matplotlib.pyplot as plt
import numpy as np
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import MinMaxScaler, StandardScaler

from sklstm import ChannelsFirstTransformer, SequencePadder, StepwiseTransformer

rng = np.random.default_rng(0)
lengths = rng.integers(5, 20, size=40)
sequences = [
    np.column_stack(
        [
            1000 + 50 * np.cumsum(rng.normal(size=n)),  # e.g. a price
            0.01 * rng.normal(size=n),  # e.g. a return
        ]
    )
    for n in lengths
]
padder = SequencePadder()
X = padder.fit_transform(sequences)
print("padded:", X.shape, " padded steps:", int(np.isnan(X[..., 0]).sum()))

# %%
# Scale each feature over all real time steps
# -------------------------------------------
scaler = StepwiseTransformer(StandardScaler()).fit(X)
X_scaled = scaler.transform(X)
print("means learned per feature:", scaler.transformer_.mean_.round(3))
real = ~np.isnan(X_scaled).all(axis=-1)
print("after scaling, mean per feature:", X_scaled[real].mean(axis=0).round(6))
print("after scaling, std per feature: ", X_scaled[real].std(axis=0).round(6))
print("padding kept:", np.array_equal(np.isnan(X_scaled), np.isnan(X)))

# %%
# What goes wrong with zeros as padding
# -------------------------------------
# Had the sequences been padded with 0.0 and scaled as they are, the padding
# would enter the statistics: the minimum of a min-max scaler would become 0,
# far below the real prices. ``mask_value`` tells StepwiseTransformer which
# steps are padding when they are not NaN.
X_zero = SequencePadder(value=0.0).fit_transform(sequences)
naive = MinMaxScaler().fit(X_zero.reshape(-1, 2))
masked = StepwiseTransformer(MinMaxScaler(), mask_value=0.0).fit(X_zero)
print("price minimum, padding included:", naive.data_min_[0])
print("price minimum, padding ignored: ", masked.transformer_.data_min_[0].round(1))

# %%
# In a pipeline, and back
# -----------------------
# The steps chain like any transformers; ``inverse_transform`` works when the
# inner transformer has one, for example to bring predictions back to prices.
pipe = make_pipeline(SequencePadder(), StepwiseTransformer(MinMaxScaler()))
X_pipe = pipe.fit_transform(sequences)
restored = pipe[-1].inverse_transform(X_pipe)
print("range after MinMaxScaler:", np.nanmin(X_pipe), np.nanmax(X_pipe))
print("inverse_transform restores X:", np.allclose(restored, X, equal_nan=True))

# %%
# The first feature before and after scaling: the padded steps (white in the
# images) are not moved.
fig, axes = plt.subplots(1, 2, figsize=(9, 3.5), sharey=True)
for ax, data, title in [(axes[0], X, "price"), (axes[1], X_pipe, "scaled price")]:
    image = ax.imshow(data[..., 0], aspect="auto", cmap="magma")
    ax.set_title(title)
    ax.set_xlabel("time step")
    fig.colorbar(image, ax=ax)
axes[0].set_ylabel("sequence")
fig.tight_layout()

# %%
# Channels-first data from sktime or aeon
# ---------------------------------------
# sktime and aeon store collections of series as "numpy3D" arrays of shape
# ``(n_samples, n_channels, n_timesteps)``. Keras, and sklstm, expect the time
# axis second: ``(n_samples, n_timesteps, n_channels)``.
X_sktime = rng.normal(size=(8, 3, 50))  # 8 series, 3 channels, 50 steps
to_keras = ChannelsFirstTransformer()
X_keras = to_keras.fit_transform(X_sktime)
print("sktime/aeon layout:", X_sktime.shape, "-> sklstm layout:", X_keras.shape)
print("round trip:", np.array_equal(to_keras.inverse_transform(X_keras), X_sktime))
plt.show()
