# ruff: noqa: UP006, UP035  (the examples keep scikeras' own typing imports)
"""scikeras' documented examples, with only the import changed.

From scikeras 0.13's docs (quickstart.rst, advanced.rst) and notebooks
(Basic_Usage, MLPClassifier_MLPRegressor, AutoEncoders): the code is theirs,
with ``from scikeras.wrappers import`` replaced by ``from sklstm.wrappers
import``, and only the sizes made tiny (fewer samples, units and epochs,
``make_classification`` in place of MNIST) so that the suite stays fast.
"""

import pickle
from typing import Any, Dict, Iterable, List

import keras
import numpy as np
import pytest
from sklearn.base import TransformerMixin
from sklearn.datasets import make_classification, make_moons, make_regression
from sklearn.metrics import mean_squared_error
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

from sklstm.wrappers import BaseWrapper, KerasClassifier, KerasRegressor


# ---------------------------------------------------------------- Quickstart
def test_quickstart():
    X, y = make_classification(100, 20, n_informative=10, random_state=0)
    X = X.astype(np.float32)
    y = y.astype(np.int64)

    def get_model(hidden_layer_dim, meta):
        # note that meta is a special argument that will be
        # handed a dict containing input metadata
        n_features_in_ = meta["n_features_in_"]
        X_shape_ = meta["X_shape_"]
        n_classes_ = meta["n_classes_"]

        model = keras.models.Sequential()
        model.add(keras.layers.Input(shape=X_shape_[1:]))
        model.add(keras.layers.Dense(n_features_in_))
        model.add(keras.layers.Activation("relu"))
        model.add(keras.layers.Dense(hidden_layer_dim))
        model.add(keras.layers.Activation("relu"))
        model.add(keras.layers.Dense(n_classes_))
        model.add(keras.layers.Activation("softmax"))
        return model

    clf = KerasClassifier(
        get_model,
        loss="sparse_categorical_crossentropy",
        hidden_layer_dim=8,
        verbose=0,
    )
    clf.fit(X, y)
    y_proba = clf.predict_proba(X)
    assert y_proba.shape == (100, 2)

    pipe = Pipeline([("scale", StandardScaler()), ("clf", clf)])
    pipe.fit(X, y)
    assert pipe.predict_proba(X).shape == (100, 2)

    params = {
        "hidden_layer_dim": [4, 8],
        "loss": ["sparse_categorical_crossentropy"],
        "optimizer": ["adam", "sgd"],
        "optimizer__learning_rate": [0.001, 0.1],
    }
    gs = GridSearchCV(clf, params, refit=False, cv=2, scoring="accuracy")
    gs.fit(X, y)
    assert set(gs.best_params_) == set(params)


# --------------------------------------------------------------- Basic usage
def get_clf(meta, hidden_layer_sizes, dropout):
    n_features_in_ = meta["n_features_in_"]
    model = keras.models.Sequential()
    model.add(keras.layers.Input(shape=(n_features_in_,)))
    for hidden_layer_size in hidden_layer_sizes:
        model.add(keras.layers.Dense(hidden_layer_size, activation="relu"))
        model.add(keras.layers.Dropout(dropout))
    model.add(keras.layers.Dense(1, activation="sigmoid"))
    return model


def get_reg(meta, hidden_layer_sizes, dropout):
    n_features_in_ = meta["n_features_in_"]
    model = keras.models.Sequential()
    model.add(keras.layers.Input(shape=(n_features_in_,)))
    for hidden_layer_size in hidden_layer_sizes:
        model.add(keras.layers.Dense(hidden_layer_size, activation="relu"))
        model.add(keras.layers.Dropout(dropout))
    model.add(keras.layers.Dense(1))
    return model


class MaxValLoss(keras.callbacks.Callback):
    def __init__(self, monitor: str, threashold: float):
        self.monitor = monitor
        self.threashold = threashold

    def on_epoch_end(self, epoch, logs=None):
        if logs[self.monitor] > self.threashold:
            self.model.stop_training = True


def test_basic_usage_classifier_and_pipeline():
    X, y = make_classification(100, 20, n_informative=10, random_state=0)
    clf = KerasClassifier(
        model=get_clf,
        loss="binary_crossentropy",
        hidden_layer_sizes=(8,),
        dropout=0.5,
        verbose=0,
    )
    clf.fit(X, y)
    assert set(clf.predict(X[:5])) <= {0, 1}
    assert clf.predict_proba(X[:5]).shape == (5, 2)

    pipe = Pipeline([("scale", StandardScaler()), ("clf", clf)])
    assert pipe.fit(X, y).predict(X).shape == (100,)


