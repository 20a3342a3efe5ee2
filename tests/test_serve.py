"""fzcheck serve (issue 12): the API gives what the command line gives for the same file, refuses
what it must (too large, unreadable, zip bombs and paths out of a zip, no token) in the one
error shape of the JSON outputs, answers its own bugs in that shape too without a word of the
report, streams a batch's progress without changing its answer, keeps nothing after answering
(no upload, no cached result), and does not make a small report wait for a big one.

The app runs in Starlette's TestClient (its worker processes are real); the tests of the command
itself start `fzcheck serve`. The page in a browser is tests/test_serve_browser.py, the OpenAPI
document tests/test_serve_openapi.py.
"""
from __future__ import annotations

import contextlib
import io
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import zipfile
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from conftest import REPO

from checker.cli import main
from checker.commands.formats import AUDIT, BATCH, formats_of
from checker.ruleset import load_ruleset

starlette_testclient = pytest.importorskip("starlette.testclient")
from checker.web import work  # noqa: E402
from checker.web.api import AUDIT_FORMATS, BATCH_FORMATS, CONTENT_TYPES  # noqa: E402
from checker.web.app import INTERNAL, Settings, create_app  # noqa: E402

SAMPLES = REPO / "samples"
SAMPLE_NAMES = sorted(path.name for path in SAMPLES.glob("*.txt"))
REPORT = SAMPLES / "yunxi_county_2024.txt"


def app(jobs: int = 2, **options):
    ruleset = load_ruleset(None)
    return create_app(Settings({ruleset.id: ruleset}, jobs=jobs, **options))


@pytest.fixture(scope="module")
def client() -> Iterator[starlette_testclient.TestClient]:
    with starlette_testclient.TestClient(app()) as client:
        yield client


def upload(*paths: Path, name: str | None = None) -> list[tuple[str, tuple[str, bytes]]]:
    return [("file", (name or path.name, path.read_bytes())) for path in paths]


def cli(folder: Path, *argv: str) -> bytes:
    """`fzcheck ARGV` run in `folder`, as a user beside the files runs it: its stdout."""
    out = io.StringIO()
    previous = os.getcwd()
    os.chdir(folder)
    try:
        with contextlib.redirect_stdout(out):
            main([*argv, "--no-config"])
    finally:
        os.chdir(previous)
    return out.getvalue().encode("utf-8")


# ---------------------------------------------------------------- the same as the command line

@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_api_audit_is_exactly_the_cli_json(client, name: str) -> None:
    response = client.post("/api/audit", files=upload(SAMPLES / name))
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.content == cli(SAMPLES, "audit", name, "--format", "json")


def test_the_report_facts_given_are_the_options_of_audit(client) -> None:
    response = client.post("/api/audit", files=upload(REPORT),
                           data={"year": "2023", "published": "2024-03-20", "kind": "部门"})
    assert response.content == cli(SAMPLES, "audit", REPORT.name, "--format", "json", "--year", "2023",
                                   "--published", "2024-03-20", "--kind", "department")
    report = response.json()["report"]
    assert (report["year"], report["kind"], report["kind_source"]) == (2023, "department", "user")


def test_the_report_page_is_audits_html(client) -> None:
    response = client.post("/api/audit?format=html", files=upload(REPORT))
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert response.content == cli(SAMPLES, "audit", REPORT.name, "--format", "html")


def test_the_batch_json_is_the_cli_batch_json(client, tmp_path: Path) -> None:
    response = client.post("/api/batch", files=upload(*(SAMPLES / name for name in SAMPLE_NAMES)))
    assert response.status_code == 200
    expected = json.loads(cli(SAMPLES, "batch", *SAMPLE_NAMES, "--format", "json", "--no-cache", "-q"))
    assert response.json() == expected


