"""The blog's list pages written in a forked process beside the posts' own pages."""

from .parallel_writing import register

__all__ = ["register"]
