"""The Starlette application behind `fzcheck serve`: the page, the API and the limits on uploads.

Every request is stateless: its uploads go into a private folder (mode 0700) that is removed
when the response is done, and a download re-posts the same files with another `format`
(the browser keeps them), so the server never holds a report after answering. Nothing of a
report's name or content is logged here; uvicorn's access log has the method, path and status.
"""
from __future__ import annotations

import asyncio
import hmac
import json
import logging
import multiprocessing
import os
import shutil
import tempfile
import threading
import traceback
import unicodedata
from collections import deque
from collections.abc import AsyncIterator, Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import asynccontextmanager
from dataclasses import dataclass
from html import escape
from importlib.resources import files
from pathlib import PurePath

from starlette.applications import Starlette
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import ClientDisconnect, Request
from starlette.responses import HTMLResponse, JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from checker import __version__
from checker.commands.common import parse_date, parse_kind, parse_year
from checker.output.json_format import error_dict
from checker.output.safe_text import shown_name
from checker.readers import SUPPORTED_SUFFIXES
from checker.ruleset import RuleSet
from checker.web.api import (AUDIT_FORMATS, BATCH_FORMATS, CONTENT_TYPES, MAX_FILES, OPERATIONS, PROGRESS_FORMATS,
                             openapi)
from checker.web.docs import docs_page
from checker.web.work import Answer, Found, Job, audit_one, batch_many, parts, precheck_one, score_ahead, unpacked

MB = 1_000_000
INTERNAL = "服务器内部错误：这是 fzcheck 的缺陷，请稍后重试；一再出现时，请告诉管理员出错的时间和所用的 fzcheck 版本"
log = logging.getLogger("uvicorn.error")
"""uvicorn's own log for server errors: `fzcheck serve` prints it on stderr."""


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


class _Private:
    """A request's own folder, mode 0700: its uploads under in/, and beside them what the worker
    writes. Removed when the response is done, but only once no worker reads it any more: a client
    that leaves mid-batch leaves a task running in a worker, and its files go when that ends."""

    def __init__(self) -> None:
        self.folder = tempfile.mkdtemp(prefix="fzcheck-serve-")
        self.inputs = os.path.join(self.folder, "in")  # the outputs are written beside it, not among the inputs
        os.mkdir(self.inputs, 0o700)
        self.streamed = False
        """Handed to a `_Streamed` response, which removes it when the stream ends."""
        self._tasks: list[Future] = []

    def using(self, task: Future) -> None:
        self._tasks.append(task)

    def remove(self) -> None:
        running = [task for task in self._tasks if not task.cancel() and not task.done()]
        left, lock = len(running), threading.Lock()

        def ended(_: Future) -> None:
            nonlocal left
            with lock:
                left -= 1
                last = left == 0
            if last:
                shutil.rmtree(self.folder, ignore_errors=True)

        if not running:
            shutil.rmtree(self.folder, ignore_errors=True)
        for task in running:
            task.add_done_callback(ended)


class _Streamed(StreamingResponse):
    """The NDJSON lines of a batch with progress, which owns the request's folder from then on."""

    def __init__(self, lines: AsyncIterator[bytes], private: _Private) -> None:
        # X-Accel-Buffering: a reverse proxy (nginx) in front of the server would otherwise hold the lines back.
        super().__init__(lines, media_type=CONTENT_TYPES["jsonl"], headers={**SECURITY_HEADERS, "X-Accel-Buffering": "no"})
        private.streamed = True
        self._private = private

    async def __call__(self, scope, receive, send) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:
            self._private.remove()


