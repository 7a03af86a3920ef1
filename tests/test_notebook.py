"""sklstm in a notebook: scikit-learn's HTML repr and pandas output.

Jupyter shows an estimator through its ``_repr_html_``, a diagram whose
parameter table marks the parameters the user set. ``set_output`` makes the
transformers with 2-D output return DataFrames with named columns; those with
3-D output (windows, padded sequences) keep returning arrays.
"""

import html
import re

import numpy as np
import pandas as pd
import pytest
from sklearn import config_context
from sklearn.base import BaseEstimator
from sklearn.linear_model import LinearRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils import estimator_html_repr, get_tags

import sklstm
from sklstm import (
    ChannelsFirstTransformer,
    LSTMAutoencoder,
    LSTMClassifier,
    LSTMRegressor,
    SequencePadder,
    SlidingWindowTransformer,
    StepwiseTransformer,
    TextSequencer,
)


def user_set_params(html_repr):
    """Names of the parameters that the HTML repr marks as set by the user.

    A name cell holds the name, or for scikit-learn's own estimators a link
    to its documentation whose text starts with the name.
    """
    cells = re.findall(
        r'<tr class="user-set">.*?<td class="param">(.*?)</td>', html_repr, re.S
    )
    return [html.unescape(re.sub(r"<[^>]*>", " ", cell)).split()[0] for cell in cells]


def text_repr(html_repr):
    """The plain-text fallback that the HTML repr embeds first."""
    return html.unescape(re.search(r"<pre>(.*?)</pre>", html_repr, re.S).group(1))


def diagram_classes(html_repr):
    """The class names in the diagram's boxes (a meta-estimator's box and the
    box of its sub-estimator are labelled "param: Class")."""
    labels = re.findall(r"<div><div>([^<]*)</div></div>", html_repr)
    return [html.unescape(label).split(": ")[-1] for label in labels]


# One instance of every public estimator class, with some parameters changed.
CHANGED = {
    "LSTMRegressor": {"units": 8, "cell": "gru", "optimizer__beta_1": 0.8},
    "LSTMClassifier": {"units": 8, "class_weight": "balanced"},
    "LSTMAutoencoder": {"units": 8},
    "SlidingWindowTransformer": {"sequence_length": 6},
    "SequencePadder": {"padding": "post"},
    "TextSequencer": {"maxlen": 5},
    "StepwiseTransformer": {"transformer": StandardScaler(with_mean=False)},
    "ChannelsFirstTransformer": {},
}


def public_estimator(name):
    return getattr(sklstm, name)(**CHANGED[name])


def test_every_public_estimator_is_covered():
    classes = {
        name
        for name in sklstm.__all__
        if isinstance(getattr(sklstm, name), type)
        and issubclass(getattr(sklstm, name), BaseEstimator)
    }
    assert classes == set(CHANGED)


@pytest.mark.parametrize("name", sorted(CHANGED))
def test_html_repr_of_each_estimator(name):
    estimator = public_estimator(name)

    # a stateless transformer (requires_fit=False) is shown as fitted
    status = "Not fitted" if get_tags(estimator).requires_fit else "Fitted"

    for html_repr in (estimator._repr_html_(), estimator_html_repr(estimator)):
        assert diagram_classes(html_repr)[0] == name
        assert text_repr(html_repr) == repr(estimator)
        assert f"<span>{status}</span>" in html_repr
        assert set(user_set_params(html_repr)) >= set(CHANGED[name])


def test_html_repr_of_regressor_lists_routed_params():
    """``optimizer__...`` parameters are in get_params, so in the table too."""
    estimator = LSTMRegressor(units=8, optimizer__beta_1=0.8)
    assert user_set_params(estimator._repr_html_()) == ["units", "optimizer__beta_1"]
    assert "optimizer__beta_1=0.8" in text_repr(estimator._repr_html_())


def test_html_repr_of_pipeline():
    pipeline = make_pipeline(
        SlidingWindowTransformer(sequence_length=6),
        StepwiseTransformer(StandardScaler(with_std=False)),
        LSTMRegressor(units=4, epochs=3),
    )
    html_repr = estimator_html_repr(pipeline)

    assert diagram_classes(html_repr) == [
        "Pipeline",
        "SlidingWindowTransformer",
        "StepwiseTransformer",
        "StandardScaler",  # the box of the `transformer` parameter
        "StandardScaler",  # its parameters
        "LSTMRegressor",
    ]
    assert user_set_params(html_repr) == [
        "steps",
        "sequence_length",
        "transformer",
        "with_std",
        "units",
        "epochs",
    ]
    assert text_repr(html_repr) == repr(pipeline)


