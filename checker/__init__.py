"""fzcheck: a compliance checklist for Chinese governments' annual rule-of-law reports."""

__version__ = "0.1.0"
"""The one place the version is written: pyproject.toml reads it from here, and every output
that stamps its results (JSON, CSV, Excel, HTML) writes it, so a score can be reproduced later."""
