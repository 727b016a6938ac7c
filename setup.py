"""Build the compiled part of analysis.clean; everything else is configured in pyproject.toml.

The extension is optional: where no C compiler is at hand the install goes on without it,
and analysis.clean uses Python code that gives the same results, more slowly.
"""
from setuptools import Extension, setup

setup(ext_modules=[Extension("analysis._lines", sources=["src/analysis/_lines.c"], optional=True)])
