"""Render tests share the test run's QApplication: a bare QGuiApplication made first would leave the
widget tests that follow without one."""

import pytest


@pytest.fixture(autouse=True)
def _application(qapp):
    return qapp