TEXTS = ["good film", "bad film", "a good good story", "bad acting", "great"] * 2
LABELS = ["pos", "neg", "pos", "neg", "pos"] * 2


@pytest.fixture(scope="module")
def text_pipeline():
    """TextSequencer -> LSTMClassifier with pandas output, fitted."""
    pipeline = make_pipeline(
        TextSequencer(maxlen=4),
        LSTMClassifier(embedding_dim=4, units=2, epochs=1, random_state=0),
    )
    return pipeline.set_output(transform="pandas").fit(TEXTS, LABELS)


def test_fitted_pipeline_html_repr(text_pipeline):
    html_repr = text_pipeline._repr_html_()
    assert "<span>Fitted</span>" in html_repr
    assert "Not fitted" not in html_repr
    assert set(user_set_params(html_repr)) >= {"maxlen", "embedding_dim", "units"}


def test_text_pipeline_with_pandas_output(text_pipeline):
    columns = ["token_0", "token_1", "token_2", "token_3"]
    texts = pd.Series(["good story", "bad"], index=["x", "y"])

    ids = text_pipeline[:-1].transform(texts)
    assert isinstance(ids, pd.DataFrame)
    assert list(ids.columns) == columns
    assert list(ids.index) == ["x", "y"]
    classifier = text_pipeline[-1]
    assert list(classifier.feature_names_in_) == columns
    assert set(text_pipeline.predict(texts)) <= {"pos", "neg"}
    assert text_pipeline.predict_proba(texts).shape == (2, 2)


def test_text_sequencer_alone_with_pandas_output():
    sequencer = make_pipeline(TextSequencer()).set_output(transform="pandas")
    ids = sequencer.fit_transform(["the cat sat", "the dog"])
    expected = pd.DataFrame(
        [[2, 3, 5], [0, 2, 4]], columns=["token_0", "token_1", "token_2"]
    )
    pd.testing.assert_frame_equal(ids, expected, check_dtype=False)
    assert sequencer[0].inverse_transform(ids) == [
        ["the", "cat", "sat"],
        ["the", "dog"],
    ]


def test_autoencoder_codes_with_pandas_output():
    X = np.random.RandomState(0).uniform(size=(12, 5, 2))
    y = X[:, -1, 0]
    pipeline = make_pipeline(
        LSTMAutoencoder(units=2, epochs=1, random_state=0), LinearRegression()
    ).set_output(transform="pandas")
    pipeline.fit(X, y)

    codes = pipeline[0].transform(X)
    assert isinstance(codes, pd.DataFrame)
    assert list(codes.columns) == ["lstmautoencoder0", "lstmautoencoder1"]
    assert list(pipeline[-1].feature_names_in_) == list(codes.columns)
    assert pipeline[0].inverse_transform(codes).shape == X.shape
    assert pipeline.predict(X).shape == (12,)


SEQUENCES_3D = [
    (SlidingWindowTransformer(3), pd.DataFrame({"a": np.arange(6.0)})),
    (SequencePadder(), [np.ones((2, 2)), np.ones((3, 2))]),
    (ChannelsFirstTransformer(), np.arange(24.0).reshape(3, 4, 2)),
]


@pytest.mark.parametrize("transformer, X", SEQUENCES_3D, ids=lambda p: type(p).__name__)
def test_3d_transformers_keep_arrays_under_global_pandas_output(transformer, X):
    """A 3-D array has no columns to name: the global setting leaves it alone."""
    with config_context(transform_output="pandas"):
        Xt = transformer.fit_transform(X)
    assert isinstance(Xt, np.ndarray) and Xt.ndim == 3


@pytest.mark.parametrize("transformer, X", SEQUENCES_3D, ids=lambda p: type(p).__name__)
def test_3d_transformers_have_no_set_output(transformer, X):
    """``set_output`` is offered only where the output is 2-D, so a pipeline's
    ``set_output(transform="pandas")`` fails on the 3-D transformers (use the
    global ``sklearn.set_config(transform_output="pandas")`` instead)."""
    assert not hasattr(transformer, "set_output")
    pipeline = make_pipeline(transformer, LSTMRegressor())
    with pytest.raises(ValueError, match="`set_output` is not available"):
        pipeline.set_output(transform="pandas")