def test_precheck_gives_the_verdict(client) -> None:
    verdicts = client.post("/api/precheck", files=upload(SAMPLES / "baihu_district_2024_weak.txt")).json()["verdicts"]
    assert verdicts[0]["file"] == "baihu_district_2024_weak.txt" and verdicts[0]["passed"] is False


def test_every_format_of_audit_and_batch_but_the_terminal_table_is_served(client) -> None:
    assert set(AUDIT_FORMATS) == {item.name for item in formats_of(AUDIT)} - {"table"}
    assert set(BATCH_FORMATS) == {item.name for item in formats_of(BATCH)} - {"table"}
    for name in AUDIT_FORMATS:
        response = client.post(f"/api/audit?format={name}", files=upload(REPORT))
        assert (response.status_code, response.headers["content-type"]) == (200, CONTENT_TYPES[name]), name
    for name in BATCH_FORMATS:
        response = client.post(f"/api/batch?format={name}", files=upload(REPORT))
        assert (response.status_code, response.headers["content-type"]) == (200, CONTENT_TYPES[name]), name
    assert client.post("/api/audit?format=docx", files=upload(REPORT)).content.startswith(b"PK")
    assert client.post("/api/batch?format=xlsx", files=upload(REPORT)).content.startswith(b"PK")
    assert client.post("/api/batch?format=csv", files=upload(REPORT)).content.startswith("\ufeff".encode())


# ---------------------------------------------------------------- zips

def zipped(members: dict[str, bytes], path: Path) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def test_a_zip_is_scored_as_a_folder_of_its_name(client, tmp_path: Path) -> None:
    archive = zipped({f"区县/{name}": (SAMPLES / name).read_bytes() for name in SAMPLE_NAMES[:2]}
                     | {"__MACOSX/._x.txt": b"x", "说明.xlsx": b"not a report"}, tmp_path / "报告.zip")
    data = client.post("/api/batch", files=upload(archive)).json()
    files = sorted(report["file"] for report in data["reports"] + data["not_reports"])
    assert files == [f"报告/区县/{name}" for name in SAMPLE_NAMES[:2]]
    assert data["errors"] == []


@pytest.mark.parametrize("member", ["../escape.txt", "/etc/evil.txt", "a/../../escape.txt", "..\\escape.txt"])
def test_a_zip_naming_a_path_outside_itself_is_refused(client, tmp_path: Path, member: str) -> None:
    response = client.post("/api/batch", files=upload(zipped({member: b"x"}, tmp_path / "bad.zip")))
    assert response.status_code == 400
    assert response.json() == {"file": "bad.zip", "error": response.json()["error"]}
    assert "越出" in response.json()["error"]


def test_a_zip_bomb_is_refused(client, tmp_path: Path) -> None:
    response = client.post("/api/batch", files=upload(zipped({"big.txt": b"0" * 50_000_000}, tmp_path / "bomb.zip")))
    assert response.status_code == 400
    assert "压缩炸弹" in response.json()["error"]


def test_a_damaged_zip_is_refused(client, tmp_path: Path) -> None:
    (tmp_path / "broken.zip").write_bytes(b"PK\x03\x04 not really")
    assert client.post("/api/batch", files=upload(tmp_path / "broken.zip")).status_code == 400


# ---------------------------------------------------------------- what is refused

def test_an_unreadable_report_is_422_in_the_error_shape(client, tmp_path: Path) -> None:
    (tmp_path / "空.txt").write_bytes(b"")
    response = client.post("/api/audit", files=upload(tmp_path / "空.txt"))
    assert response.status_code == 422
    assert response.json() == {"file": "空.txt", "error": "文件为空 / empty file"}


def test_one_bad_file_in_a_batch_is_one_error_row(client, tmp_path: Path) -> None:
    (tmp_path / "空.txt").write_bytes(b"")
    data = client.post("/api/batch", files=upload(REPORT, tmp_path / "空.txt")).json()
    assert [error["file"] for error in data["errors"]] == ["空.txt"]
    assert [report["file"] for report in data["reports"]] == [REPORT.name]