def create_app(settings: Settings) -> Starlette:
    pool: dict[str, ProcessPoolExecutor] = {}
    ahead = max(1, settings.jobs // 2)  # parts of one batch scored at once: other users' reports get the other workers

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        pool["main"] = _pool(settings.jobs)
        try:
            yield
        finally:
            pool["main"].shutdown(cancel_futures=True)

    async def score(private: _Private, work: Callable, *arguments: object):
        current = pool["main"]
        try:
            task = current.submit(work, *arguments)
            private.using(task)
            return await asyncio.wrap_future(task)
        except BrokenProcessPool:  # a worker died (out of memory): a fresh pool for the next request
            if pool["main"] is current:
                pool["main"] = _pool(settings.jobs)
            raise Refused(503, "检查进程意外退出（内存不足？），请稍后重试或上传较小的文件") from None

    page = _page(settings)
    document = openapi(list(settings.rulesets), settings.max_upload, settings.token is not None)

    async def index(request: Request) -> Response:
        return HTMLResponse(page, headers=SECURITY_HEADERS)

    async def docs(request: Request) -> Response:
        return HTMLResponse(docs_page(document, str(request.base_url)), headers=SECURITY_HEADERS)

    async def openapi_json(request: Request) -> Response:
        return JSONResponse(document, headers=SECURITY_HEADERS)

    async def healthz(request: Request) -> Response:
        return JSONResponse({"status": "ok", "fzcheck": __version__})

    async def rules(request: Request) -> Response:
        _authorise(request, settings)
        return JSONResponse({"rulesets": [_ruleset_dict(ruleset, index == 0)
                                          for index, ruleset in enumerate(settings.rulesets.values())]})

    def one(work: Callable[[Job], Answer], formats: tuple[str, ...]):
        async def handle(request: Request) -> Response:
            chosen = _format(request, settings, formats)
            private = _Private()
            try:
                answer = await score(private, work, await _job(request, settings, private, chosen, several=False))
            finally:
                private.remove()
            return _answer(answer, chosen)
        return handle

    async def batch(request: Request) -> Response:
        chosen = _format(request, settings, BATCH_FORMATS)
        progress = _progress(request, chosen)
        private = _Private()
        try:
            job = await _job(request, settings, private, chosen, several=True, progress=progress)
            found = await score(private, unpacked, job)
            if isinstance(found, Answer):  # a zip refused
                return _answer(found, chosen)
            if progress:
                return _Streamed(progress_lines(private, job, found), private)
            return _answer(await score(private, batch_many, job, found), chosen)
        finally:
            if not private.streamed:
                private.remove()

    async def progress_lines(private: _Private, job: Job, found: Found) -> AsyncIterator[bytes]:
        """A line as each file is scored (parts in the pool, `ahead` at a time, taken in the
        batch's order), then the batch itself, whose results are all in the request's cache by then."""
        waiting, running, done = deque(parts(found)), set(), 0
        try:
            while waiting or running:
                while waiting and len(running) < ahead:
                    running.add(asyncio.ensure_future(score(private, score_ahead, job, waiting.popleft())))
                finished, running = await asyncio.wait(running, return_when=asyncio.FIRST_COMPLETED)
                for task in finished:
                    for name in task.result():
                        done += 1
                        yield _line({"done": done, "total": len(found.files), "file": shown_name(name)})
            answer = await score(private, batch_many, job, found)
            yield _line({"result": answer.body.decode("utf-8")})
        except Refused as problem:
            yield _line(error_dict(problem.file, problem.message))
        except Exception as problem:  # noqa: BLE001 - the status is sent: the last line says what went wrong
            _log_internal("POST /api/batch", problem)
            yield _line(error_dict("", INTERNAL))
        finally:
            for task in running:
                task.cancel()

    handlers = {"page": index, "docs": docs, "openapi": openapi_json, "healthz": healthz, "rules": rules,
                "audit": one(audit_one, AUDIT_FORMATS), "precheck": one(precheck_one, ("json",)), "batch": batch}
    return Starlette(routes=[Route(operation.path, handlers[operation.name], methods=[operation.method])
                             for operation in OPERATIONS],
                     middleware=[Middleware(_InternalErrors)], lifespan=lifespan,
                     exception_handlers={HTTPException: _http_error, Refused: _refused})


SECURITY_HEADERS = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer",
                    "Cache-Control": "no-store", "X-Frame-Options": "SAMEORIGIN"}
"""No caching of a report's results, no framing by other sites."""


