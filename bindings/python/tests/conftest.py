# conftest.py — shared fixtures of the Python suite.
#
# Copyright (C) 2026 the libimpact authors. GPL-2.0-or-later.
import os
import pathlib

import pytest

TOP = pathlib.Path(os.environ.get("IMPACT_TOP_SRCDIR",
                                  pathlib.Path(__file__).resolve().parents[3]))
CLI = os.environ.get("IMPACT")


@pytest.fixture(scope="session")
def top():
    return TOP


@pytest.fixture(scope="session")
def bfi_paths():
    d = TOP / "tests" / "data"
    return d / "bfi-codebook.csv", d / "bfi.csv"