@pytest.mark.parametrize("query, fields, files, words", [
    ("", {}, [], "请上传"),
    ("", {"year": "24"}, None, "四位数"),
    ("", {"published": "2024-02-30"}, None, "没有这一天"),
    ("", {"kind": "村"}, None, "government"),
    ("", {"rules": "sichuan"}, None, "没有规则集"),
    ("?format=xlsx", {}, None, "format"),
    ("?format=table", {}, None, "format"),
])
def test_bad_input_is_400_in_chinese(client, query, fields, files, words) -> None:
    response = client.post(f"/api/audit{query}", data=fields, files=upload(REPORT) if files is None else files)
    assert response.status_code == 400
    assert set(response.json()) == {"file", "error"} and words in response.json()["error"]


def test_audit_takes_one_report(client) -> None:
    assert client.post("/api/audit", files=upload(REPORT, REPORT)).status_code == 400


def test_a_path_in_the_uploaded_name_is_dropped(client) -> None:
    response = client.post("/api/audit", files=upload(REPORT, name="../../etc/yunxi.txt"))
    assert response.json()["file"] == "yunxi.txt"


def test_an_upload_over_the_limit_is_413_in_chinese(tmp_path: Path) -> None:
    assert REPORT.stat().st_size > 5_000
    with starlette_testclient.TestClient(app(max_upload=5_000)) as small:
        response = small.post("/api/audit", files=upload(REPORT))
        assert response.status_code == 413
        assert "太大" in response.json()["error"]

        def chunks():  # no Content-Length: counted as it comes
            yield b"--x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n\r\n"
            for _ in range(20):
                yield b"0" * 1000
        response = small.post("/api/audit", content=chunks(), headers={"content-type": "multipart/form-data; boundary=x"})
        assert response.status_code == 413


def test_a_token_guards_the_api_but_not_the_page(tmp_path: Path) -> None:
    with starlette_testclient.TestClient(app(token="s3cret")) as guarded:
        assert guarded.post("/api/audit", files=upload(REPORT)).status_code == 401
        wrong = {"Authorization": "Bearer nope"}
        assert guarded.post("/api/audit", files=upload(REPORT), headers=wrong).status_code == 401
        assert guarded.get("/api/rules").status_code == 401
        right = {"Authorization": "Bearer s3cret"}
        assert guarded.post("/api/audit", files=upload(REPORT), headers=right).status_code == 200
        assert guarded.get("/healthz").status_code == 200
        assert 'id="token-field"' in guarded.get("/").text


def test_nothing_of_an_upload_is_left_behind(client, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    client.post("/api/audit", files=upload(REPORT))
    client.post("/api/batch?format=xlsx", files=upload(zipped({"a/x.txt": REPORT.read_bytes()}, tmp_path / "z.zip")))
    (tmp_path / "z.zip").unlink()
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------- rules, health, page

def test_rules_lists_the_rule_sets_and_their_items(client) -> None:
    rulesets = client.get("/api/rules").json()["rulesets"]
    national = load_ruleset(None)
    assert [(item["id"], item["default"]) for item in rulesets] == [(national.id, True)]
    assert [rule["id"] for rule in rulesets[0]["rules"]] == [rule.spec.id for rule in national.rules]


def test_healthz(client) -> None:
    assert client.get("/healthz").json()["status"] == "ok"


def test_the_page_is_self_contained_and_labelled(client) -> None:
    response = client.get("/")
    page = response.text
    assert response.headers["content-type"].startswith("text/html")
    assert '<html lang="zh-CN">' in page and 'name="viewport"' in page
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page), "nothing fetched from elsewhere"
    assert "{{" not in page
    for field in re.findall(r'<(?:input|select)[^>]*\bid="([^"]+)"', page):
        assert f'for="{field}"' in page, f"{field} has no label"
    assert 'role="alert"' in page and 'aria-live="polite"' in page


