"""Results of earlier batch runs, so a re-run re-reads only what changed (as ruff's cache does).

An entry is one file's result, found by everything it depends on: the path as given (it is the
result's `file`, and its suffix picks the reader) and the file's content, in a folder for the rule
set's files, fzcheck's own code and installed dependencies, and the run's settings (overrides,
defaults and limits; a file's own facts from --meta go in its entry's key). Only results are kept,
never errors, whose cause (a time limit) may pass.

The entries of a folder are rows of one SQLite database, written a task at a time in one
transaction: a file per entry cost a batch more in creating, renaming and compressing files than
in scoring some reports. SQLite's own locking lets the workers of a batch, and two batches, write
at once; a row is written whole or not at all. An entry is compressed against the rule set's own
texts (titles, bases, hints, messages), and a result keeps of each item only what its evaluation
decided (status, message, evidence; `_Packing`), the rest being the rule's: about 2 KB. Only the
KEEP_FOLDERS most recently used folders are kept: the others belong to rule sets, settings or
fzcheck versions no longer run.

The cache is a convenience, never a source of errors: an entry that cannot be read or unpickled
is scored again, a damaged database is started afresh, and one that cannot be written (locked too
long, a full disk, a read-only folder) only makes the next run slower.
"""
from __future__ import annotations

import hashlib
import importlib.metadata
import os
import pickle
import re
import shutil
import sqlite3
import stat
from contextlib import suppress
from dataclasses import replace
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

import zstandard

from checker.engine import rule_result
from checker.models import AuditResult, RuleResult, Status, attributes
from checker.pipeline import STDIN, RunSettings
from checker.resources import resource_dir

if TYPE_CHECKING:
    from checker.models import RuleSpec
    from checker.ruleset import RuleSet

KEEP_FOLDERS = 8
"""Cache folders kept: a few rule sets and settings in turn, and the last upgrade."""
DATABASE = "results.sqlite"
LOCK_SECONDS = 10
"""How long a write waits for another process's write before it gives up (that task's results
are then not kept)."""
PAGE_CACHE_KB = 512
"""SQLite's page cache per process (its default is 2 MB): entries are looked up once each, so a
cache of pages read earlier saves nothing but the index's top pages."""
COMPRESSION = 1
"""zstd's fastest level: against the rule set's dictionary it compresses an entry in a quarter
of the time zlib's fastest level takes (measured: 24 against 86 µs), to within 4% of its size."""
_FOLDER_NAME = re.compile("[0-9a-f]{32}")
_DAMAGED = ("SQLITE_NOTADB", "SQLITE_CORRUPT")


