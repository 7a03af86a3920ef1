"""sklstm.wrappers: scikeras' wrappers for any Keras model, on sklstm's pieces."""

import pickle
import random
import subprocess
import sys

import keras
import numpy as np
import pytest
from sklearn.base import clone, is_classifier, is_regressor
from sklearn.datasets import make_classification, make_regression
from sklearn.utils.estimator_checks import parametrize_with_checks

from sklstm.wrappers import BaseWrapper, KerasClassifier, KerasRegressor


class _MLP:
    """A small Dense network for any target the checks give.

    A callable object rather than a function: its repr, part of the test ids,
    is the same in every pytest-xdist worker (a function's holds its address).
    """

    def __repr__(self):
        return "mlp"

    def __call__(self, meta, compile_kwargs, hidden=8):
        inputs = keras.Input(meta["X_shape_"][1:])
        x = inputs if len(meta["X_shape_"]) == 2 else keras.layers.Flatten()(inputs)
        x = keras.layers.Dense(hidden, activation="relu")(x)
        target = meta["target_type_"]
        if "n_classes_" not in meta:
            out, loss = keras.layers.Dense(meta["n_outputs_"])(x), "mse"
        elif target == "binary":
            out, loss = keras.layers.Dense(1, activation="sigmoid")(x), "bce"
        elif target == "multilabel-indicator":
            units = meta["n_classes_"]
            out, loss = keras.layers.Dense(units, activation="sigmoid")(x), "bce"
        else:
            units = meta["n_classes_"]
            out = keras.layers.Dense(units, activation="softmax")(x)
            loss = "sparse_categorical_crossentropy"
        model = keras.Model(inputs, out)
        model.compile(
            optimizer=compile_kwargs["optimizer"],
            loss=compile_kwargs["loss"] or loss,
            metrics=compile_kwargs["metrics"],
        )
        return model


mlp = _MLP()


_SAMPLE_WEIGHT_REASON = (
    "Minibatch gradient descent is not invariant to replacing a weight of 2 by a "
    "repeated sample: repeating changes the number and the composition of the "
    "batches, hence the path of the optimiser, so the fitted weights differ "
    "(weighted and repeated fits agree in expectation only)."
)
EXPECTED_FAILED = {
    "check_sample_weight_equivalence_on_dense_data": _SAMPLE_WEIGHT_REASON,
    "check_sample_weight_equivalence_on_sparse_data": _SAMPLE_WEIGHT_REASON,
}


@parametrize_with_checks(
    [
        KerasClassifier(mlp, optimizer="adam", epochs=2, verbose=0, random_state=0),
        KerasRegressor(mlp, optimizer="adam", epochs=2, verbose=0, random_state=0),
    ],
    expected_failed_checks=lambda est: EXPECTED_FAILED,
)
def test_sklearn_compatible_wrapper(estimator, check):
    check(estimator)


@pytest.fixture(scope="module")
def data():
    X, y = make_classification(60, 6, n_informative=4, random_state=0)
    return X.astype(np.float32), y


def test_import_does_not_import_keras():
    code = (
        "import sys, sklstm, sklstm.wrappers; "
        "sklstm.wrappers.KerasClassifier(); "
        "sys.exit(int('keras' in sys.modules or 'tensorflow' in sys.modules))"
    )
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0


def test_tags():
    assert is_classifier(KerasClassifier())
    assert is_regressor(KerasRegressor())
    assert not is_classifier(BaseWrapper()) and not is_regressor(BaseWrapper())
    assert KerasClassifier().__sklearn_tags__().non_deterministic
    assert not KerasClassifier(random_state=0).__sklearn_tags__().non_deterministic


def test_narrow_subclass_fits_and_clones(data):
    class Narrow(KerasClassifier):
        def __init__(self, hidden=4):
            super().__init__(loss="bce", verbose=0)
            self.hidden = hidden

        def _keras_build_fn(self, meta):
            return keras.Sequential(
                [
                    keras.Input((meta["n_features_in_"],)),
                    keras.layers.Dense(self.hidden, activation="relu"),
                    keras.layers.Dense(1, activation="sigmoid"),
                ]
            )

    X, y = data
    est = Narrow(hidden=3).fit(X, y)
    assert est.get_params() == {"hidden": 3}
    assert clone(est).fit(X, y).predict(X).shape == y.shape


@pytest.mark.parametrize("kwargs", [{"model__units": 3}, {"units": 3}])
def test_builder_argument_it_does_not_take_names_it(data, kwargs):
    X, y = data
    est = KerasClassifier(mlp, verbose=0, **kwargs)
    with pytest.raises(TypeError, match="unexpected keyword argument 'units'"):
        est.fit(X, y)
    assert not hasattr(est, "model_")


def test_bad_optimizer_argument_names_it(data):
    X, y = data
    est = KerasClassifier(
        mlp, optimizer=keras.optimizers.SGD, optimizer__learning_rat=0.1, verbose=0
    )
    with pytest.raises(ValueError, match="optimizer__learning_rat"):
        est.fit(X, y)


def test_metric_class_and_custom_objects_pickle(data):
    X, y = data
    est = KerasRegressor(
        mlp, metrics=[keras.metrics.R2Score], verbose=0, random_state=0
    ).fit(X, y.astype(float))
    again = pickle.loads(pickle.dumps(est))
    np.testing.assert_array_equal(again.predict(X), est.predict(X))
    assert again.predict(X).dtype == np.float64
    again.partial_fit(X, y.astype(float))
    assert again.current_epoch == 2