# ---------------------------------------------------------------- the command

def test_a_host_other_computers_reach_needs_a_token(capsys) -> None:
    assert main(["serve", "--host", "0.0.0.0", "--no-config"]) == 2
    assert "--token" in capsys.readouterr().err


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def serving(*options: str, env: dict[str, str] | None = None) -> Iterator[tuple[str, subprocess.Popen]]:
    """`fzcheck serve` in its own process, with `env` added to its environment: the address it
    prints, and the process (its stderr can be read once the block is left and the server stopped)."""
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "checker", "serve", "--port", str(port), "--no-config", *options],
                               cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, **(env or {})})
    try:
        line = process.stdout.readline()
        address = re.search(r"http://\S+?/", line)
        assert address, line + process.stderr.read()
        url = address[0]
        for _ in range(100):
            with contextlib.suppress(OSError):
                urllib.request.urlopen(url.replace("0.0.0.0", "127.0.0.1") + "healthz", timeout=2).read()
                break
            time.sleep(0.1)
        yield url, process
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_serve_prints_its_address_and_answers() -> None:
    with serving() as (url, _):
        assert url.startswith("http://127.0.0.1:")
        assert json.loads(urllib.request.urlopen(url + "healthz", timeout=5).read())["status"] == "ok"
        assert "法治政府建设年度报告检查" in urllib.request.urlopen(url, timeout=5).read().decode("utf-8")


def test_another_host_with_a_token_is_served_with_a_warning() -> None:
    with serving("--host", "0.0.0.0", "--token", "s3cret") as (url, process):
        assert url.startswith("http://0.0.0.0:")
        request = urllib.request.Request(url.replace("0.0.0.0", "127.0.0.1") + "api/rules",
                                          headers={"Authorization": "Bearer s3cret"})
        assert json.loads(urllib.request.urlopen(request, timeout=5).read())["rulesets"]
    assert "其他计算机可以访问" in process.stderr.read()


# ---------------------------------------------------------------- a batch's progress

def progress_lines(response) -> list[dict]:
    assert response.headers["content-type"] == CONTENT_TYPES["jsonl"]
    return [json.loads(line) for line in response.text.splitlines()]


def mixed_batch(folder: Path) -> list[tuple[str, tuple[str, bytes]]]:
    """The samples, an empty file (an error row) and a zip of two of them in a folder: 7 files."""
    (folder / "空.txt").write_bytes(b"")
    archive = zipped({f"区县/{name}": (SAMPLES / name).read_bytes() for name in SAMPLE_NAMES[:2]}, folder / "报告.zip")
    return upload(*(SAMPLES / name for name in SAMPLE_NAMES), folder / "空.txt", archive)


def batch_names() -> set[str]:
    return {*SAMPLE_NAMES, "空.txt", *(f"报告/区县/{name}" for name in SAMPLE_NAMES[:2])}


@pytest.mark.parametrize("chosen", ["json", "jsonl", "csv"])
def test_a_batch_with_progress_counts_each_file_then_answers_as_without(client, tmp_path: Path, chosen: str) -> None:
    files = mixed_batch(tmp_path)
    plain = client.post(f"/api/batch?format={chosen}", files=files)
    lines = progress_lines(client.post(f"/api/batch?format={chosen}&progress=1", files=files))
    *progress, last = lines
    assert [(line["done"], line["total"]) for line in progress] == [(done, 7) for done in range(1, 8)]
    assert {line["file"] for line in progress} == batch_names()
    assert last["result"].encode("utf-8") == plain.content