class ResultCache:
    """`lookup` before scoring a file, `keep` after; `flush` writes what was kept (the batch calls
    it after every task). An instance is sent to every worker of a batch: each opens the database
    on its first use, since an SQLite connection must not cross a fork."""

    def __init__(self, root: str | Path, ruleset: RuleSet, settings: RunSettings | None) -> None:
        self.root = Path(root)
        settings = settings or RunSettings()
        namespace = hashlib.sha256()
        for part in (_code_digest(), ruleset.digest, repr(settings)):
            namespace.update(part.encode() + b"\0")
        self.folder = self.root / namespace.hexdigest()[:32]
        self._settings = settings
        self._largest = max(settings.limits.max_bytes, settings.limits.max_text)
        texts = [text for rule in ruleset.rules for text in _texts(rule.spec) if text]
        self._dictionary = "\n".join(texts).encode()
        self._packing = _Packing(ruleset)
        self._database: sqlite3.Connection | None = None
        self._opened_by: int | None = None
        self._pending: list[tuple[bytes, bytes]] = []
        self._held_any = False
        """Whether the database held any entry when this process opened it: in a first run (a new
        rule set, new settings) no file is looked up at all."""

    def __getstate__(self) -> dict:
        state = {**self.__dict__, "_database": None, "_opened_by": None, "_pending": [], "_held_any": False}
        state.pop("_codec", None)
        return state

    @cached_property
    def _codec(self) -> _Codec:
        return _Codec(self._dictionary)

    def prune(self) -> None:
        """Mark this run's folder used and remove those not used for the longest (only folders
        named as this class names them: `root` may be a folder the user chose)."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            os.utime(self.folder)
            folders = sorted((folder for folder in self.root.iterdir()
                              if _FOLDER_NAME.fullmatch(folder.name) and folder.is_dir()),
                             key=lambda folder: folder.stat().st_mtime, reverse=True)
        except OSError:
            return
        for folder in folders[KEEP_FOLDERS:]:
            shutil.rmtree(folder, ignore_errors=True)

    def lookup(self, path: str, settings: RunSettings | None = None) -> AuditResult | None:
        """An earlier run's result for the file as it is now, or None. In a first run (an empty
        database) nothing is read for it: the file is hashed only where an entry may be found."""
        database = self._connection()
        if database is None or not self._held_any or path == STDIN:
            return None
        digest = _content_digest(path, self._largest)
        if digest is None:
            return None
        try:
            row = database.execute("SELECT data FROM results WHERE key = ?", (self._key(path, digest, settings),)).fetchone()
            if row is None:
                return None
            result = self._packing.unpacked(pickle.loads(self._codec.decompress(row[0])))
        except Exception:  # noqa: BLE001 - damaged, or from an incompatible fzcheck: score again
            return None
        return result if isinstance(result, AuditResult) and result.file == path else None

    def keep(self, path: str, settings: RunSettings | None, result: AuditResult) -> None:
        """Keep a file's result under the digest its reader took of the bytes it scored (so the
        file is not read a second time to be hashed)."""
        digest = result.report.source.sha256
        if path == STDIN or digest is None:
            return
        self._pending.append((self._key(path, bytes.fromhex(digest), settings),
                              self._codec.compress(pickle.dumps(self._packing.packed(result), protocol=pickle.HIGHEST_PROTOCOL))))

    def _key(self, path: str, digest: bytes, settings: RunSettings | None) -> bytes:
        """An entry's key: the path as given, the sha256 of the file's bytes and, where they are
        the file's own (batch --meta), the settings it was scored with."""
        key = hashlib.sha256(os.fsencode(path) + b"\0")
        key.update(digest)
        if settings is not None and settings != self._settings:
            key.update(repr(settings).encode())
        return key.digest()

    def flush(self) -> None:
        pending, self._pending = self._pending, []
        database = self._connection() if pending else None
        if database is None:
            return
        try:
            with database:
                database.executemany("INSERT OR REPLACE INTO results VALUES (?, ?)", pending)
        except sqlite3.Error:
            return

    def _connection(self) -> sqlite3.Connection | None:
        """This process's connection, opened on first use; None when there can be no cache."""
        if self._opened_by == os.getpid():
            return self._database
        self._opened_by, self._database = os.getpid(), None
        location = self.folder / DATABASE
        for _ in range(2):
            try:
                self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
                os.close(os.open(location, os.O_CREAT | os.O_WRONLY, 0o600))  # SQLite's own files take its mode
                database = sqlite3.connect(location, timeout=LOCK_SECONDS, isolation_level="DEFERRED")
                with suppress(sqlite3.Error):  # WAL lets readers go on while a worker writes, where the file system allows it
                    database.execute("PRAGMA journal_mode = WAL")
                database.execute("PRAGMA synchronous = NORMAL")
                database.execute(f"PRAGMA cache_size = -{PAGE_CACHE_KB}")
                # A rowid table: its entries (2 KB each) are appended in order, and only the keys'
                # index takes them in random order (WITHOUT ROWID took 30 µs an entry, this 12).
                database.execute("CREATE TABLE IF NOT EXISTS results (key BLOB PRIMARY KEY, data BLOB NOT NULL)")
                self._held_any = database.execute("SELECT EXISTS (SELECT 1 FROM results)").fetchone()[0] == 1
            except sqlite3.DatabaseError as problem:
                if getattr(problem, "sqlite_errorname", "") not in _DAMAGED:
                    return None  # locked for longer than LOCK_SECONDS, or some other trouble: no cache for now
                with suppress(OSError):  # damaged, or some other file by its name: started afresh, once
                    location.unlink()
                continue
            except OSError:
                return None
            self._database = database
            return database
        return None


