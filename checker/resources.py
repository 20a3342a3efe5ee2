"""Where the grammar and the bundled rule sets are found.

They live at the top of the repository (`grammars/`, `rules/`), where rule authors look for them,
and the build copies them into the package (`checker/grammars`, `checker/rules`), where an
installed fzcheck finds them. From a source checkout or an editable install the package has no
copy, so the repository folder is used.
"""
from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def resource_dir(name: str) -> Path:
    packaged = _PACKAGE / name
    return packaged if packaged.is_dir() else _PACKAGE.parent / name
