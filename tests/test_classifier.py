"""LSTMClassifier on real (tiny) Keras networks."""

import numpy as np
import pytest
from sklearn.base import is_classifier, is_regressor
from sklearn.calibration import CalibratedClassifierCV
from sklearn.ensemble import VotingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_val_score, cross_validate

from sklstm import LSTMClassifier, LSTMRegressor

RNG = np.random.RandomState(0)
X = RNG.normal(size=(60, 4, 2)).astype(np.float32)
SIGNAL = X[:, :, 0].sum(axis=1)
Y_STR = np.where(SIGNAL > 0, "up", "down")
Y_MULTI = np.digitize(SIGNAL, [-1.0, 1.0])  # 0, 1, 2


def small(**params):
    return LSTMClassifier(
        **{"units": 4, "epochs": 3, "learning_rate": 0.02, "random_state": 0, **params}
    )


@pytest.fixture(scope="module")
def binary():
    return small().fit(X, Y_STR)


def test_kind():
    assert is_classifier(LSTMClassifier())
    assert not is_regressor(LSTMClassifier())
    assert is_regressor(LSTMRegressor())
    assert not is_classifier(LSTMRegressor())


def test_binary_string_labels(binary):
    np.testing.assert_array_equal(binary.classes_, ["down", "up"])
    proba = binary.predict_proba(X)
    assert proba.shape == (60, 2)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-6)
    pred = binary.predict(X)
    assert set(pred) <= {"down", "up"}
    np.testing.assert_array_equal(pred, binary.classes_[proba.argmax(axis=1)])
    assert binary.model_.output_shape == (None, 1)  # one sigmoid unit
    np.testing.assert_allclose(binary.predict_log_proba(X), np.log(proba), rtol=1e-6)


def test_multiclass_softmax():
    clf = small().fit(X, Y_MULTI)
    np.testing.assert_array_equal(clf.classes_, [0, 1, 2])
    assert clf.model_.output_shape == (None, 3)
    assert clf.predict_proba(X).shape == (60, 3)
    assert clf.model_.loss == "sparse_categorical_crossentropy"


def test_multilabel_indicator():
    Y = np.column_stack([SIGNAL > 0, X[:, -1, 1] > 0]).astype(int)
    clf = small().fit(X, Y)
    assert clf.predict(X).shape == (60, 2)
    assert set(np.unique(clf.predict(X))) <= {0, 1}
    assert clf.predict_proba(X).shape == (60, 2)


def test_per_step_labels():
    steps = (np.cumsum(X[:, :, 0], axis=1) > 0).astype(int)
    clf = small(return_sequences=True).fit(X, steps)
    assert clf.predict(X).shape == (60, 4)
    assert clf.predict_proba(X).shape == (60, 4, 2)
    assert 0.0 <= clf.score(X, steps) <= 1.0


def test_class_weight():
    y = np.where(SIGNAL > 1.5, "rare", "common")
    plain = small().fit(X, y).predict_proba(X)
    balanced = small(class_weight="balanced").fit(X, y).predict_proba(X)
    rare = list(small().fit(X, y).classes_).index("rare")
    assert balanced[:, rare].mean() > plain[:, rare].mean()
    with pytest.raises(ValueError, match="class_weight names labels"):
        small(class_weight={"missing": 2.0}).fit(X, y)


def test_cross_val_score_stratifies():
    y = np.array([0] * 30 + [1] * 30)  # sorted: plain KFold would give one class
    result = cross_validate(small(epochs=1), X, y, cv=3, return_indices=True)
    for test_idx in result["indices"]["test"]:
        assert set(y[test_idx]) == {0, 1}


@pytest.mark.parametrize("scoring", ["roc_auc", "neg_log_loss"])
def test_probability_scorers_give_numbers(scoring):
    scores = cross_val_score(small(epochs=2), X, Y_STR, cv=2, scoring=scoring)
    assert np.all(np.isfinite(scores))


def test_meta_estimators_accept_the_classifier():
    calibrated = CalibratedClassifierCV(small(epochs=2), cv=2).fit(X, Y_STR)
    assert calibrated.predict_proba(X).shape == (60, 2)
    X2 = X[:, :, 0]  # 2-D: univariate sequences, so LogisticRegression fits too
    voting = VotingClassifier(
        [("lstm", small(epochs=2)), ("logreg", LogisticRegression())], voting="soft"
    ).fit(X2, Y_STR)
    assert voting.predict(X2).shape == (60,)


def test_unseen_label_at_score(binary):
    y = Y_STR.astype(object)
    y[0] = "sideways"
    with pytest.raises(ValueError, match="never saw in fit.*sideways"):
        binary.score(X, y)


def test_partial_fit_classes():
    clf = small()
    clf.partial_fit(X[:10], np.zeros(10, dtype=int), classes=[0, 1, 2])
    np.testing.assert_array_equal(clf.classes_, [0, 1, 2])
    clf.partial_fit(X, Y_MULTI)
    assert clf.n_iter_ == 2
    with pytest.raises(ValueError, match="not seen in the first fit"):
        clf.partial_fit(X[:2], np.array([7, 7]))


def test_single_class_is_an_error():
    with pytest.raises(ValueError, match="at least 2 classes"):
        small().fit(X, np.zeros(60))


def test_embedding_tokens():
    tokens = RNG.randint(0, 20, size=(60, 6))
    tokens[:, :2] = 0  # padding
    y = (tokens[:, -1] > 10).astype(int)
    clf = small(embedding_dim=4).fit(tokens, y)
    assert clf.vocab_size_ == tokens.max() + 1
    assert clf.model_.get_layer("embedding").mask_zero
    assert clf.predict(tokens).shape == (60,)
    bad = tokens.copy()
    bad[0, -1] = 99
    with pytest.raises(ValueError, match="vocab_size_"):
        clf.predict(bad)


def test_classes_given_to_partial_fit_do_not_leak_into_a_later_fit():
    X = np.random.RandomState(0).uniform(size=(12, 3, 1)).astype(np.float32)
    clf = LSTMClassifier(units=2, epochs=1, random_state=0)
    clf.partial_fit(X, np.array([0, 1, 2] * 4), classes=[0, 1, 2])
    assert clf.classes_.tolist() == [0, 1, 2]
    clf.fit(X, np.array([0, 1, 5] * 4))
    assert clf.classes_.tolist() == [0, 1, 5]