class _Codec:
    """zstd against the rule set's own texts, which every entry repeats; made in the process that
    uses it (a compressor is not sent to a worker)."""

    def __init__(self, dictionary: bytes) -> None:
        shared = zstandard.ZstdCompressionDict(dictionary, dict_type=zstandard.DICT_TYPE_RAWCONTENT) if dictionary else None
        self.compress = zstandard.ZstdCompressor(level=COMPRESSION, dict_data=shared).compress
        self.decompress = zstandard.ZstdDecompressor(dict_data=shared).decompress


DECIDED = ("id", "status", "message", "evidence")
"""What a result item keeps in the cache when the rest of it is its rule's (`rule_result`)."""
_RULES_OWN = tuple(name for name in RuleResult.__dataclass_fields__ if name not in (*DECIDED, "waiver"))


class _Packing:
    """A result with each item cut down to what its evaluation decided, and back. What an item
    takes from its rule is known for every rule and status of the set (it is the same rule set
    whenever the cache folder is the same); an item that differs from it (waived, or from a rule
    the set no longer has) is kept whole."""

    def __init__(self, ruleset: RuleSet) -> None:
        rules_own = attributes(_RULES_OWN)
        self._own = {(rule.spec.id, status): rules_own(rule_result(rule, status, "", []))
                     for rule in ruleset.rules for status in Status}
        self._rules_own, self._decided = rules_own, attributes(DECIDED)

    def packed(self, result: AuditResult) -> tuple[AuditResult, list]:
        own, rules_own, decided = self._own, self._rules_own, self._decided
        items = [decided(item) if item.waiver is None and own.get((item.id, item.status)) == rules_own(item) else item
                 for item in result.results]
        return replace(result, results=[]), items

    def unpacked(self, packed: tuple[AuditResult, list]) -> AuditResult:
        shell, items = packed
        own = self._own
        return replace(shell, results=[
            item if isinstance(item, RuleResult)
            else RuleResult(**dict(zip(DECIDED, item)), **dict(zip(_RULES_OWN, own[item[0], item[1]])))
            for item in items])


def _content_digest(path: str, largest: int) -> bytes | None:
    """The sha256 of a regular file within the reading limits; None for anything else (a FIFO
    must not be drained twice, a huge file is refused by the reader unread)."""
    try:
        with open(path, "rb") as handle:
            facts = os.fstat(handle.fileno())
            if not stat.S_ISREG(facts.st_mode) or facts.st_size > largest:
                return None
            return hashlib.sha256(handle.read()).digest()
    except OSError:
        return None


def _texts(spec: RuleSpec) -> tuple[str | None, ...]:
    messages = spec.messages
    return (spec.id, spec.title, spec.group, spec.basis, spec.hint,
            messages.pass_, messages.partial, messages.fail, messages.not_applicable)


def _code_digest() -> str:
    """fzcheck's version, the content of its own modules and grammar (an editable install keeps
    its version number while its code changes), and the versions of what it depends on (a new
    PDF library may read a file differently). The rule files are the rule set's digest."""
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parent
    for path in sorted([*package.rglob("*.py"), *resource_dir("grammars").glob("*.lark")]):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    try:
        installed = [importlib.metadata.version("fzcheck")]
        requirements = importlib.metadata.requires("fzcheck") or []
    except importlib.metadata.PackageNotFoundError:  # run from a source tree
        installed, requirements = [], []
    for requirement in requirements:
        if "extra ==" in requirement:  # the tests' tools do not score anything
            continue
        name = re.match(r"[A-Za-z0-9._-]+", requirement).group()
        with suppress(importlib.metadata.PackageNotFoundError):
            installed.append(f"{name}=={importlib.metadata.version(name)}")
    digest.update("\0".join(installed).encode())
    return digest.hexdigest()
