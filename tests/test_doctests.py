"""Every doctest of the installed package runs (the docstrings' examples are true)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import partnernet

MODULES = sorted(m.name for m in pkgutil.walk_packages(partnernet.__path__, "partnernet."))


@pytest.mark.parametrize("name", MODULES)
def test_doctests(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE,
                             verbose=False, report=False)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed"


def test_public_analysis_functions_have_examples():
    """House style: every public analysis function carries a runnable example."""
    missing = []
    for m in pkgutil.iter_modules(importlib.import_module("partnernet.graph.analysis").__path__):
        if m.name in ("kernel", "brandes_kernels"):  # conversion to igraph, and the
            continue  # compiled loops of pendant_brandes (its examples run them): no analyses
        module = importlib.import_module(f"partnernet.graph.analysis.{m.name}")
        for fname in getattr(module, "__all__", []):
            obj = getattr(module, fname)
            if callable(obj) and not isinstance(obj, type) and obj.__doc__ is not None \
                    and obj.__module__ == module.__name__ and ">>>" not in obj.__doc__:
                missing.append(f"{module.__name__}.{fname}")
    assert missing == []
