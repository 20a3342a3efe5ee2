"""Output targets of every kind and hostile text in every format (issue 8, items 1, 2, 5, 13, 14).

The hostile text is put into the results after scoring (a stand-in for `audit_path`), so these
tests are about the output side whatever the readers keep of an input's control characters.
"""
from __future__ import annotations

import errno
import json
import os
import re
import stat
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import PLUMBING_RULES, REPORT_FIXTURES, STRONG, WEAK, run_fzcheck

import checker.batch
import checker.commands.audit
import checker.commands.precheck
from checker.cli import main
from checker.commands import EXIT_OK, EXIT_USAGE
from checker.models import Evidence
from checker.output.safe_text import shown, shown_name, shown_result
from checker.pipeline import audit_path
from checker.ruleset import RuleSet

RULES = ("--rules", str(PLUMBING_RULES))
HOSTILE = "\x1b]0;pwned\x07\x1b[2J\x9b\x0b\x00\ufffe"
RAW_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
"""What must never reach a terminal or a file (\\r is allowed: CSV ends its rows with \\r\\n)."""

pytestmark = pytest.mark.usefixtures("wide_terminal")


def _report(tmp_path: Path, name: str = STRONG) -> Path:
    path = tmp_path / name
    path.write_text((REPORT_FIXTURES / name).read_text(encoding="utf-8"), encoding="utf-8")
    return path


# ---------------------------------------------------------------- the shared helper

def test_shown_escapes_controls_surrogates_and_xml_non_characters_visibly() -> None:
    assert shown("a\x1b[2Jb\x07\x9b\n\tc\ufffe") == "a\\x1b[2Jb\\x07\\x9b\n\tc\\ufffe"
    assert shown_name(os.fsdecode(b"bad\xff\xfe.txt")) == "bad\\xff\\xfe.txt"
    assert shown_name("two\nlines\t.txt") == "two\\x0alines\\x09.txt"
    assert shown("普通的文字 [rule-id]") == "普通的文字 [rule-id]"


# ---------------------------------------------------------------- item 13, 14: hostile text

@pytest.fixture()
def hostile(monkeypatch: pytest.MonkeyPatch):
    """Every text of every result carries control characters, the file name too."""
    real = checker.batch.audit_path

    def audit_path(path, ruleset, overrides=None):
        result = real(path, ruleset, overrides)
        results = [replace(item, message=item.message + HOSTILE,
                           evidence=[replace(evidence, text=evidence.text + HOSTILE) for evidence in item.evidence])
                   for item in result.results]
        return replace(result, file=result.file + HOSTILE + "\nline2",
                       report=replace(result.report, title=f"标题{HOSTILE}"), results=results)

    for module in (checker.batch, checker.commands.audit, checker.commands.precheck):
        monkeypatch.setattr(module, "audit_path", audit_path)


def _clean(text: str) -> None:
    assert not RAW_CONTROL.search(text), repr(RAW_CONTROL.search(text))
    assert "\\x1b" in text  # shown, not dropped


def test_a_clean_result_is_passed_on_and_any_text_field_is_escaped(plumbing: RuleSet) -> None:
    result = audit_path(str(REPORT_FIXTURES / STRONG), plumbing)
    assert shown_result(result) is result  # nothing copied for the usual report
    rule = result.results[0]
    hostile = replace(result, report=replace(result.report, issuer_source="源\x1b"),
                      results=[replace(rule, evidence=[Evidence(line=1, text="引文", section="节\x07")])])
    shown_hostile = shown_result(hostile)
    assert shown_hostile.report.issuer_source == "源\\x1b"
    assert shown_hostile.results[0].evidence[0] == Evidence(line=1, text="引文", section="节\\x07")
    assert shown_hostile.results[0].status is rule.status and shown_hostile.score == result.score


@pytest.mark.parametrize("argv", [
    ("audit",), ("audit", "--format", "json"),
    ("precheck",), ("precheck", "--compact"), ("precheck", "--format", "json"),
    ("precheck", "--format", "junit"), ("precheck", "--format", "sarif"),
    ("batch", "--jobs", "1"), *(("batch", "--jobs", "1", "--format", name) for name in ("json", "jsonl", "csv", "html")),
])
def test_control_characters_from_inputs_never_reach_the_output_raw(hostile, tmp_path, capsys, argv) -> None:
    path = _report(tmp_path, WEAK)
    main([*argv, *RULES, str(path)])
    out, err = capsys.readouterr()
    _clean(out)
    assert not RAW_CONTROL.search(err)


def test_junit_is_well_formed_whatever_the_report_contains(hostile, tmp_path, capsys) -> None:
    main(["precheck", "--format", "junit", *RULES, str(_report(tmp_path, WEAK))])
    root = ET.fromstring(capsys.readouterr().out.encode("utf-8"))
    assert root.tag == "testsuites"


# ---------------------------------------------------------------- item 2: names that are not UTF-8