def _format(request: Request, settings: Settings, formats: tuple[str, ...]) -> str:
    _authorise(request, settings)
    chosen = request.query_params.get("format", "json")
    if chosen not in formats:
        raise Refused(400, f"format 应为 {'、'.join(formats)} 之一：{chosen}")
    return chosen


def _progress(request: Request, chosen: str) -> bool:
    value = request.query_params.get("progress", "0")
    if value not in ("0", "1"):
        raise Refused(400, f"progress 应为 0 或 1：{value}")
    if value == "1" and chosen not in PROGRESS_FORMATS:
        raise Refused(400, f"progress=1 只用于文本格式（{'、'.join(PROGRESS_FORMATS)}）；{chosen} 请不带 progress 下载")
    return value == "1"


def _answer(answer: Answer, chosen: str) -> Response:
    media = CONTENT_TYPES[chosen] if answer.status == 200 else CONTENT_TYPES["json"]
    return Response(answer.body, answer.status, media_type=media, headers=SECURITY_HEADERS)


def _line(data: dict) -> bytes:
    return (json.dumps(data, ensure_ascii=False) + "\n").encode("utf-8")


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


class _InternalErrors:
    """An unexpected exception answers 500 in the one error shape, and is logged in one line
    without its message or traceback, which may quote the report (Starlette's own handler would
    re-raise it for uvicorn to log whole)."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def sending(message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, sending)
        except Exception as problem:  # noqa: BLE001 - this is the last place it can be answered
            _log_internal(f"{scope['method']} {scope['path']}", problem)
            if not started:
                upload = scope.get("state", {}).get("upload", "")
                await JSONResponse(error_dict(upload, INTERNAL), 500, headers=SECURITY_HEADERS)(scope, receive, send)


def _log_internal(request: str, problem: Exception) -> None:
    log.error("fzcheck serve：%s 内部错误 %s，位于 %s", request, type(problem).__name__, _raised_at(problem))


def _raised_at(problem: Exception) -> str:
    """Where the exception was raised (file:line function), in the worker when it came from one;
    read from the frames only, never from the message."""
    remote = getattr(problem.__cause__, "tb", None)  # concurrent.futures: the worker's traceback, as text
    if isinstance(remote, str):
        # Its first block (the first exception raised) is frame lines, each indented, up to the
        # exception's own line: nothing after that is read, whatever the message holds.
        block = remote.split("Traceback (most recent call last):\n", 1)[-1].splitlines()
        frames = []
        for line in block:
            if not line.startswith("  "):
                break
            if line.startswith('  File "'):
                file, _, rest = line[8:].partition('", line ')
                number, _, function = rest.partition(", in ")
                frames.append((file, number, function))
    else:
        frames = [(frame.filename, frame.lineno, frame.name) for frame in traceback.extract_tb(problem.__traceback__)]
    if not frames:
        return "未知位置"
    file, number, function = frames[-1]
    return f"{os.path.basename(file)}:{number} {function}"


def _authorise(request: Request, settings: Settings) -> None:
    if settings.token is None:
        return
    given = request.headers.get("authorization", "")
    if not hmac.compare_digest(given.encode(), f"Bearer {settings.token}".encode()):
        raise Refused(401, "需要访问令牌：请在页面上填写，或在请求头中给出 Authorization: Bearer 令牌")


async def _job(request: Request, settings: Settings, private: _Private, chosen: str, several: bool,
               progress: bool = False) -> Job:
    """The request's form read within the upload limit, its files written into the private folder."""
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
            with open(os.path.join(private.inputs, name), "xb") as out:
                await asyncio.to_thread(shutil.copyfileobj, upload.file, out)
            names.append(name)
        if not several:
            request.state.upload = names[0]  # the "file" of an internal error's answer
        return Job(folder=private.inputs, names=tuple(names), rules=_rules_path(form.get("rules"), settings),
                   format=chosen, year=_field(form, "year", parse_year), published=_field(form, "published", parse_date),
                   kind=_field(form, "kind", parse_kind), progress=progress)
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
