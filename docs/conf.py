"""Sphinx configuration of the sklstm documentation.

Build (from the repository root; warnings are errors)::

    python -m sphinx -W --keep-going -b html docs docs/_build/html

or ``make -C docs html``. See ``docs/contributing.rst``, "Building the docs".
Modelled on the scikit-learn project template's ``doc/conf.py``.
"""

import os
import re
import sys
from pathlib import Path

# The gallery examples run in full by default (about two minutes in all on
# 2 cores), so the gallery shows their true figures; SKLSTM_FAST=1 trains them
# for a few epochs only, for a quick look at the pages (see contributing.rst).
os.environ.setdefault("SKLSTM_FAST", "0")
# Examples draw with matplotlib off screen; TensorFlow's C++ logging is noise here.
os.environ.setdefault("MPLBACKEND", "Agg")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import matplotlib

matplotlib.use("Agg")

# Document the source tree next to this directory, even without an install.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import sklstm

# -- Project information -----------------------------------------------------

project = "sklstm"
author = "The sklstm developers"
copyright = "The sklstm developers"
release = sklstm.__version__
version = ".".join(release.split(".")[:2])

# -- General configuration ---------------------------------------------------

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    "sphinx.ext.viewcode",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
]

templates_path = ["_templates"]
exclude_patterns = ["_build", "Thumbs.db", ".DS_Store", "**.ipynb_checkpoints"]
root_doc = "index"
default_role = "literal"  # `x` in a docstring renders as code, not as a warning
pygments_style = "sphinx"

# -- autodoc / autosummary / numpydoc ----------------------------------------

# Reference pages are generated into docs/generated/ (git-ignored) at build time.
autosummary_generate = True

autodoc_typehints = "none"  # types are in the numpydoc "Parameters" sections

numpydoc_show_class_members = False
numpydoc_class_members_toctree = False

# -- Cross-references to other projects ----------------------------------------
# intersphinx needs the network to fetch the inventories, and a failed fetch is
# a warning (an error under -W). It is on where the network is (Read the Docs),
# and off by default so that the build works offline: SKLSTM_DOCS_INTERSPHINX=1
# turns it on.
if os.environ.get("SKLSTM_DOCS_INTERSPHINX", "0") == "1":
    extensions.append("sphinx.ext.intersphinx")
    intersphinx_mapping = {
        "python": ("https://docs.python.org/3", None),
        "numpy": ("https://numpy.org/doc/stable", None),
        "pandas": ("https://pandas.pydata.org/docs", None),
        "sklearn": ("https://scikit-learn.org/stable", None),
        "matplotlib": ("https://matplotlib.org/stable", None),
    }

# -- HTML output ---------------------------------------------------------------

html_theme = "pydata_sphinx_theme"
html_title = f"sklstm {release}"
html_static_path = ["_static"]
html_css_files = ["sklstm.css"]
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
    "header_links_before_dropdown": 7,
    "secondary_sidebar_items": ["page-toc", "sourcelink"],
}
html_sidebars = {"install": [], "quickstart": [], "contributing": []}
html_show_sourcelink = True

# -- sphinx-gallery ------------------------------------------------------------

sphinx_gallery_conf = {
    "examples_dirs": "../examples",
    "gallery_dirs": "auto_examples",
    "filename_pattern": r"/plot_",
    "abort_on_example_error": True,
    # Per-object example links: generated/backreferences/<object>.examples,
    # shown on each API page by the minigallery of the autosummary templates.
    "backreferences_dir": "generated/backreferences",
    "doc_module": ("sklstm",),
    # Deprecated (and ignored, with an info message) since sphinx-gallery 0.17,
    # where code links are resolved from this build; kept for older versions.
    "reference_url": {"sklstm": None},
    "image_scrapers": ("matplotlib",),
    "matplotlib_animations": False,
    "remove_config_comments": True,
    "within_subsection_order": "FileNameSortKey",
    "min_reported_time": 2,
}


# -- Docstring adjustments -------------------------------------------------------
# Both are named in docs/contributing.rst ("Docstring conventions"); remove them
# when nothing needs them any more.

# 1. scikit-learn's own methods that every estimator inherits (metadata-routing
#    requests and set_output) have docstrings that refer to labels and glossary
#    terms of scikit-learn's documentation (``metadata_routing``,
#    ``df_output_transform``, ``meta-estimator``, ...), which do not exist here,
#    so Sphinx would warn on every API page. They are documented by
#    scikit-learn; the API pages show every other method, inherited or not.
_SKLEARN_MACHINERY = re.compile(r"^(set_\w+_request|get_metadata_routing|set_output)$")


def _skip_sklearn_machinery(app, what, name, obj, skip, options):
    if what == "class" and _SKLEARN_MACHINERY.match(name):
        return True
    return None


# 2. Fitted attribute names inside a type or shape, e.g.
#    ``ndarray of shape (n_features_in_,)``, read as reST hyperlink references
#    ("Unknown target name") because they end in an underscore. scikit-learn
#    writes them in backquotes, ``(`n_features_in_`,)``; this hook does that for
#    the sklstm docstrings that do not (a name already in backquotes is left
#    alone).
_BARE_FITTED_NAME = re.compile(r"(?<![`\w])([a-z][a-z0-9_]*[a-z0-9]_)(?=[,)\]])")
_SHAPE = re.compile(r"shape \([^)]*\)")


def _quote_fitted_names_in_shapes(app, what, name, obj, options, lines):
    for i, line in enumerate(lines):
        if "shape (" in line:
            lines[i] = _SHAPE.sub(
                lambda m: _BARE_FITTED_NAME.sub(r"`\1`", m.group(0)), line
            )


def setup(app):
    app.connect("autodoc-skip-member", _skip_sklearn_machinery)
    # after numpydoc (priority 500), which has turned sections into reST
    app.connect("autodoc-process-docstring", _quote_fitted_names_in_shapes, 600)
