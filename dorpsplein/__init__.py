"""Dorpsplein: the after-build library (build, check, publish, social, newsletter…)."""

__version__ = "0.1.0"
