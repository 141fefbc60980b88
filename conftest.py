"""Root conftest: the suite's configuration applies however pytest is started.

``tests/conftest.py`` holds it; pytest only loads that file when it collects ``tests/``,
so ``pytest notebooks/03_cnn_feature_extraction.ipynb`` alone would run the lesson
without the TensorFlow variables, strict checks, sanitizing, one-CPU pin and disturbed
random state. Importing its hooks here makes every invocation the same.
"""

from tests.conftest import (  # noqa: F401
    pytest_configure,
    pytest_report_header,
    pytest_runtest_setup,
)

#: nbval compares trained-model figures within the tolerance a cell's tag declares.
pytest_plugins = ("tests.nbval_tolerance",)
