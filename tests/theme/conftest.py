"""Fixtures for the theme: the demo site built once, and a way to load a test-only plugin into a build."""

from __future__ import annotations

import types

import pytest

from dorpsplein.build import build
from dorpsplein.settings import load_settings

# The plugins of pelicanconf minus feeds: these tests give the theme fake feeds, or none at all.
THEME_PLUGINS = ["dutch_dates", "expiry", "ui_strings", "theme_tokens", "content_images"]


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    out = tmp_path_factory.mktemp("theme-demo") / "output"
    result = build(load_settings(output=out, extra={"CACHE_PATH": str(out.parent / "cache")}), quiet=True)
    assert result.warnings == []
    return out


@pytest.fixture
def test_plugin():
    """`test_plugin(signal, receiver)` → a plugin module for PLUGINS; disconnected after the test.

    Pelican's signals are process-wide, so a receiver left connected would leak into other tests' builds.
    """
    connected = []

    def make(signal, receiver):
        plugin = types.ModuleType(f"test_plugin_{receiver.__name__}")
        plugin.register = lambda: signal.connect(receiver)
        connected.append((signal, receiver))
        return plugin

    yield make
    for signal, receiver in connected:
        signal.disconnect(receiver)