def test_parts_scored_side_by_side_finish_in_any_order_and_change_nothing(monkeypatch: pytest.MonkeyPatch,
                                                                          tmp_path: Path) -> None:
    """A part per file, two at a time (four workers): the lines come as parts finish."""
    monkeypatch.setattr(work, "PART_BYTES", 1)
    files = mixed_batch(tmp_path)
    with starlette_testclient.TestClient(app(jobs=4)) as wide:
        plain = wide.post("/api/batch", files=files)
        *progress, last = progress_lines(wide.post("/api/batch?progress=1", files=files))
    assert [line["done"] for line in progress] == list(range(1, 8))
    assert sorted(line["file"] for line in progress) == sorted(batch_names())
    assert json.loads(last["result"]) == plain.json()


def test_the_page_gets_the_batch_page_in_the_last_line(client) -> None:
    *_, last = progress_lines(client.post("/api/batch?format=html&progress=1", files=upload(REPORT)))
    assert last["result"].startswith("<!DOCTYPE html>") and REPORT.name in last["result"]


@pytest.mark.parametrize("query, words", [("format=xlsx&progress=1", "文本格式"), ("progress=yes", "progress")])
def test_progress_is_refused_where_it_cannot_be_given(client, query: str, words: str) -> None:
    response = client.post(f"/api/batch?{query}", files=upload(REPORT))
    assert response.status_code == 400 and words in response.json()["error"]


def test_a_refused_zip_is_a_400_before_any_progress(client, tmp_path: Path) -> None:
    response = client.post("/api/batch?progress=1", files=upload(zipped({"../x.txt": b"x"}, tmp_path / "bad.zip")))
    assert response.status_code == 400 and response.json()["file"] == "bad.zip"


