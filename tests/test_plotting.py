"""Tests for sklstm.plotting: what the Display objects draw, and bad input."""

import subprocess
import sys
import textwrap
from types import SimpleNamespace

import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")

import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from numpy.testing import assert_allclose, assert_array_equal  # noqa: E402
from sklearn.exceptions import NotFittedError  # noqa: E402
from sklearn.linear_model import LinearRegression  # noqa: E402
from sklearn.pipeline import Pipeline, make_pipeline  # noqa: E402
from sklearn.preprocessing import FunctionTransformer  # noqa: E402

from sklstm import LSTMRegressor, make_windows  # noqa: E402
from sklstm.plotting import ForecastDisplay, HistoryDisplay  # noqa: E402

N_TRAIN = 24


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def windows():
    """Windows of length 4 of a sine wave and the value after each: 36 windows."""
    return make_windows(np.sin(np.arange(40) / 3), sequence_length=4)


@pytest.fixture(scope="module")
def fitted(windows):
    X, y = windows
    return LSTMRegressor(units=2, epochs=2, validation_split=0.25, random_state=0).fit(
        X[:N_TRAIN], y[:N_TRAIN]
    )


def legend_texts(ax):
    return [text.get_text() for text in ax.get_legend().get_texts()]


def span_extent(span):
    """The x extent of an axvspan in data units (a Rectangle or, before
    matplotlib 3.9, a Polygon: both map their path to data by the patch
    transform)."""
    xs = span.get_patch_transform().transform(span.get_path().vertices)[:, 0]
    return xs.min(), xs.max()


# ----------------------------------------------------------------------
# HistoryDisplay
# ----------------------------------------------------------------------
def test_history_from_estimator_draws_loss_and_val_loss(fitted):
    display = HistoryDisplay.from_estimator(fitted)

    assert sorted(display.lines_) == ["loss", "val_loss"]
    for key, line in display.lines_.items():
        assert_array_equal(line.get_xdata(), [1, 2])
        assert_allclose(line.get_ydata(), fitted.history_[key])
    assert display.lines_["loss"].get_linestyle() == "-"
    assert display.lines_["val_loss"].get_linestyle() == "--"
    ax = display.ax_
    assert len(ax.get_lines()) == 2
    assert legend_texts(ax) == ["train", "validation"]
    assert ax.get_title() == "LSTMRegressor"
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("epoch", "loss")
    assert display.figure_ is ax.figure
    assert display.history is fitted.history_


def test_history_from_estimator_on_given_axes_and_pipeline(fitted):
    _, ax = plt.subplots()
    pipeline = Pipeline([("model", fitted)])  # fitted through its last step
    display = HistoryDisplay.from_estimator(pipeline, ax=ax, estimator_name="mine")
    assert display.ax_ is ax
    assert ax.get_title() == "mine"
    assert_allclose(display.lines_["loss"].get_ydata(), fitted.history_["loss"])


def test_history_from_estimator_draws_the_fit_that_chose_the_refits_epochs(
    windows, fitted
):
    X, y = windows
    refitted = LSTMRegressor(
        units=2, epochs=3, validation_split=0.25, refit=True, random_state=0
    ).fit(X[:N_TRAIN], y[:N_TRAIN])
    assert sorted(HistoryDisplay.from_estimator(refitted).lines_) == ["loss"]
    display = HistoryDisplay.from_estimator(refitted, history="validation")
    assert sorted(display.lines_) == ["loss", "val_loss"]
    assert display.history is refitted.validation_history_
    assert_allclose(
        display.lines_["val_loss"].get_ydata(),
        refitted.validation_history_["val_loss"],
    )
    with pytest.raises(ValueError, match="no `validation_history_`"):
        HistoryDisplay.from_estimator(fitted, history="validation")
    with pytest.raises(ValueError, match='`history` must be "fit" or "validation"'):
        HistoryDisplay.from_estimator(fitted, history="val")


HISTORY = {
    "loss": [0.9, 0.5, 0.4],
    "mae": [0.8, 0.6, 0.5],
    "val_loss": [1.0, 0.7, 0.6],
    "val_mae": [0.9, 0.8, 0.7],
}


def test_history_all_metrics_one_axes_each():
    display = HistoryDisplay(HISTORY).plot(metrics="all")

    assert isinstance(display.ax_, np.ndarray) and display.ax_.shape == (2,)
    assert [ax.get_ylabel() for ax in display.ax_] == ["loss", "mae"]
    assert [len(ax.get_lines()) for ax in display.ax_] == [2, 2]
    assert display.ax_[1].get_lines()[1] is display.lines_["val_mae"]
    for key, values in HISTORY.items():
        assert_allclose(display.lines_[key].get_ydata(), values)
    assert display.ax_[0].get_title() == ""  # no estimator_name, no title
    assert len(display.figure_.axes) == 2


def test_history_metrics_on_given_axes():
    _, axes = plt.subplots(1, 2)
    display = HistoryDisplay(HISTORY).plot(ax=axes, metrics=["mae", "loss"])
    assert [ax.get_ylabel() for ax in axes] == ["mae", "loss"]
    assert_array_equal(display.ax_, axes)

    with pytest.raises(ValueError, match="2 metrics are drawn.*holds 1 axes"):
        HistoryDisplay(HISTORY).plot(ax=axes[0], metrics=["mae", "loss"])