def test_basic_usage_regressor_and_saving(tmp_path):
    X_regr, y_regr = make_regression(100, 20, n_informative=10, random_state=0)
    reg = KerasRegressor(
        model=get_reg,
        loss="mse",
        metrics=[keras.metrics.R2Score],
        hidden_layer_sizes=(8,),
        dropout=0.5,
        verbose=0,
    )
    reg.fit(X_regr, y_regr)
    assert reg.predict(X_regr[:5]).shape == (5,)

    bytes_model = pickle.dumps(reg)
    new_reg = pickle.loads(bytes_model)
    np.testing.assert_array_equal(new_reg.predict(X_regr[:5]), reg.predict(X_regr[:5]))

    pred_old = reg.predict(X_regr)
    reg.model_.save(tmp_path / "my_model.keras")
    new_reg_model = keras.saving.load_model(tmp_path / "my_model.keras")
    reg_new = KerasRegressor(new_reg_model)
    reg_new.initialize(X_regr, y_regr)
    pred_new = reg_new.predict(X_regr)
    np.testing.assert_allclose(pred_old, pred_new)


def test_basic_usage_callbacks_and_grid_search():
    X, y = make_moons(n_samples=60, noise=0.2, random_state=0)
    kwargs = dict(  # noqa: C408 (scikeras' code)
        model=get_clf,
        loss="binary_crossentropy",
        dropout=0.5,
        hidden_layer_sizes=(8,),
        metrics=["binary_accuracy"],
        fit__validation_split=0.2,
        epochs=3,
        verbose=False,
        random_state=0,
    )
    clf = KerasClassifier(**kwargs)
    clf.fit(X, y)
    assert len(clf.history_["loss"]) == 3
    assert len(clf.history_["val_binary_accuracy"]) == 3

    cb = MaxValLoss(monitor="val_binary_accuracy", threashold=0.0)
    clf = KerasClassifier(**kwargs, callbacks=[cb])
    clf.fit(X, y)
    assert len(clf.history_["loss"]) == 1

    clf = KerasClassifier(
        model=get_clf,
        loss="binary_crossentropy",
        optimizer="adam",
        optimizer__learning_rate=0.1,
        model__hidden_layer_sizes=(8,),
        model__dropout=0.5,
        verbose=False,
    )
    params = {
        "optimizer__learning_rate": [0.05, 0.1],
        "model__hidden_layer_sizes": [(4,), (4, 4)],
        "model__dropout": [0, 0.5],
    }
    gs = GridSearchCV(clf, params, scoring="accuracy", cv=2)
    gs.fit(X, y)
    assert set(gs.best_params_) == set(params)


# ------------------------------------------------------------ Advanced usage
def model_build_fn(meta, compile_kwargs):
    inp = keras.Input((meta["n_features_in_"],))
    hidden = keras.layers.Dense(4, activation="relu")(inp)
    out1 = keras.layers.Dense(1, activation="sigmoid", name="out1")(hidden)
    return keras.Model(inp, out1)


def test_advanced_compilation_in_builder_or_by_wrapper():
    X, y = make_classification(60, 5, random_state=0)

    def compiled_build_fn(compile_kwargs, meta):
        # you can access the ``optimizer`` param here
        optimizer = compile_kwargs["optimizer"]
        model = model_build_fn(meta, compile_kwargs)
        model.compile(optimizer=optimizer, loss="binary_crossentropy")
        return model

    clf = KerasClassifier(model=compiled_build_fn, verbose=0)
    clf.fit(X, y)
    assert type(clf.model_.optimizer).__name__ == "RMSprop"

    clf = KerasClassifier(
        model=model_build_fn,
        optimizer=keras.optimizers.SGD,
        optimizer__learning_rate=0.05,
        loss=keras.losses.BinaryCrossentropy,
        loss__label_smoothing=0.1,
        metrics=keras.metrics.BinaryAccuracy,
        metrics__threshold=0.65,
        verbose=0,
    )
    clf.fit(X, y)
    assert float(clf.model_.optimizer.learning_rate) == pytest.approx(0.05)
    assert clf.model_.loss.label_smoothing == pytest.approx(0.1)
    assert len(clf.predict(X)) == len(y)


