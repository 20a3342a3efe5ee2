"""The Starlette application behind `fzcheck serve`: the page, the API and the limits on uploads.

Every request is stateless: its uploads go into a private folder (mode 0700) that is removed
before the response is sent, and a download re-posts the same files with another `format`
(the browser keeps them), so the server never holds a report after answering. Nothing of a
report's name or content is logged here; uvicorn's access log has the method, path and status.
"""
from __future__ import annotations

import asyncio
import hmac
import json
import multiprocessing
import os
import shutil
import tempfile
import unicodedata
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import asynccontextmanager
from dataclasses import dataclass
from html import escape
from importlib.resources import files
from pathlib import PurePath

from starlette.applications import Starlette
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from checker import __version__
from checker.commands.common import parse_date, parse_kind, parse_year
from checker.commands.formats import AUDIT, BATCH, formats_of
from checker.output.json_format import error_dict
from checker.readers import SUPPORTED_SUFFIXES
from checker.ruleset import RuleSet
from checker.web.work import Answer, Job, audit_one, batch_many, precheck_one

MB = 1_000_000
MAX_FILES = 1_000
"""Files in one batch upload (a zip counts as one)."""
CONTENT_TYPES = {
    "json": "application/json", "jsonl": "application/x-ndjson", "html": "text/html; charset=utf-8",
    "csv": "text/csv; charset=utf-8", "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
"""The media type of every format the server renders; which formats those are is the format registry's
(checker/commands/formats.py): every format of audit and batch but the terminal table."""
AUDIT_FORMATS = tuple(item.name for item in formats_of(AUDIT) if item.name in CONTENT_TYPES)
BATCH_FORMATS = tuple(item.name for item in formats_of(BATCH) if item.name in CONTENT_TYPES)


@dataclass(frozen=True)
class Settings:
    rulesets: dict[str, RuleSet]
    """By id, the first the default; each loaded at start-up, so a broken rule file stops the
    server from starting rather than failing every request."""
    token: str | None = None
    max_upload: int = 100 * MB
    """Bytes of one request's body (every file of a batch together)."""
    jobs: int = 2


class Refused(Exception):
    """A request answered with an error of the request's own (bad input, too large, no token, a
    lost worker), rendered in the JSON outputs' one error shape by `_refused`; a report that cannot
    be read is the worker's answer (422), not this."""

    def __init__(self, status: int, message: str, file: str = "") -> None:
        super().__init__(message)
        self.status, self.message, self.file = status, message, file


def create_app(settings: Settings) -> Starlette:
    pool: dict[str, ProcessPoolExecutor] = {}

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        pool["main"] = _pool(settings.jobs)
        try:
            yield
        finally:
            pool["main"].shutdown(cancel_futures=True)

    async def score(work: Callable[[Job], Answer], job: Job) -> Answer:
        try:
            return await asyncio.wrap_future(pool["main"].submit(work, job))
        except BrokenProcessPool:  # a worker died (out of memory): a fresh pool for the next request
            pool["main"] = _pool(settings.jobs)
            raise Refused(503, "检查进程意外退出（内存不足？），请稍后重试或上传较小的文件") from None

    page = _page(settings)

    async def index(request: Request) -> Response:
        return HTMLResponse(page, headers=SECURITY_HEADERS)

    async def healthz(request: Request) -> Response:
        return JSONResponse({"status": "ok", "fzcheck": __version__})

    async def rules(request: Request) -> Response:
        _authorise(request, settings)
        return JSONResponse({"rulesets": [_ruleset_dict(ruleset, index == 0)
                                          for index, ruleset in enumerate(settings.rulesets.values())]})

    def endpoint(work: Callable[[Job], Answer], formats: tuple[str, ...], several: bool):
        async def handle(request: Request) -> Response:
            _authorise(request, settings)
            chosen = request.query_params.get("format", "json")
            if chosen not in formats:
                raise Refused(400, f"format 应为 {'、'.join(formats)} 之一：{chosen}")
            private = tempfile.mkdtemp(prefix="fzcheck-serve-")  # mode 0700: this user's only
            try:
                inputs = os.path.join(private, "in")  # the output is written beside it, not among the inputs
                os.mkdir(inputs, 0o700)
                job = await _job(request, settings, inputs, chosen, several)
                answer = await score(work, job)
            finally:
                shutil.rmtree(private, ignore_errors=True)
            media = CONTENT_TYPES[chosen] if answer.status == 200 else CONTENT_TYPES["json"]
            return Response(answer.body, answer.status, media_type=media, headers=SECURITY_HEADERS)
        return handle

    return Starlette(routes=[
        Route("/", index),
        Route("/healthz", healthz),
        Route("/api/rules", rules),
        Route("/api/audit", endpoint(audit_one, AUDIT_FORMATS, several=False), methods=["POST"]),
        Route("/api/precheck", endpoint(precheck_one, ("json",), several=False), methods=["POST"]),
        Route("/api/batch", endpoint(batch_many, BATCH_FORMATS, several=True), methods=["POST"]),
    ], lifespan=lifespan, exception_handlers={HTTPException: _http_error, Refused: _refused})


SECURITY_HEADERS = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer",
                    "Cache-Control": "no-store", "X-Frame-Options": "SAMEORIGIN"}