def test_history_without_validation_and_keras_history_object():
    history = SimpleNamespace(history={"loss": [3.0, 2.0, 1.0]})  # like a History
    display = HistoryDisplay(history).plot(train_kwargs={"c": "red"})
    assert list(display.lines_) == ["loss"]
    assert legend_texts(display.ax_) == ["train"]
    assert display.lines_["loss"].get_color() == "red"


@pytest.mark.parametrize(
    "metrics, match",
    [
        ("val_mae", "without the 'val_' prefix.*pass 'mae'"),
        (["acc"], r"no entry 'acc'\. Available: \['loss', 'mae'\]"),
        ([], "names no curve"),
    ],
)
def test_history_bad_metrics(metrics, match):
    with pytest.raises(ValueError, match=match):
        HistoryDisplay(HISTORY).plot(metrics=metrics)


@pytest.mark.parametrize("history", [{}, {"loss": []}])
def test_history_empty(history):
    with pytest.raises(ValueError, match="`history` is empty"):
        HistoryDisplay(history).plot()


def test_history_not_a_dict():
    with pytest.raises(TypeError, match="must be a dict of per-epoch values"):
        HistoryDisplay([0.5, 0.4]).plot()


def test_history_from_unfitted_or_untrained_estimator(windows):
    X, y = windows
    with pytest.raises(NotFittedError):
        HistoryDisplay.from_estimator(LSTMRegressor())
    untrained = LSTMRegressor(units=2, random_state=0).initialize(X, y)
    with pytest.raises(ValueError, match="history_` of LSTMRegressor is empty"):
        HistoryDisplay.from_estimator(untrained)
    with pytest.raises(ValueError, match="LinearRegression has no `history_`"):
        HistoryDisplay.from_estimator(LinearRegression().fit(X[:, :, 0], y))


# ----------------------------------------------------------------------
# ForecastDisplay
# ----------------------------------------------------------------------
def test_forecast_from_estimator_shades_training_windows(fitted, windows):
    X, y = windows
    display = ForecastDisplay.from_estimator(fitted, X, y, train_end=N_TRAIN)

    assert list(display.lines_) == ["actual", "LSTMRegressor"]
    assert len(display.ax_.get_lines()) == 2
    actual, forecast = display.lines_.values()
    assert_array_equal(actual.get_xdata(), np.arange(len(y)))
    assert_allclose(actual.get_ydata(), y)
    assert_allclose(forecast.get_ydata(), fitted.predict(X))
    assert span_extent(display.train_span_) == pytest.approx((0, N_TRAIN))
    assert legend_texts(display.ax_) == ["train", "actual", "LSTMRegressor"]
    assert display.ax_.get_xlabel() == "time step"
    assert display.figure_ is display.ax_.figure


def test_forecast_from_unfitted_estimator(windows):
    X, y = windows
    with pytest.raises(NotFittedError):
        ForecastDisplay.from_estimator(LSTMRegressor(), X, y)


def test_forecast_from_multistep_pipeline_one_line_per_horizon():
    series = np.arange(20.0)
    X, Y = make_windows(series, sequence_length=3, horizon=2)
    flatten = FunctionTransformer(lambda X: X.reshape(len(X), -1))
    model = make_pipeline(flatten, LinearRegression()).fit(X, Y)

    display = ForecastDisplay.from_estimator(model, X, Y, horizons=[2])

    assert list(display.lines_) == ["actual", "LinearRegression (h=2)"]
    assert_allclose(display.lines_["actual"].get_ydata(), series[3:])
    # the 2-step forecast of row i is drawn at time i + 1; nothing at time 0
    forecast = display.lines_["LinearRegression (h=2)"].get_ydata()
    assert np.isnan(forecast[0])
    assert_allclose(forecast[1:], series[4:])
    assert display.train_span_ is None


def test_forecast_dates_index_and_label_train_end():
    index = pd.date_range("2024-01-01", periods=6, freq="D", name="day")
    y_true = pd.Series([1.0, 2, 3, 4, 5, 6], index=index, name="load")
    y_pred = np.array([np.nan, np.nan, np.nan, 4.5, 5.5, 6.5])

    display = ForecastDisplay.from_predictions(
        y_true, y_pred, train_end=pd.Timestamp("2024-01-04")
    )

    start, stop = span_extent(display.train_span_)
    assert start == pytest.approx(mdates.date2num(index[0]))
    assert stop == pytest.approx(mdates.date2num(index[3]))
    assert_allclose(display.lines_["forecast"].get_ydata(), y_pred)
    assert (display.ax_.get_xlabel(), display.ax_.get_ylabel()) == ("day", "load")