def test_nothing_of_a_batch_with_progress_is_left_behind(client, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    client.post("/api/batch?progress=1", files=mixed_batch(tmp_path))
    assert list((tmp_path / "tmp").iterdir()) == []


# ---------------------------------------------------------------- the server's own errors

def leaky(job: work.Job) -> work.Answer:
    """A worker that fails quoting the report, as a bug deep in a reader might: pickled by name
    into the workers, which import this module."""
    raise ValueError(Path(job.folder, job.names[0]).read_text(encoding="utf-8"))


def leaky_batch(job: work.Job, found: work.Found) -> work.Answer:
    return leaky(job)


SECRET = REPORT.read_text(encoding="utf-8").splitlines()[0]
"""The report's first line (its title), which nothing the server says or logs may contain."""


def test_an_internal_error_is_500_in_the_error_shape_and_keeps_the_report_out(
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, tmp_path: Path) -> None:
    monkeypatch.setattr("checker.web.app.audit_one", leaky)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    with starlette_testclient.TestClient(app()) as broken:
        response = broken.post("/api/audit", files=upload(REPORT))
    assert response.status_code == 500
    assert response.json() == {"file": REPORT.name, "error": INTERNAL}
    assert "服务器内部错误" in INTERNAL
    logged = [record.getMessage() for record in caplog.records if "内部错误" in record.getMessage()]
    assert len(logged) == 1 and "ValueError" in logged[0] and "test_serve.py" in logged[0] and "leaky" in logged[0]
    assert SECRET not in caplog.text and SECRET not in response.text and "Traceback" not in caplog.text
    assert list(tmp_path.iterdir()) == []


def test_an_internal_error_in_the_server_itself_is_500_too(client, monkeypatch: pytest.MonkeyPatch,
                                                           caplog: pytest.LogCaptureFixture) -> None:
    def failing(*_: object) -> dict:
        raise RuntimeError(SECRET)

    monkeypatch.setattr("checker.web.app._ruleset_dict", failing)
    response = client.get("/api/rules")
    assert (response.status_code, response.json()) == (500, {"file": "", "error": INTERNAL})
    assert "RuntimeError" in caplog.text and "failing" in caplog.text and SECRET not in caplog.text


def test_an_internal_error_during_a_batch_with_progress_is_its_last_line(
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setattr("checker.web.app.batch_many", leaky_batch)
    with starlette_testclient.TestClient(app()) as broken:
        assert broken.post("/api/batch", files=upload(REPORT)).json() == {"file": "", "error": INTERNAL}
        *progress, last = progress_lines(broken.post("/api/batch?progress=1", files=upload(REPORT)))
    assert progress == [{"done": 1, "total": 1, "file": REPORT.name}]
    assert last == {"file": "", "error": INTERNAL}
    assert SECRET not in caplog.text


# ---------------------------------------------------------------- the real server

def test_a_server_batch_leaves_no_result_in_any_cache(tmp_path: Path) -> None:
    """The result cache would keep a trace of every upload: the server never writes to it, nor
    leaves the results of a batch with progress (scored ahead into the request's folder)."""
    cache, xdg, temporary = tmp_path / "cache", tmp_path / "xdg", tmp_path / "tmp"
    temporary.mkdir()
    files = mixed_batch(tmp_path)

    def caches() -> list[Path]:
        return sorted(path for folder in (cache, xdg) for path in folder.rglob("*"))

    with serving(env={"FZCHECK_CACHE_DIR": str(cache), "XDG_CACHE_HOME": str(xdg), "TMPDIR": str(temporary)}) as (url, _):
        before = caches()  # the compiled rule set, from start-up
        for query in ("", "?progress=1", "?format=xlsx"):
            assert httpx.post(url + "api/batch" + query, files=files, timeout=60).status_code == 200
        assert caches() == before
        deadline = time.monotonic() + 10  # a stream's folder goes just after its last line is sent
        while list(temporary.glob("fzcheck-serve-*")) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not list(temporary.glob("fzcheck-serve-*"))
    assert not [path for path in tmp_path.rglob("*") if path.name == "results"]


def test_a_client_that_leaves_mid_batch_leaves_nothing_behind(tmp_path: Path) -> None:
    """The folder goes once the worker still scoring a part of it is done."""
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    files = upload(*(big_report(tmp_path / f"{index}.txt", 2) for index in range(4)))
    with serving(env={"TMPDIR": str(temporary)}) as (url, process):
        with httpx.stream("POST", url + "api/batch?progress=1", files=files, timeout=60) as response:
            first = json.loads(next(response.iter_lines()))
        assert first["done"] == 1 and first["total"] == 4
        deadline = time.monotonic() + 20
        while list(temporary.glob("fzcheck-serve-*")) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not list(temporary.glob("fzcheck-serve-*"))
    assert "内部错误" not in process.stderr.read()


def big_report(path: Path, megabytes: int) -> Path:
    """A report of several MB: the samples' text over and over (about 0.2 s a MB to check)."""
    text = "\n".join((SAMPLES / name).read_text(encoding="utf-8") for name in SAMPLE_NAMES)
    path.write_text("\n".join([text] * (megabytes * 1_000_000 // len(text.encode("utf-8")) + 1)), encoding="utf-8")
    return path


def test_one_big_report_does_not_hold_up_a_small_one(tmp_path: Path) -> None:
    big = upload(big_report(tmp_path / "大报告.txt", 12))
    ended: dict[str, float] = {}

    def audit(name: str, files: list) -> None:
        assert httpx.post(url + "api/audit", files=files, timeout=120).status_code == 200
        ended[name] = time.monotonic()

    with serving("--jobs", "2") as (url, _):
        warming = [threading.Thread(target=audit, args=(f"warm{index}", upload(REPORT))) for index in range(2)]
        for thread in warming:  # both workers started, their modules imported
            thread.start()
        for thread in warming:
            thread.join()
        slow = threading.Thread(target=audit, args=("big", big))
        slow.start()
        time.sleep(1)  # uploaded and being checked
        assert slow.is_alive(), "the big report was checked within a second: make it bigger"
        assert httpx.get(url + "healthz", timeout=5).json()["status"] == "ok"
        audit("small", upload(REPORT))
        assert slow.is_alive()
        slow.join()
    assert ended["small"] < ended["big"]
