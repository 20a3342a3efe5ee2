"""What the server's worker processes do with one request's uploads.

Scoring runs in a process pool rather than on the server's event loop or its threads: one large
PDF then holds up one worker, not every user, and the per-file time limit works (it is a SIGALRM
on a process's main thread, see checker/pipeline.py). Each request's files sit in a private
folder under their uploaded names; the worker works from inside that folder, so that every output
names the files as the user knows them, exactly as `fzcheck audit NAME` run beside the file would.
A worker runs one task at a time, so changing its working folder touches no other request.
"""
from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import stat
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path, PurePosixPath
from typing import NamedTuple

from checker.api import audit_file
from checker.batch import find_inputs
from checker.output.json_format import error_dict
from checker.output.safe_text import shown_result
from checker.readers import ReadError, ReadLimits

MAX_ZIP_ENTRIES = 5_000
"""Members of one uploaded .zip: a folder of a province's reports has hundreds."""
MAX_RATIO = 200
"""How many times its compressed size a member may expand to: text compresses ~10×, a bomb ~1000×."""
PART_BYTES = 256 * 1024
"""Input bytes in one `score_ahead` task: a task costs ~15 ms beyond its files (a command run), so
small text reports go ~20 a task while each .docx or .pdf of a batch is a step of the progress."""
PART_FILES = 50
FILE_BYTES = 4096
"""What a file weighs in a part beyond its size: reading and scoring any file has a fixed cost."""


@dataclass(frozen=True)
class Job:
    folder: str
    """The request's private folder, holding the uploads under their (cleaned) names."""
    names: tuple[str, ...]
    rules: str
    """Path of the rule file chosen."""
    format: str
    year: int | None = None
    published: date | None = None
    kind: str | None = None
    progress: bool = False
    """A batch whose files are scored part by part before it is ranked (see `score_ahead`)."""


class Answer(NamedTuple):
    status: int
    body: bytes


@contextlib.contextmanager
def _inside(folder: str) -> Iterator[None]:
    previous = os.getcwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(previous)


def audit_one(job: Job) -> Answer:
    """`fzcheck audit NAME --format json|html|docx` of the one upload; an unreadable report is
    a 422 with the JSON outputs' one error shape."""
    (name,) = job.names
    with _inside(job.folder):
        try:
            # audit_file loads each rule file once per worker (a compiled set cannot be pickled to it).
            result = shown_result(audit_file(name, job.rules, year=job.year, published=job.published, kind=job.kind))
        except ReadError as problem:
            return Answer(422, _error(problem.path, problem.reason))
    if job.format == "docx":
        from checker.output.docx_format import audit_docx

        return Answer(200, audit_docx(result))
    if job.format == "html":
        from checker.output.report_html import report_html

        return Answer(200, report_html(result).encode("utf-8"))
    from checker.output.json_format import audit_json

    return Answer(200, (audit_json(result) + "\n").encode("utf-8"))


def precheck_one(job: Job) -> Answer:
    """`fzcheck precheck NAME --format json`: the verdict the page shows above the report."""
    return _command(job, "precheck", list(job.names))


class Found(NamedTuple):
    inputs: tuple[str, ...]
    """What `fzcheck batch` is given: the uploads, each zip as the folder it was unpacked into."""
    files: tuple[str, ...]
    """Every file batch finds in them, named as batch names it."""
    sizes: tuple[int, ...]


def unpacked(job: Job) -> Answer | Found:
    """Each .zip unpacked into a folder of its name, and the files the batch will score; a zip
    that is a bomb or names paths outside its folder is refused whole (400)."""
    with _inside(job.folder):
        inputs = []
        for name in job.names:
            if name.lower().endswith(".zip"):
                try:
                    inputs.append(unpack(name))
                except ReadError as problem:
                    return Answer(400, _error(problem.path, problem.reason))
            else:
                inputs.append(name)
        found = find_inputs(inputs)
    return Found(tuple(inputs), tuple(found.files), tuple(found.sizes))


def parts(found: Found) -> Iterator[tuple[str, ...]]:
    """The files in runs of about PART_BYTES, in the batch's order: one task each for `score_ahead`."""
    part: list[str] = []
    weight = 0
    for name, size in zip(found.files, found.sizes):
        part.append(name)
        weight += size + FILE_BYTES
        if weight >= PART_BYTES or len(part) == PART_FILES:
            yield tuple(part)
            part, weight = [], 0
    if part:
        yield tuple(part)


def score_ahead(job: Job, files: tuple[str, ...]) -> tuple[str, ...]:
    """Some of a batch's files scored into the request's own result cache: the server learns as
    each part ends (the progress it streams), and `batch_many` then finds every result there and
    only ranks and renders. `fzcheck batch` itself scores them, so the batch answers byte for byte
    what it answers without progress."""
    _run(job, ["batch", *files, "--format", "jsonl", "-o", os.devnull, *_batch_options(job)])
    return files


def batch_many(job: Job, found: Found) -> Answer:
    return _command(job, "batch", list(found.inputs), *_batch_options(job))