@pytest.mark.skipif(sys.platform in ("darwin", "win32"), reason="the file system refuses names that are not UTF-8")
@pytest.mark.parametrize("output_format", ["jsonl", "json", "csv", "html", "table"])
def test_a_file_name_that_is_not_utf8_is_written_with_a_visible_escape(tmp_path, output_format) -> None:
    folder = tmp_path / "d"
    folder.mkdir()
    (folder / STRONG).write_bytes((REPORT_FIXTURES / STRONG).read_bytes())
    with open(os.path.join(os.fsencode(folder), b"bad\xff\xfe.txt"), "wb") as handle:
        handle.write((REPORT_FIXTURES / WEAK).read_bytes())
    target = tmp_path / f"out.{output_format}"
    done = run_fzcheck("batch", "--quiet", *RULES, "d", "--format", output_format, "-o", str(target), cwd=tmp_path)
    assert done.returncode == EXIT_OK, done.stderr
    text = target.read_text(encoding="utf-8-sig")
    assert "d/bad\\xff\\xfe.txt" in text.replace("\\\\", "\\")  # JSON doubles the backslash
    if output_format == "jsonl":
        assert [json.loads(line)["file"] for line in text.splitlines()][0].endswith("bad\\xff\\xfe.txt")


# ---------------------------------------------------------------- item 1: devices and FIFOs

def test_output_to_a_fifo_is_written_through_and_the_fifo_stays(tmp_path, capsys) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE)
    try:
        main(["audit", *RULES, str(_report(tmp_path)), "--format", "json", "-o", str(fifo)])
        assert stat.S_ISFIFO(os.stat(fifo).st_mode)
        out, _ = reader.communicate(timeout=10)
        assert json.loads(out)["score"] == 100
    finally:
        reader.kill()
        reader.wait(timeout=10)


@pytest.mark.skipif(not Path("/dev/stdout").exists(), reason="no /dev/stdout")
def test_output_to_dev_stdout_and_dev_null_works(tmp_path) -> None:
    report = str(_report(tmp_path))
    done = run_fzcheck("audit", *RULES, report, "--format", "json", "-o", "/dev/stdout")
    assert done.returncode == EXIT_OK, done.stderr
    assert json.loads(done.stdout)["score"] == 100
    done = run_fzcheck("batch", "--quiet", *RULES, report, "--format", "jsonl", "-o", "/dev/stdout")
    assert done.returncode == EXIT_OK, done.stderr
    assert json.loads(done.stdout)["score"] == 100
    # As root a regression would replace the real /dev/null: root gets a private copy of it.
    null = "/dev/null"
    if os.geteuid() == 0:
        null = str(tmp_path / "null")
        os.mknod(null, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    before = os.stat(null)
    done = run_fzcheck("audit", *RULES, report, "--format", "json", "-o", null)
    assert done.returncode == EXIT_OK, done.stderr
    assert stat.S_ISCHR(os.stat(null).st_mode) and os.stat(null).st_ino == before.st_ino


# ---------------------------------------------------------------- item 5: targets that cannot be written

@pytest.mark.parametrize("command", ["audit", "batch", "precheck"])
def test_an_output_that_cannot_be_created_is_refused_before_scoring(tmp_path, command) -> None:
    format_ = {"audit": "json", "batch": "json", "precheck": "junit"}[command]
    done = run_fzcheck(command, *RULES, str(_report(tmp_path)), "--format", format_, "-o", "/proc/x.json")
    assert done.returncode == EXIT_USAGE
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert "/proc/x.json" in done.stderr


def test_a_read_only_folder_is_refused_before_scoring(tmp_path, monkeypatch, capsys) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        if os.access(folder, os.W_OK):  # root writes anywhere: stand in for a read-only mount
            real = os.open

            def read_only(path, flags, *args, **kwargs):
                if os.fspath(path).startswith(os.fspath(folder)) and flags & os.O_CREAT:
                    raise OSError(errno.EROFS, os.strerror(errno.EROFS), path)
                return real(path, flags, *args, **kwargs)
            monkeypatch.setattr(os, "open", read_only)
        scored = []
        monkeypatch.setattr(checker.batch, "audit_path", lambda *a: scored.append(a) or pytest.fail("scored"))
        code = main(["batch", "--quiet", *RULES, str(_report(tmp_path)), "--format", "json",
                     "-o", str(folder / "out.json")])
        assert code == EXIT_USAGE and not scored
        assert str(folder / "out.json") in capsys.readouterr().err
    finally:
        folder.chmod(0o700)


@pytest.mark.parametrize("output_format", ["json", "jsonl", "table"])
def test_a_full_disk_is_one_line_and_exit_2(tmp_path, monkeypatch, capsys, output_format) -> None:
    import checker.commands.common as common

    class Full:
        def __init__(self, *args, **kwargs) -> None:
            self._handle = open(*args, **kwargs)  # noqa: SIM115

        def write(self, text: str) -> int:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

        def __getattr__(self, name):
            return getattr(self._handle, name)

        def __enter__(self):
            return self

        def __exit__(self, *exc) -> None:
            self._handle.close()

    monkeypatch.setattr(common, "open", Full, raising=False)
    target = tmp_path / "out"
    code = main(["batch", "--quiet", *RULES, str(_report(tmp_path)), "--format", output_format, "-o", str(target)])
    err = capsys.readouterr().err
    assert code == EXIT_USAGE
    assert len(err.strip().splitlines()) == 1 and os.strerror(errno.ENOSPC) in err
    assert not target.exists() and not list(tmp_path.glob(".out.*"))
