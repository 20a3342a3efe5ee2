"""fzcheck serve (issue 12): the API gives what the command line gives for the same file, refuses
what it must (too large, unreadable, zip bombs and paths out of a zip, no token) in the one
error shape of the JSON outputs, keeps nothing after answering, and the page is one
self-contained document a browser can use.

The app runs in Starlette's TestClient (its worker processes are real); one test starts the
command itself and one drives the page in headless Chromium when chromedriver is installed.
"""
from __future__ import annotations

import contextlib
import io
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import REPO

from checker.cli import main
from checker.commands.formats import AUDIT, BATCH, formats_of
from checker.ruleset import load_ruleset

starlette_testclient = pytest.importorskip("starlette.testclient")
from checker.web.app import AUDIT_FORMATS, BATCH_FORMATS, CONTENT_TYPES, Settings, create_app  # noqa: E402

SAMPLES = REPO / "samples"
SAMPLE_NAMES = sorted(path.name for path in SAMPLES.glob("*.txt"))
REPORT = SAMPLES / "yunxi_county_2024.txt"


def app(**options):
    ruleset = load_ruleset(None)
    return create_app(Settings({ruleset.id: ruleset}, jobs=2, **options))


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
def serving(*options: str) -> Iterator[tuple[str, subprocess.Popen]]:
    """`fzcheck serve` in its own process: the address it prints, and the process (its stderr
    can be read once the block is left and the server stopped)."""
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "checker", "serve", "--port", str(port), "--no-config", *options],
                               cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
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


CHROMEDRIVER, CHROMIUM = shutil.which("chromedriver"), shutil.which("chromium")


@pytest.mark.skipif(not (CHROMEDRIVER and CHROMIUM), reason="no chromium and chromedriver (Debian: apt install chromium-driver)")
def test_the_page_in_a_real_browser_uploads_a_sample_and_shows_the_verdict(tmp_path: Path) -> None:
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    options = webdriver.ChromeOptions()
    for argument in ("--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={tmp_path / 'profile'}",
                     "--window-size=1280,1600"):
        options.add_argument(argument)
    options.binary_location = CHROMIUM  # with both paths given, Selenium looks nothing up online
    with serving() as (url, _):
        browser = webdriver.Chrome(options=options, service=webdriver.ChromeService(CHROMEDRIVER))
        try:
            browser.get(url)
            browser.find_element(By.ID, "file").send_keys(str(SAMPLES / "baihu_district_2024_weak.txt"))
            browser.find_element(By.ID, "submit").click()
            wait = WebDriverWait(browser, 60)
            verdict = wait.until(expected_conditions.visibility_of_element_located((By.ID, "verdict")))
            assert "未通过" in verdict.text
            browser.switch_to.frame(browser.find_element(By.ID, "view"))
            assert "审查意见" in browser.find_element(By.TAG_NAME, "h1").text
            browser.switch_to.default_content()
            files = browser.find_element(By.ID, "file")
            files.send_keys("\n".join(str(SAMPLES / name) for name in SAMPLE_NAMES))
            browser.find_element(By.ID, "submit").click()
            wait.until(lambda driver: driver.find_element(By.ID, "status-text").text == "检查完成"
                       and not driver.find_element(By.ID, "verdict").is_displayed())
            browser.switch_to.frame(browser.find_element(By.ID, "view"))
            assert wait.until(lambda driver: driver.find_elements(By.TAG_NAME, "table"))
        finally:
            browser.quit()