def test_forecast_period_index_and_series_forecast_placed_by_label():
    index = pd.period_range("1950-01", periods=8, freq="M")
    y_true = pd.Series(np.arange(8.0), index=index)
    # a forecast of the last 3 months only, as recursive_forecast returns it
    y_pred = pd.Series([5.5, 6.5, 7.5], index=index[5:])

    display = ForecastDisplay.from_predictions(y_true, y_pred, train_end=index[5])

    ydata = display.lines_["forecast"].get_ydata()
    assert np.isnan(ydata[:5]).all()
    assert_allclose(ydata[5:], [5.5, 6.5, 7.5])
    stop = span_extent(display.train_span_)[1]
    assert stop == pytest.approx(mdates.date2num(index[5].to_timestamp()))


def test_forecast_several_named_forecasts_and_2d_targets():
    series = np.arange(7.0)
    _, Y = make_windows(series, sequence_length=2, horizon=3)  # (3, 3)
    y_pred = {"direct": Y + 0.5, "naive": series[2:] - 1.0}

    display = ForecastDisplay.from_predictions(Y, y_pred, horizons=[1, 3])

    assert list(display.lines_) == ["actual", "direct (h=1)", "direct (h=3)", "naive"]
    assert_allclose(display.lines_["actual"].get_ydata(), series[2:])
    assert_allclose(display.lines_["direct (h=1)"].get_ydata()[:3], series[2:5] + 0.5)
    assert_allclose(display.lines_["direct (h=3)"].get_ydata()[2:], series[4:] + 0.5)
    assert legend_texts(display.ax_) == list(display.lines_)


def test_forecast_integer_index_labels_before_positions():
    years = np.arange(1949, 1959)
    values = np.arange(10.0)
    by_label = ForecastDisplay(values, values, index=years, train_end=1955).plot()
    assert span_extent(by_label.train_span_) == pytest.approx((1949, 1955))
    by_position = ForecastDisplay(values, values, index=years, train_end=3).plot()
    assert span_extent(by_position.train_span_) == pytest.approx((1949, 1952))


def test_forecast_plot_on_given_axes_with_style():
    _, ax = plt.subplots()
    display = ForecastDisplay([1.0, 2.0, 3.0], [1.0, 2.5, 3.5], train_end=1).plot(
        ax=ax,
        actual_kwargs={"c": "green"},
        forecast_kwargs={"ls": ":"},
        span_kwargs={"color": "yellow"},
    )
    assert display.ax_ is ax
    assert display.lines_["actual"].get_color() == "green"
    assert display.lines_["forecast"].get_linestyle() == ":"
    assert matplotlib.colors.same_color(
        display.train_span_.get_facecolor()[:3], "yellow"
    )


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (
            {"y_true": np.zeros(5), "y_pred": np.zeros(4)},
            "y_true and y_pred have inconsistent lengths: y_true covers 5 time "
            "steps, y_pred 'forecast' has 4 values",
        ),
        (
            {"y_true": np.zeros(5), "y_pred": {"lstm": np.zeros((5, 2))}},
            "y_true and y_pred have inconsistent lengths: y_pred 'lstm' has 5 "
            "rows of 2-step forecasts, which cover 6 time steps",
        ),
        ({"y_true": np.zeros(5), "y_pred": np.zeros((5, 2, 1))}, "shape"),
        ({"y_true": np.zeros((5, 2, 1)), "y_pred": np.zeros(5)}, "y_true` must be"),
        ({"y_true": np.zeros(5), "y_pred": {}}, "empty dict"),
        ({"y_true": np.zeros(5), "y_pred": np.zeros(5), "index": range(4)}, "index"),
        (
            {"y_true": np.zeros(5), "y_pred": np.zeros(5), "train_end": 5},
            r"position in \[1, 4\]",
        ),
        (
            {"y_true": np.zeros(5), "y_pred": np.zeros(5), "train_end": "x"},
            "must be a label of the index or a position",
        ),
        (
            {"y_true": np.zeros(3), "y_pred": np.zeros((2, 2)), "horizons": [3]},
            "between 1 and 2",
        ),
        (
            {
                "y_true": pd.Series(np.zeros(3)),
                "y_pred": pd.Series([1.0], index=[7]),
            },
            r"not in the index of y_true, e\.g\. \[7\]",
        ),
        ({"y_true": np.zeros(3), "y_pred": {"actual": np.zeros(3)}}, "distinct"),
    ],
)
def test_forecast_bad_input(kwargs, match):
    with pytest.raises(ValueError, match=match):
        ForecastDisplay.from_predictions(**kwargs)


# ----------------------------------------------------------------------
# Matplotlib is optional
# ----------------------------------------------------------------------
def test_lazy_submodule():
    import sklstm

    assert sklstm.plotting.HistoryDisplay is HistoryDisplay


def test_import_without_matplotlib():
    code = textwrap.dedent(
        """
        import sys
        sys.modules["matplotlib"] = None  # as if it were not installed
        import sklstm.plotting
        display = sklstm.plotting.HistoryDisplay({"loss": [1.0]})
        try:
            display.plot()
        except ImportError as exc:
            print(exc)
        assert "tensorflow" not in sys.modules
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert "HistoryDisplay.plot requires matplotlib" in result.stdout
    assert "pip install matplotlib" in result.stdout
