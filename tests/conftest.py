"""Test-wide settings: no tracing to LangSmith, whatever the environment says (the tests make no outside calls)."""

import pytest


@pytest.fixture(autouse=True)
def _no_tracing(monkeypatch):
    for variable in ("LANGSMITH_TRACING", "LANGCHAIN_TRACING_V2", "LANGCHAIN_TRACING"):
        monkeypatch.setenv(variable, "false")
