"""Routed parameters and subclasses that narrow the signature."""

import numpy as np
import pytest
from sklearn.base import clone

from sklstm import LSTMClassifier, LSTMRegressor

RNG = np.random.RandomState(0)
X = RNG.uniform(size=(16, 4, 1)).astype(np.float32)
Y = X[:, -1, 0]
LABELS = np.array([0, 1] * 8)


class NarrowClassifier(LSTMClassifier):
    def __init__(self, units=3, epochs=1):
        super().__init__(units=units, epochs=epochs)


def test_a_subclass_with_its_own_init_fits_clones_and_lists_its_own_params():
    clf = NarrowClassifier(units=2).fit(X, LABELS)
    assert clf.model_.layers[-2].units == 2 or any(
        getattr(layer, "units", None) == 2 for layer in clf.model_.layers
    )
    assert clf.get_params() == {"units": 2, "epochs": 1}
    assert clone(clf).get_params() == {"units": 2, "epochs": 1}
    assert clf.predict(X).shape == (16,)


def test_a_subclass_still_refuses_unknown_parameters():
    clf = NarrowClassifier()
    clf.colour = "red"  # as if passed through **kwargs
    with pytest.raises(TypeError, match="unexpected parameter 'colour'"):
        clf.fit(X, LABELS)


def _build(meta, compile_kwargs, hidden=3):
    import keras

    inputs = keras.Input((meta["n_timesteps_in_"], meta["n_features_in_"]))
    outputs = keras.layers.Dense(1)(keras.layers.LSTM(hidden)(inputs))
    model = keras.Model(inputs, outputs)
    model.compile(**compile_kwargs)
    return model


def test_a_builder_parameter_the_builder_does_not_take_is_refused():
    reg = LSTMRegressor(model=_build, model__hiden=4, epochs=1)
    with pytest.raises(ValueError, match=r"takes no parameter 'hiden'.*model__hiden"):
        reg.fit(X, Y)
    assert not hasattr(reg, "model_")
    reg = LSTMRegressor(model=_build, model__hidden=4, epochs=1).fit(X, Y)
    assert reg.model_.layers[1].units == 4


def test_a_builder_with_var_keywords_takes_any_routed_parameter():
    def build(meta, compile_kwargs, **kwargs):
        assert kwargs["anything"] == 1
        return _build(meta, compile_kwargs)

    LSTMRegressor(model=build, model__anything=1, epochs=1).fit(X, Y)