"""No caching of a report's results, no framing by other sites."""


def _pool(jobs: int) -> ProcessPoolExecutor:
    """forkserver (spawn where there is none): the server runs threads, and forking a process
    that runs threads can deadlock the child."""
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    return ProcessPoolExecutor(max_workers=jobs, mp_context=context)


async def _refused(request: Request, problem: Refused) -> Response:
    return JSONResponse(error_dict(problem.file, problem.message), problem.status)


async def _http_error(request: Request, problem: HTTPException) -> Response:
    """Starlette's own errors (404, 405) in the one error shape too."""
    return JSONResponse(error_dict("", str(problem.detail)), problem.status_code)


def _authorise(request: Request, settings: Settings) -> None:
    if settings.token is None:
        return
    given = request.headers.get("authorization", "")
    if not hmac.compare_digest(given.encode(), f"Bearer {settings.token}".encode()):
        raise Refused(401, "需要访问令牌：请在页面上填写，或在请求头中给出 Authorization: Bearer 令牌")


async def _job(request: Request, settings: Settings, folder: str, chosen: str, several: bool) -> Job:
    """The request's form read within the upload limit, its files written into `folder`."""
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > settings.max_upload:
        raise _too_large(settings)
    limited = Request(request.scope, _limited(request.receive, settings.max_upload))
    try:
        form = await limited.form(max_files=MAX_FILES, max_fields=20)
    except _TooLarge:
        raise _too_large(settings) from None
    except ClientDisconnect:
        raise Refused(400, "上传中断") from None
    except HTTPException as problem:  # python-multipart's parse errors, too many files
        raise Refused(400, f"无法读取上传的表单：{problem.detail}") from None
    try:
        uploads = [item for item in form.getlist("file") if isinstance(item, UploadFile)]
        if not uploads:
            raise Refused(400, "请上传报告文件（表单字段 file）")
        if not several and len(uploads) > 1:
            raise Refused(400, "一次检查一份报告；检查多份请用 /api/batch")
        names = []
        for upload in uploads:
            name = _unique(_clean_name(upload.filename), names)
            if not several and name.lower().endswith(".zip"):
                raise Refused(400, "压缩包请用 /api/batch（或在页面上直接拖入，会按批量检查）", name)
            with open(os.path.join(folder, name), "xb") as out:
                await asyncio.to_thread(shutil.copyfileobj, upload.file, out)
            names.append(name)
        return Job(folder=folder, names=tuple(names), rules=_rules_path(form.get("rules"), settings), format=chosen,
                   year=_field(form, "year", parse_year), published=_field(form, "published", parse_date),
                   kind=_field(form, "kind", parse_kind))
    finally:
        await form.close()  # python-multipart's spooled copies, in memory or an unlinked temporary file