def test_random_state_leaves_global_state_alone(data):
    X, y = data
    python_state, numpy_state = random.getstate(), np.random.get_state()[1].copy()
    first = KerasClassifier(mlp, verbose=0, random_state=1).fit(X, y)
    assert random.getstate() == python_state
    np.testing.assert_array_equal(np.random.get_state()[1], numpy_state)
    second = KerasClassifier(mlp, verbose=0, random_state=1).fit(X, y)
    np.testing.assert_array_equal(first.predict_proba(X), second.predict_proba(X))
    state = np.random.RandomState(3)
    before = state.get_state()[1].copy()
    KerasClassifier(mlp, verbose=0, random_state=state).fit(X, y)
    np.testing.assert_array_equal(state.get_state()[1], before)


def test_fast_predict_matches_keras_predict(data):
    X, y = data
    est = KerasClassifier(mlp, verbose=0, random_state=0).fit(X, y)
    expected = est.model_.predict(X, verbose=0)
    np.testing.assert_allclose(est.predict_proba(X)[:, 1], expected[:, 0], rtol=1e-6)
    # arguments or routed predict parameters go through keras.Model.predict
    np.testing.assert_allclose(
        est.predict_proba(X, batch_size=7, verbose=0)[:, 1], expected[:, 0], rtol=1e-6
    )


def test_compiled_model_kept_and_loss_checked(data):
    X, y = data

    def compiled(meta):
        model = keras.Sequential(
            [keras.Input((meta["n_features_in_"],)), keras.layers.Dense(1)]
        )
        model.compile(optimizer="sgd", loss="mae")
        return model

    est = KerasRegressor(compiled, verbose=0).fit(X, y)
    assert type(est.model_.optimizer).__name__ == "SGD"
    with pytest.raises(ValueError, match="but model compiled with"):
        KerasRegressor(compiled, loss="mse", verbose=0).fit(X, y)


@pytest.mark.parametrize(
    "callbacks",
    [
        {"callbacks": keras.callbacks.EarlyStopping(monitor="loss", patience=0)},
        {
            "callbacks": {"es": keras.callbacks.EarlyStopping},
            "callbacks__es__monitor": "loss",
        },
        {"callbacks": [keras.callbacks.EarlyStopping], "callbacks__0__monitor": "loss"},
    ],
)
def test_callbacks_spellings(data, callbacks):
    X, y = data
    est = KerasClassifier(
        mlp, epochs=2, metrics="accuracy", verbose=0, random_state=0, **callbacks
    ).fit(X, y)
    assert 1 <= est.current_epoch <= 2
    assert "accuracy" in est.history_


def test_batch_size_minus_one_and_fit_kwargs(data):
    X, y = data
    est = KerasRegressor(mlp, batch_size=-1, verbose=0).fit(X, y, epochs=2)
    assert est.current_epoch == 2
    assert est.predict(X).shape == y.shape


def test_any_rank_and_multi_output():
    rng = np.random.RandomState(0)
    X4 = rng.rand(20, 4, 4, 2).astype(np.float32)
    y = rng.rand(20)
    est = KerasRegressor(mlp, verbose=0).fit(X4, y)
    assert est.n_features_in_ == 4 and est.X_shape_ == X4.shape
    assert est.predict(X4).shape == (20,)

    def two_outputs(meta):
        inputs = keras.Input(meta["X_shape_"][1:])
        flat = keras.layers.Flatten()(inputs)
        return keras.Model(
            inputs, [keras.layers.Dense(1)(flat), keras.layers.Dense(1)(flat)]
        )

    class TwoOutputs(KerasRegressor):
        @property
        def target_encoder(self):
            from sklearn.preprocessing import FunctionTransformer

            return FunctionTransformer(
                lambda y: [y[:, 0], y[:, 1]], lambda y: np.column_stack(y)
            )

    Y = rng.rand(20, 2)
    est = TwoOutputs(two_outputs, loss="mse", verbose=0).fit(X4, Y)
    assert est.predict(X4).shape == (20, 2)


def test_build_fn_is_deprecated(data):
    X, y = data
    with pytest.warns(UserWarning, match="model=..."):
        KerasClassifier(build_fn=mlp, verbose=0).fit(X, y)


def test_failed_fit_leaves_the_wrapper_as_it_was(data):
    X, y = data
    est = KerasRegressor(mlp, verbose=0, random_state=0).fit(X, y)
    before = est.predict(X)
    with pytest.raises(ValueError):
        est.set_params(warm_start=True).fit(X[:, :3], y)
    np.testing.assert_array_equal(est.predict(X), before)


def test_regression_data(data):
    X, y = make_regression(40, 3, random_state=0)
    est = KerasRegressor(mlp, loss="mse", verbose=0, random_state=0).fit(X, y)
    assert isinstance(est.score(X, y), float)


def _uncompiled(meta):
    return keras.Sequential(
        [
            keras.Input((meta["n_features_in_"],)),
            keras.layers.Dense(3, activation="tanh"),
            keras.layers.Dense(1),
        ]
    )


def test_small_steps_run_several_per_compiled_call_with_the_same_updates():
    X, y = make_regression(100, 4, noise=1.0, random_state=0)
    # 1000 training steps of one sample
    params = {
        "loss": "mse",
        "batch_size": 1,
        "epochs": 10,
        "verbose": 0,
        "random_state": 0,
    }
    fast = KerasRegressor(_uncompiled, **params).fit(X, y)
    assert fast.model_.steps_per_execution == 32
    # a callback of the user's sees every batch: one step per call
    plain = KerasRegressor(
        _uncompiled, callbacks=keras.callbacks.TerminateOnNaN(), **params
    ).fit(X, y)
    assert plain.model_.steps_per_execution == 1
    np.testing.assert_allclose(fast.history_["loss"], plain.history_["loss"], rtol=1e-6)
    np.testing.assert_allclose(fast.predict(X), plain.predict(X), rtol=1e-5)
