"""
Texts to token id sequences
===========================

An LSTM reads text as a sequence of integer token ids that an ``Embedding``
layer turns into vectors. :class:`~sklstm.TextSequencer` learns a vocabulary in
``fit`` and maps texts to padded id sequences in ``transform``, like Keras'
``TextVectorization`` with ``output_mode="int"``, as a scikit-learn
transformer. Id 0 is the padding and id 1 any out-of-vocabulary token, so the
output feeds ``Embedding(input_dim=vocab_size_, mask_zero=True)``.
"""

# %%
# Fit a vocabulary
# ----------------
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from sklstm import TextSequencer

reviews = pd.Series(
    [
        "The battery lasts all day, great phone!",
        "Terrible battery. The screen cracked after a day.",
        "Great screen, great camera, fair price.",
        "The camera is fine but the battery is terrible.",
        "Fast delivery and a great price.",
        "Screen too dim; would not buy again.",
    ]
)
sequencer = TextSequencer().fit(reviews)
print("vocab_size_ (Embedding input_dim):", sequencer.vocab_size_)
print("maxlen_ (longest review, in words):", sequencer.maxlen_)
print("most frequent tokens:", list(sequencer.vocabulary_.items())[:6])

# %%
# Transform texts to ids
# ----------------------
# Tokens are lowercased words (``\w+``, punctuation dropped), ranked by
# frequency with ties in alphabetical order. Unknown words become 1; an empty
# text becomes a row of padding.
new = ["Great battery, awful speaker", ""]
ids = sequencer.transform(new)
print(ids)
print(sequencer.inverse_transform(ids))

# %%
# Capping the vocabulary and the length
# -------------------------------------
# ``max_tokens`` counts the two reserved ids, as in Keras. ``maxlen`` fixes the
# output length; ``truncating="pre"`` keeps the end of long texts.
small = TextSequencer(max_tokens=6, maxlen=5).fit(reviews)
print("vocabulary:", small.vocabulary_)
print(small.transform(reviews[:2]))

# %%
# Characters instead of words
# ---------------------------
chars = TextSequencer(level="char", maxlen=12, padding="post").fit(reviews)
print("character vocabulary size:", chars.vocab_size_)
print(chars.transform(["great phone"]))

# %%
# Pandas output
# -------------
# The output is 2-D, so the columns have names and ``set_output`` works, also
# inside a :class:`~sklearn.compose.ColumnTransformer`.
frame = TextSequencer(maxlen=6).set_output(transform="pandas").fit_transform(reviews)
print(frame)

# %%
# Token frequencies and the id matrix
# -----------------------------------
tokens = sequencer.inverse_transform(sequencer.transform(reviews))
counts = pd.Series([t for row in tokens for t in row]).value_counts()
counts = counts.reindex(list(sequencer.vocabulary_)[:10])  # in id order
fig, (ax_counts, ax_ids) = plt.subplots(1, 2, figsize=(10, 3.5))
counts[::-1].plot.barh(ax=ax_counts, color="tab:blue")
ax_counts.set_title("most frequent tokens (lowest ids)")
matrix = sequencer.transform(reviews)
masked = np.ma.masked_equal(matrix, 0)  # padding shown blank
image = ax_ids.imshow(masked, aspect="auto", cmap="viridis")
ax_ids.set_title('ids, padding="pre" (blank = 0)')
ax_ids.set_xlabel("position")
ax_ids.set_ylabel("review")
fig.colorbar(image, ax=ax_ids, label="token id")
fig.tight_layout()
plt.show()
