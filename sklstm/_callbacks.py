"""The Keras callbacks that sklstm adds to every fit.

This module imports Keras; the training code imports it only when a fit starts.
"""

import keras
import numpy as np

from ._compat import keep_validation_iterator
from ._stateful import reset_recurrent_states

__all__ = ["ResetStatesAtEpochStart", "StopOnNaN", "ValidateFromOneIterator"]


class StopOnNaN(keras.callbacks.Callback):
    """Stop at the end of the first epoch whose loss is NaN or infinite.

    Keras' ``TerminateOnNaN`` checks every batch, which makes Keras wait for
    each batch's loss before starting the next (see
    ``docs/user_guide/speed.rst``). An epoch-level check keeps the batches
    asynchronous; ``fit`` then reports the failure and restores the estimator.
    """

    async_safe = True

    def on_epoch_end(self, epoch, logs=None):
        loss = (logs or {}).get("loss")
        if loss is not None and not np.isfinite(float(loss)):
            self.model.stop_training = True


class ResetStatesAtEpochStart(keras.callbacks.Callback):
    """Start every epoch from a blank state, as the stateful recipe does."""

    def on_epoch_begin(self, epoch, logs=None):
        reset_recurrent_states(self.model)


class ValidateFromOneIterator(keras.callbacks.Callback):
    """Validate every epoch from one ``tf.data`` iterator (TensorFlow).

    Given the rows ``fit`` holds out (``validation_split``), it installs as
    training begins the iterator of
    :func:`sklstm._compat.keep_validation_iterator`, which saves Keras' two
    new iterators per epoch and leaves ``val_loss`` as it was, to the bit.
    """

    def __init__(self, x, y, sample_weight, batch_size):
        super().__init__()
        self._validation = (x, y, sample_weight, batch_size)

    def on_train_begin(self, logs=None):
        keep_validation_iterator(self.model, *self._validation)
        self._validation = None
