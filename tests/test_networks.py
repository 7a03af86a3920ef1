"""sklstm's own networks: the convolutional branch (LSTM-FCN)."""

import pickle

import numpy as np
import pytest

from sklstm import LSTMClassifier, LSTMRegressor

RNG = np.random.RandomState(0)
X = RNG.normal(size=(32, 10, 2)).astype(np.float32)
LABELS = X[:, :, 0].sum(axis=1) > 0


@pytest.mark.parametrize("Estimator", [LSTMClassifier, LSTMRegressor])
def test_conv_branch_sits_beside_the_recurrent_stack(Estimator):
    y = LABELS if Estimator is LSTMClassifier else X[:, -1, 0]
    est = Estimator(units=3, epochs=1, conv_branch=True, random_state=0).fit(X, y)
    layers = {layer.name: layer for layer in est.model_.layers}
    assert [layers[f"conv_{i}"].filters for i in range(3)] == [128, 256, 128]
    assert [layers[f"conv_{i}"].kernel_size for i in range(3)] == [(8,), (5,), (3,)]
    concat = layers["concatenate_conv"]
    assert concat.output.shape[-1] == 3 + 128
    restored = pickle.loads(pickle.dumps(est))
    np.testing.assert_array_equal(restored.predict(X), est.predict(X))


def test_first_two_conv_blocks_are_scaled_by_squeeze_and_excite_gates():
    import keras

    clf = LSTMClassifier(units=3, epochs=1, conv_branch=True, random_state=0)
    model = clf.fit(X, LABELS).model_
    for i, filters in ((0, 128), (1, 256)):
        assert model.get_layer(f"conv_excite_{i}_reduce").units == filters // 16
        probe = keras.Model(
            model.input,
            [
                model.get_layer(f"conv_relu_{i}").output,
                model.get_layer(f"conv_excite_{i}_gate").output,
                model.get_layer(f"conv_excite_{i}_scale").output,
            ],
        )
        maps, gate, scaled = (np.asarray(a) for a in probe(X))
        assert gate.shape == (len(X), 1, filters)
        assert ((gate > 0) & (gate < 1)).all() and gate.std() > 0
        np.testing.assert_allclose(scaled, maps * gate, rtol=1e-6)
    assert "conv_excite_2_gate" not in {layer.name for layer in model.layers}


def test_conv_branch_takes_padded_sequences_without_a_mask_warning():
    padded = X.copy()
    padded[:5, :3] = np.nan
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)
        clf = LSTMClassifier(units=3, epochs=1, conv_branch=True, random_state=0)
        clf.fit(padded, LABELS)
    assert np.isfinite(clf.predict_proba(padded)).all()


def test_conv_branch_is_refused_with_per_step_outputs():
    reg = LSTMRegressor(units=3, epochs=1, conv_branch=True, return_sequences=True)
    with pytest.raises(ValueError, match="conv_branch=True .* return_sequences"):
        reg.fit(X, X[:, :, 0])
