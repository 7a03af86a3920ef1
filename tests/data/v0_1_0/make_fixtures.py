"""Write the pickles and archives that ``tests/test_persistence.py`` loads.

Run once with sklstm 0.1.0 as of the module split (``python make_fixtures.py``):
the files pin that later versions load what that version wrote and predict the
same values, bit for bit.
"""

import pathlib
import pickle

import numpy as np

from sklstm import LSTMAutoencoder, LSTMClassifier, LSTMRegressor, save_estimator

HERE = pathlib.Path(__file__).parent


def main():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(24, 5, 2)).astype(np.float32)
    y_reg = X[:, -1, 0] * 3.0 + 1.0
    y_clf = np.where(X[:, :, 1].sum(axis=1) > 0, "up", "down")
    estimators = {
        "regressor": LSTMRegressor(units=4, epochs=2, random_state=0).fit(X, y_reg),
        "classifier": LSTMClassifier(units=4, epochs=2, random_state=0).fit(X, y_clf),
        "autoencoder": LSTMAutoencoder(units=4, epochs=2, random_state=0).fit(X),
        "stateful": LSTMRegressor(
            units=3,
            epochs=2,
            batch_size=4,
            stateful=True,
            shuffle=False,
            random_state=0,
        ).fit(X, y_reg),
    }
    expected = {"X": X}
    for name, est in estimators.items():
        if name == "stateful":  # a non-zero state, saved with the network
            est.reset_states().predict(X[:8])
        (HERE / f"{name}.pkl").write_bytes(pickle.dumps(est))
        save_estimator(est, HERE / f"{name}.keras")
        if name == "autoencoder":
            expected[name] = est.transform(X)
        elif name == "classifier":
            expected[name] = est.predict_proba(X)
        else:
            expected[name] = est.predict(X)
    np.savez(HERE / "expected.npz", **expected)


if __name__ == "__main__":
    main()
