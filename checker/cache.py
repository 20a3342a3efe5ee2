"""Work derived from files, kept between runs in the user's cache folder.

Compiling the rule set means importing yaml, pydantic and lark and parsing every condition: most
of a cold `fzcheck audit`. What that produces is stored here as a pickle beside a list of the
files it came from and the sha256 of their bytes; a later run uses it only if every one of those
files still has the same bytes, and the file name carries a fingerprint of the code that builds
and reads it and the Python version, so no edit of the files or of fzcheck can leave a stale entry.

The cache is a convenience, never a source of errors: a missing, unreadable, damaged or stale
entry is rebuilt, and a folder that cannot be written only means there is no cache.

`FZCHECK_CACHE_DIR` moves the folder (default `$XDG_CACHE_HOME/fzcheck`, else `~/.cache/fzcheck`);
`FZCHECK_NO_CACHE=1` turns it off.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import stat
import sys
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

from checker.resources import resource_dir

CACHE_DIR_ENV = "FZCHECK_CACHE_DIR"
NO_CACHE_ENV = "FZCHECK_NO_CACHE"
FORMAT = b"fzcheck-cache-1"
_PACKAGE = Path(__file__).resolve().parent
BUILDERS = ("cache.py", "models.py", "rulefile.py", "ruleset.py", "vocabulary.py", "condition/ast.py",
            "condition/compiler.py", "condition/functions.py", "condition/parser.py", "condition/regex.py")
"""The modules whose code decides what an entry holds (specs, condition trees, words) or whether
a rule file is accepted at all: an edit of any of them is a new fingerprint, so a new entry."""

Sources = Iterable[tuple[str, str]]
"""(path, sha256 of its bytes) of every file an entry was built from."""


def cache_dir() -> Path | None:
    if os.environ.get(NO_CACHE_ENV):
        return None
    configured = os.environ.get(CACHE_DIR_ENV)
    if configured:
        return Path(configured)
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg and os.path.isabs(xdg):  # a relative one is to be ignored, says the XDG specification
        return Path(xdg) / "fzcheck"
    try:
        return Path.home() / ".cache" / "fzcheck"
    except RuntimeError:  # no home folder to be found: no cache, rather than one in the working folder
        return None


def recall(name: str, origin: Path) -> Any | None:
    """What was stored for `origin`, or None when there is no usable entry."""
    location = _entry(name, origin)
    if location is None:
        return None
    try:
        with open(location, "rb") as stream:
            sources, value = pickle.load(stream)
        unchanged = all(content_hash(path) == digest for path, digest in sources)
    except Exception:  # noqa: BLE001 - a damaged file can fail to unpickle in any way; it is only a miss
        return None
    return value if unchanged else None


def remember(name: str, origin: Path, value: Any, sources: Sources) -> None:
    """Write atomically (a temporary file renamed over the entry): a reader never sees half a file."""
    import tempfile  # 3 ms: only when there is something to write

    location = _entry(name, origin)
    if location is None:
        return
    try:
        location.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{location.name}.", dir=location.parent)
        try:
            with open(handle, "wb") as stream:
                pickle.dump((list(sources), value), stream, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, location)
        except BaseException:
            os.unlink(temporary)
            raise
    except OSError:  # read-only or full: the next run simply builds it again
        pass
    except (pickle.PicklingError, TypeError, RecursionError):  # a value this Python cannot pickle: no cache
        pass


def content_hash(path: str | Path) -> str | None:
    """sha256 of a regular file's bytes; None when it cannot be read. Opened without blocking and
    refused unless regular, so a rule file replaced by a pipe cannot make start-up wait."""
    try:
        handle = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError:
        return None
    try:
        with os.fdopen(handle, "rb") as stream:
            return bytes_hash(stream.read()) if stat.S_ISREG(os.fstat(handle).st_mode) else None
    except OSError:
        return None


def bytes_hash(data: bytes) -> str:
    """How a builder names the bytes it read, for `remember`'s sources."""
    return hashlib.sha256(data).hexdigest()


def _entry(name: str, origin: Path) -> Path | None:
    folder = cache_dir()
    fingerprint = _fingerprint()
    if folder is None or fingerprint is None:
        return None
    key = hashlib.sha256(b"\0".join([fingerprint, name.encode(), os.fsencode(os.path.abspath(origin))])).hexdigest()
    return folder / f"{name}-{key[:32]}.pickle"


@cache
def _fingerprint() -> bytes | None:
    """The format, the Python version and the code of BUILDERS and of the condition grammar; None
    (no cache) if any of them cannot be read."""
    content = hashlib.sha256(FORMAT + b"\0" + sys.version.encode())
    try:
        for path in [*(_PACKAGE / name for name in BUILDERS), *sorted(resource_dir("grammars").glob("*.lark"))]:
            content.update(path.read_bytes())
    except OSError:
        return None
    return content.digest()
