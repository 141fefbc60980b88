"""Root conftest: the suite's configuration applies however pytest is started.

``tests/conftest.py`` holds it; pytest only loads that file when it collects ``tests/``,
so ``pytest notebooks/03_cnn_feature_extraction.ipynb`` alone would run the lesson
without the TensorFlow variables, strict checks, sanitizing, one-CPU pin and disturbed
random state. Importing its hooks here makes every invocation the same.
"""

from tests.conftest import pytest_configure, pytest_runtest_setup  # noqa: F401
