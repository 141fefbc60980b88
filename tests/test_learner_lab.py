"""The learner's JupyterLab (``make lab``) shows none of nbgrader's teacher tools; the teacher's commands keep it."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

LEARNER = ROOT / "tools" / "learner_jupyter"
ENV = Path(sys.prefix)


def _installed(path: Path) -> dict:
    if not path.is_file():
        pytest.skip(f"nbgrader's {path.name} is not installed in this environment")
    return json.loads(path.read_text(encoding="utf-8"))


def test_every_server_extension_nbgrader_enables_is_off_in_the_learners_lab():
    enabled = _installed(ENV / "etc" / "jupyter" / "jupyter_server_config.d" / "nbgrader.json")
    nbgrader_on = {name for name, on in enabled["ServerApp"]["jpserver_extensions"].items() if on}
    learner = json.loads((LEARNER / "jupyter_server_config.json").read_text(encoding="utf-8"))
    off = {name for name, on in learner["ServerApp"]["jpserver_extensions"].items() if not on}
    assert nbgrader_on and nbgrader_on <= off, nbgrader_on - off


def test_nbgraders_lab_extension_is_disabled_in_the_learners_lab():
    package = _installed(ENV / "share" / "jupyter" / "labextensions" / "@jupyter" / "nbgrader" / "package.json")
    page = json.loads((LEARNER / "labconfig" / "page_config.json").read_text(encoding="utf-8"))
    assert page["disabledExtensions"].get(package["name"]) is True


def test_make_lab_starts_the_learners_lab_and_grading_does_not():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    lab = re.search(r"^lab:.*\n\t(.*)", makefile, re.M).group(1)
    assert (
        "JUPYTER_CONFIG_PATH=$(LEARNER_JUPYTER)" in lab
        and "LEARNER_JUPYTER = $(abspath tools/learner_jupyter)" in makefile
    )
    grade = re.search(r"^grade:.*\n(\t.*\n)+", makefile, re.M).group(0)
    assert "learner_jupyter" not in grade