def test_advanced_losses_per_output_and_callbacks():
    X, y = make_classification(60, 5, random_state=0)

    def two_outputs(meta):
        inp = keras.Input((meta["n_features_in_"],))
        hidden = keras.layers.Dense(4, activation="relu")(inp)
        out1 = keras.layers.Dense(1, activation="sigmoid", name="out1")(hidden)
        out2 = keras.layers.Dense(1, activation="sigmoid", name="out2")(hidden)
        return keras.Model(inp, [out1, out2])

    class TwoOutputs(KerasClassifier):
        @property
        def target_encoder(self):
            from sklearn.preprocessing import FunctionTransformer

            return FunctionTransformer(lambda y: [y, y], lambda y: y[0])

    class Schedule:
        """Exponential decay lr scheduler."""

        def __init__(self, wait_until_epoch: int = 10, coef: float = 0.1) -> None:
            self.wait_until_epoch = wait_until_epoch
            self.coef = coef

        def __call__(self, epoch: int, lr: float):
            if epoch < self.wait_until_epoch:
                return lr
            return lr * np.exp(-self.coef)

    clf = TwoOutputs(
        two_outputs,
        loss={
            "out1": keras.losses.BinaryCrossentropy,
            "out2": keras.losses.BinaryCrossentropy,
        },
        loss__from_logits=False,
        loss__out2__label_smoothing=0.5,
        metrics={"out1": keras.metrics.BinaryAccuracy, "out2": [keras.metrics.AUC]},
        callbacks=keras.callbacks.LearningRateScheduler,
        callbacks__0=Schedule,
        callbacks__0__coef=0.2,
        epochs=2,
        verbose=0,
    )
    clf.fit(X, y)
    assert clf.model_.loss["out2"].label_smoothing == pytest.approx(0.5)
    assert clf.current_epoch == 2


# ------------------------------------------------ MLPClassifier, MLPRegressor
def get_clf_model(
    hidden_layer_sizes: Iterable[int],
    meta: Dict[str, Any],
    compile_kwargs: Dict[str, Any],
):
    model = keras.Sequential()
    inp = keras.layers.Input(shape=(meta["n_features_in_"],))
    model.add(inp)
    for hidden_layer_size in hidden_layer_sizes:
        layer = keras.layers.Dense(hidden_layer_size, activation="relu")
        model.add(layer)
    if meta["target_type_"] == "binary":
        n_output_units = 1
        output_activation = "sigmoid"
        loss = "binary_crossentropy"
    elif meta["target_type_"] == "multiclass":
        n_output_units = meta["n_classes_"]
        output_activation = "softmax"
        loss = "sparse_categorical_crossentropy"
    else:
        raise NotImplementedError(f"Unsupported task type: {meta['target_type_']}")
    out = keras.layers.Dense(n_output_units, activation=output_activation)
    model.add(out)
    model.compile(loss=loss, optimizer=compile_kwargs["optimizer"])
    return model