def _batch_options(job: Job) -> tuple[str, ...]:
    """batch in the worker itself (it is one of the server's processes, which share the cores), and
    never with the user's result cache, which would keep a trace of every upload: with progress,
    the results go to a folder beside the inputs, removed with them."""
    if job.progress:
        return "--jobs", "1", "--cache-dir", os.path.join(job.folder, os.pardir, "cache")
    return "--jobs", "1", "--no-cache"


def _command(job: Job, command: str, inputs: list[str], *extra: str) -> Answer:
    output = os.path.join(job.folder, os.pardir, f"output.{job.format}")  # beside the inputs, not among them
    _run(job, [command, *inputs, "--format", job.format, "-o", output, *extra])
    return Answer(200, Path(output).read_bytes())


def _run(job: Job, argv: list[str]) -> None:
    """The CLI command itself, so the served outputs cannot drift from the command line's (its
    reading limits are the command line's defaults, which `fzcheck serve` keeps too)."""
    from checker.cli import main

    facts = [*(("--year", str(job.year)) if job.year else ()),
             *(("--published", job.published.isoformat()) if job.published else ()),
             *(("--kind", job.kind) if job.kind else ())]
    with _inside(job.folder), contextlib.redirect_stdout(io.StringIO()):
        main([*argv, "--rules", job.rules, "--no-config", "--quiet", *facts])


def _error(file: str, reason: str) -> bytes:
    return json.dumps(error_dict(file, reason), ensure_ascii=False).encode("utf-8")


def unpack(name: str, limits: ReadLimits = ReadLimits()) -> str:
    """The zip `name` unpacked into a new folder named after it (the zip is then removed); its
    reports are then found as in a folder. Refused (ReadError) before anything is written: a
    member whose path is absolute, climbs out with "..", is a link or encrypted; more members than
    MAX_ZIP_ENTRIES; a member larger than the per-file limit or expanding more than MAX_RATIO
    times; members together larger than the per-file limit. Sizes are counted while copying too,
    since a zip's directory may lie."""
    folder = _free(PurePosixPath(name).stem or "zip")
    try:
        with zipfile.ZipFile(name) as archive:
            members = [(info, _member_path(name, info)) for info in archive.infolist() if not info.is_dir()]
            _check_members(name, members, limits)
            for info, relative in members:
                if relative is None:
                    continue
                target = Path(folder, *relative.parts)
                target.parent.mkdir(parents=True, exist_ok=True)
                with archive.open(info) as source, open(target, "xb") as out:
                    _copy(name, source, out, info.file_size)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError) as problem:
        shutil.rmtree(folder, ignore_errors=True)
        raise ReadError(name, f"不是有效的 zip 文件 / not a valid zip file ({problem})") from None
    except ReadError:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    os.unlink(name)
    return folder


def _free(stem: str) -> str:
    candidate, number = stem, 1
    while os.path.exists(candidate):
        number += 1
        candidate = f"{stem} ({number})"
    os.mkdir(candidate, 0o700)
    return candidate


def _member_path(name: str, info: zipfile.ZipInfo) -> PurePosixPath | None:
    """Where the member goes in the folder, or None for what a zip made on a Mac or Windows adds
    beside the reports (__MACOSX, hidden files). Names written without the UTF-8 flag are, in
    practice, GBK (Windows' zip in a Chinese locale), which zipfile has read as cp437."""
    text = info.filename
    if not info.flag_bits & 0x800:
        with contextlib.suppress(UnicodeEncodeError, UnicodeDecodeError):
            text = text.encode("cp437").decode("gbk")
    path = PurePosixPath(text.replace("\\", "/"))
    if path.is_absolute() or ".." in path.parts or (path.parts and ":" in path.parts[0]):
        raise ReadError(name, f"压缩包中的路径越出了压缩包：{text} / member path escapes the archive")
    if stat.S_ISLNK(info.external_attr >> 16):
        raise ReadError(name, f"压缩包中含有符号链接：{text} / symbolic link in the archive")
    if info.flag_bits & 0x1:
        raise ReadError(name, f"压缩包已加密：{text} / encrypted member")
    if any(part.startswith(".") or part == "__MACOSX" for part in path.parts) or not path.parts:
        return None
    return path


def _check_members(name: str, members: list[tuple[zipfile.ZipInfo, PurePosixPath | None]], limits: ReadLimits) -> None:
    if len(members) > MAX_ZIP_ENTRIES:
        raise ReadError(name, f"压缩包中的文件超过 {MAX_ZIP_ENTRIES} 个上限 / more than {MAX_ZIP_ENTRIES} members")
    total = 0
    for info, _ in members:
        total += info.file_size
        if info.file_size > limits.max_bytes or info.file_size > MAX_RATIO * max(info.compress_size, 1_000):
            raise ReadError(name, f"压缩包中的 {info.filename} 解压后过大（疑似压缩炸弹） / member expands too much")
    if total > limits.max_bytes:
        raise ReadError(name, f"压缩包解压后超过 {limits.max_bytes / 1_000_000:g} MB 上限 / unpacks to too much")


def _copy(name: str, source, out, declared: int) -> None:
    written = 0
    while piece := source.read(1 << 20):
        written += len(piece)
        if written > declared:
            raise ReadError(name, "压缩包中的文件比它声明的大（已损坏或是压缩炸弹） / member larger than declared")
        out.write(piece)
