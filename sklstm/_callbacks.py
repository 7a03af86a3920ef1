"""The Keras callbacks that sklstm adds to every fit.

This module imports Keras; the training code imports it only when a fit starts.
"""

import keras
import numpy as np

from ._stateful import reset_recurrent_states

__all__ = ["ResetStatesAtEpochStart", "StopOnNaN"]


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