class MLPClassifier(KerasClassifier):
    def __init__(
        self,
        hidden_layer_sizes=(8,),
        optimizer="adam",
        optimizer__learning_rate=0.001,
        epochs=200,
        verbose=0,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.hidden_layer_sizes = hidden_layer_sizes
        self.optimizer = optimizer
        self.epochs = epochs
        self.verbose = verbose

    def _keras_build_fn(self, compile_kwargs: Dict[str, Any]):
        meta = {k: getattr(self, k) for k in ("n_features_in_", "target_type_")}
        meta["n_classes_"] = self.n_classes_
        return get_clf_model(self.hidden_layer_sizes, meta, compile_kwargs)


class MLPRegressor(KerasRegressor):
    def __init__(
        self,
        hidden_layer_sizes=(8,),
        optimizer="adam",
        optimizer__learning_rate=0.001,
        epochs=200,
        verbose=0,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.hidden_layer_sizes = hidden_layer_sizes
        self.optimizer = optimizer
        self.epochs = epochs
        self.verbose = verbose

    def _keras_build_fn(self, compile_kwargs: Dict[str, Any]):
        model = keras.Sequential()
        inp = keras.layers.Input(shape=(self.n_features_in_,))
        model.add(inp)
        for hidden_layer_size in self.hidden_layer_sizes:
            layer = keras.layers.Dense(hidden_layer_size, activation="relu")
            model.add(layer)
        out = keras.layers.Dense(1)
        model.add(out)
        model.compile(loss="mse", optimizer=compile_kwargs["optimizer"])
        return model


def test_mlp_classifier_and_regressor():
    X, y = make_classification(60, random_state=0)
    clf = KerasClassifier(
        model=get_clf_model,
        hidden_layer_sizes=(8,),
        optimizer="adam",
        optimizer__learning_rate=0.001,
        epochs=2,
        verbose=0,
    )
    clf.fit(X, y)
    assert 0 <= clf.score(X, y) <= 1

    clf = MLPClassifier(epochs=2)
    assert 0 <= clf.fit(X, y).score(X, y) <= 1

    reg = MLPRegressor(epochs=2)
    y = np.arange(100)
    X = (y / 2).reshape(-1, 1)
    reg.fit(X, y)
    assert isinstance(reg.score(X, y), float)


# --------------------------------------------------------------- AutoEncoders
class AutoEncoder(BaseWrapper, TransformerMixin):
    """A class that enables transform and fit_transform."""

    encoder_model_: BaseWrapper
    decoder_model_: BaseWrapper

    def _keras_build_fn(self, encoding_dim: int, meta: Dict[str, Any]):
        n_features_in = meta["n_features_in_"]

        encoder_input = keras.Input(shape=(n_features_in,))
        encoder_output = keras.layers.Dense(encoding_dim, activation="relu")(
            encoder_input
        )
        encoder_model = keras.Model(encoder_input, encoder_output)

        decoder_input = keras.Input(shape=(encoding_dim,))
        decoder_output = keras.layers.Dense(
            n_features_in, activation="sigmoid", name="decoder"
        )(decoder_input)
        decoder_model = keras.Model(decoder_input, decoder_output)

        autoencoder_input = keras.Input(shape=(n_features_in,))
        encoded_img = encoder_model(autoencoder_input)
        reconstructed_img = decoder_model(encoded_img)

        autoencoder_model = keras.Model(autoencoder_input, reconstructed_img)

        self.encoder_model_ = BaseWrapper(encoder_model, verbose=self.verbose)
        self.decoder_model_ = BaseWrapper(decoder_model, verbose=self.verbose)

        return autoencoder_model

    def _initialize(self, X, y=None):
        X, _ = super()._initialize(X=X, y=y)
        X_tf = self.encoder_model_.initialize(X).predict(X)
        self.decoder_model_.initialize(X_tf)
        return X, X

    def initialize(self, X):
        self._initialize(X=X, y=X)
        return self

    def fit(self, X, *, sample_weight=None) -> "AutoEncoder":
        super().fit(X=X, y=X, sample_weight=sample_weight)
        return self

    def score(self, X) -> float:
        return 1 - mean_squared_error(self.predict(X), X)

    def transform(self, X) -> np.ndarray:
        X: np.ndarray = self.feature_encoder_.transform(X)
        return self.encoder_model_.predict(X)

    def inverse_transform(self, X_tf: np.ndarray):
        X: np.ndarray = self.decoder_model_.predict(X_tf)
        return self.feature_encoder_.inverse_transform(X)


class DeepAutoEncoder(AutoEncoder):
    """A class that enables transform and fit_transform."""

    def _keras_build_fn(
        self, encoding_dim: int, hidden_layer_sizes: List[str], meta: Dict[str, Any]
    ):
        n_features_in = meta["n_features_in_"]

        encoder_input = keras.Input(shape=(n_features_in,))
        x = encoder_input
        for layer_size in hidden_layer_sizes:
            x = keras.layers.Dense(layer_size, activation="relu")(x)
        encoder_output = keras.layers.Dense(encoding_dim, activation="relu")(x)
        encoder_model = keras.Model(encoder_input, encoder_output)

        decoder_input = keras.Input(shape=(encoding_dim,))
        x = decoder_input
        for layer_size in reversed(hidden_layer_sizes):
            x = keras.layers.Dense(layer_size, activation="relu")(x)
        decoder_output = keras.layers.Dense(
            n_features_in, activation="sigmoid", name="decoder"
        )(x)
        decoder_model = keras.Model(decoder_input, decoder_output)

        autoencoder_input = keras.Input(shape=(n_features_in,))
        encoded_img = encoder_model(autoencoder_input)
        reconstructed_img = decoder_model(encoded_img)

        autoencoder_model = keras.Model(autoencoder_input, reconstructed_img)

        self.encoder_model_ = BaseWrapper(encoder_model, verbose=self.verbose)
        self.decoder_model_ = BaseWrapper(decoder_model, verbose=self.verbose)

        return autoencoder_model


def test_autoencoders():
    # MNIST in the notebook; 16 features in [0, 1] here
    X, _ = make_classification(80, 16, random_state=0)
    X = ((X - X.min()) / (X.max() - X.min())).astype("float32")
    x_train, x_test = X[:60], X[60:]
    autoencoder = AutoEncoder(
        loss="binary_crossentropy",
        encoding_dim=4,
        random_state=0,
        epochs=2,
        verbose=False,
        optimizer="adam",
    )
    _ = autoencoder.fit(X=x_train)
    roundtrip_imgs = autoencoder.inverse_transform(autoencoder.transform(x_test))
    assert roundtrip_imgs.shape == x_test.shape
    assert autoencoder.transform(x_test).shape == (20, 4)

    deep = DeepAutoEncoder(
        loss="binary_crossentropy",
        encoding_dim=4,
        hidden_layer_sizes=[8],
        random_state=0,
        epochs=2,
        verbose=False,
        optimizer="adam",
    )
    _ = deep.fit(X=x_train)
    assert deep.score(X=x_test) <= 1
    assert autoencoder.score(X=x_test) <= 1
