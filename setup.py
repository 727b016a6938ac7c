"""Build the compiled part of analysis.clean and analysis.mentions; everything else is configured in pyproject.toml.

The extension is optional: where no C compiler is at hand the install goes on without it,
and both modules use Python code that gives the same results, more slowly.
"""
from setuptools import Extension, setup

setup(ext_modules=[Extension("analysis._lines", sources=["src/analysis/_lines.c"], optional=True)])