class _TooLarge(Exception):
    pass


def _limited(receive, limit: int):
    """The request's body, ended with _TooLarge past `limit` bytes: a body without a
    Content-Length (chunked) is counted as it comes instead of being taken whole."""
    received = 0

    async def counted():
        nonlocal received
        message = await receive()
        received += len(message.get("body", b""))
        if received > limit:
            raise _TooLarge
        return message

    return counted


def _too_large(settings: Settings) -> Refused:
    return Refused(413, f"上传的文件太大：一次最多 {settings.max_upload / MB:g} MB（请分几次上传，或请管理员用 "
                        "fzcheck serve --max-upload-mb 调高上限）")


def _clean_name(filename: str | None) -> str:
    """The file's own name, without any folder a browser or client put before it, without
    control characters, and short enough for every file system."""
    name = PurePath((filename or "").replace("\\", "/")).name
    name = "".join(char for char in name if unicodedata.category(char)[0] != "C").strip()
    if name in ("", ".", ".."):
        raise Refused(400, "上传的文件没有文件名（需要文件名的后缀来判断格式，如 报告.docx）")
    if len(name.encode("utf-8")) > 200:  # file systems allow 255 bytes
        stem, dot, suffix = name.rpartition(".") if "." in name else (name, "", "")
        name = stem.encode("utf-8")[:180].decode("utf-8", "ignore") + dot + suffix[:16]
    return name


def _unique(name: str, taken: list[str]) -> str:
    """Two uploads of one name (from two folders): the second becomes `name (2).txt`."""
    stem, dot, suffix = name.rpartition(".") if "." in name else (name, "", "")
    candidate, number = name, 1
    while candidate in taken:
        number += 1
        candidate = f"{stem} ({number}){dot}{suffix}"
    return candidate


def _field(form, key: str, parse: Callable[[str], object]):
    """An optional form field, checked the way the command-line option of that name is."""
    value = form.get(key)
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        return parse(value)
    except Exception as problem:  # argparse.ArgumentTypeError: the option's own message
        raise Refused(400, f"{key}：{problem}") from None


def _rules_path(chosen: object, settings: Settings) -> str:
    if not isinstance(chosen, str) or not chosen:
        return next(iter(settings.rulesets.values())).path
    if chosen not in settings.rulesets:
        raise Refused(400, f"没有规则集 {chosen}（可用：{'、'.join(settings.rulesets)}；见 GET /api/rules）")
    return settings.rulesets[chosen].path


def _ruleset_dict(ruleset: RuleSet, default: bool) -> dict:
    return {"id": ruleset.id, "version": ruleset.version, "title": ruleset.title, "default": default,
            "sha256": ruleset.digest,
            "rules": [{"id": rule.spec.id, "title": rule.spec.title, "group": rule.spec.group,
                       "weight": rule.spec.weight, "blocking": rule.spec.blocking} for rule in ruleset.rules]}


def _page(settings: Settings) -> str:
    """The page, its style and script put inline: one self-contained document, no CDN."""
    assets = files("checker.web")
    options = "".join(f'<option value="{escape(ruleset.id)}">{escape(ruleset.title)}（{escape(ruleset.version)}）</option>'
                      for ruleset in settings.rulesets.values())
    config = {"token": settings.token is not None, "maxUpload": settings.max_upload,
              "auditFormats": AUDIT_FORMATS, "batchFormats": BATCH_FORMATS}
    replacements = {
        "{{style}}": (assets / "page.css").read_text(encoding="utf-8"),
        "{{script}}": (assets / "page.js").read_text(encoding="utf-8"),
        "{{config}}": escape(json.dumps(config)),
        "{{rulesets}}": options,
        "{{accept}}": ",".join((*SUPPORTED_SUFFIXES, ".zip")),
        "{{max_upload}}": f"{settings.max_upload / MB:g}",
        "{{version}}": escape(__version__),
    }
    page = (assets / "page.html").read_text(encoding="utf-8")
    for key, value in replacements.items():
        page = page.replace(key, value)
    return page
