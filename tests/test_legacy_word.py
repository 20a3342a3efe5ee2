""".doc and .wps through the converters installed on the machine (LibreOffice, antiword, catdoc).

The fixtures are real Word 97–2003 files (tests/fixtures/legacy_word, made by make_fixtures.py
there). A test of a real converter skips, saying which, where it is not installed; .ci/run
installs antiword and catdoc, so CI runs those. What the reader does around a converter (no
shell, the path, the private folder, the time limit, the output limit, the messages) is tested
with stand-in converters: small Python scripts put on PATH, which run everywhere.
"""
from __future__ import annotations

import json
import os
import shutil
import struct
import sys
import textwrap
import time
from pathlib import Path

import pytest
from processes import gone_within

from checker.cli import main
from checker.pipeline import RunSettings, audit_path
from checker.readers import ReadError, ReadLimits, read_source
from checker.readers import legacy_word
from checker.readers.legacy_word import antiword_lines, catdoc_lines, decode_utf8

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "legacy_word"
REPORT_DOC = FIXTURES / "report.doc"
REPORT_TXT = FIXTURES / "report.txt"
FEATURES_DOC = FIXTURES / "features.doc"
NUMBERED_DOC = FIXTURES / "numbered.doc"

REAL_WHICH = shutil.which
INSTALLED = {
    "LibreOffice": legacy_word._find_soffice(),
    "antiword": REAL_WHICH("antiword"),
    "catdoc": REAL_WHICH("catdoc"),
}
WHY_MISSING = {
    "LibreOffice": "LibreOffice (soffice) is not installed: sudo apt install libreoffice-writer-nogui "
                   "(.ci/run installs only antiword and catdoc, the small ones)",
    "antiword": "antiword is not installed: sudo apt install antiword (.ci/run installs it)",
    "catdoc": "catdoc is not installed: sudo apt install catdoc (.ci/run installs it)",
}
PROGRAMS = {"LibreOffice": ("soffice", "libreoffice"), "antiword": ("antiword",), "catdoc": ("catdoc",)}


def needs(*converters: str):
    missing = [name for name in converters if not INSTALLED[name]]
    return pytest.mark.skipif(bool(missing), reason="; ".join(WHY_MISSING[name] for name in missing))


@pytest.fixture()
def only(monkeypatch: pytest.MonkeyPatch):
    """only("antiword"): the reader sees that converter alone (others hidden from shutil.which)."""

    def hide_all_but(*converters: str) -> None:
        visible = {program for name in converters for program in PROGRAMS[name]}
        hidden = {program for programs in PROGRAMS.values() for program in programs} - visible
        monkeypatch.setattr(shutil, "which", lambda program, *a, **k: None if program in hidden else REAL_WHICH(program, *a, **k))
        if "LibreOffice" not in converters:
            monkeypatch.setattr(legacy_word, "_find_soffice", lambda: None)

    return hide_all_but


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.split("\n") if line.strip()]


def _statuses(result: dict) -> dict[str, str]:
    return {item["id"]: item["status"] for item in result["results"]}


def _audit_json(capsys: pytest.CaptureFixture[str], path: Path) -> dict:
    code = main(["audit", str(path), "--format", "json"])
    out = capsys.readouterr().out
    assert code in (0, 1), out
    return json.loads(out)


# --- real converters: the text and the verdicts --------------------------------------------

CONVERTERS = [pytest.param(name, marks=needs(name), id=name) for name in ("LibreOffice", "antiword", "catdoc")]


@pytest.mark.parametrize("converter", CONVERTERS)
def test_the_text_of_a_doc_is_the_text_it_was_made_from(converter: str, only, monkeypatch: pytest.MonkeyPatch) -> None:
    only(converter)
    monkeypatch.setenv("LANG", "C")  # the output encoding is asked for, not left to the locale
    monkeypatch.setenv("LC_ALL", "C")
    source = read_source(REPORT_DOC)
    assert source.format == "doc"
    assert _lines(source.text) == _lines(REPORT_TXT.read_text(encoding="utf-8"))
    headings = [line for line in _lines(source.text) if line[:2] in ("一、", "二、", "三、", "四、")]
    assert len(headings) == 4
    if converter == "LibreOffice":  # the styles come through as from a .docx
        styles = dict(zip(source.text.split("\n"), source.line_styles))
        assert all(styles[heading] == "h1" for heading in headings)
        assert styles[source.text.split("\n")[0]] == "bc"  # the title: bold and centred
        assert source.title == _lines(source.text)[0]


@pytest.mark.parametrize("converter", CONVERTERS)
def test_a_doc_gets_the_verdicts_of_the_same_text(converter: str, only, capsys, tmp_path: Path) -> None:
    only(converter)
    doc = _audit_json(capsys, REPORT_DOC)
    txt = _audit_json(capsys, REPORT_TXT)
    assert _statuses(doc) == _statuses(txt)
    assert "fail" in _statuses(txt).values() and "pass" in _statuses(txt).values()  # a test with teeth
    assert doc["score"] == txt["score"]
    assert doc["report"]["source"]["format"] == "doc"
    for key in ("title", "issuer", "kind", "year", "published"):
        assert doc["report"][key] == txt["report"][key], key


@needs("antiword")
def test_a_kingsoft_wps_is_read_like_the_doc_it_is(only, tmp_path: Path) -> None:
    """WPS Writer's .wps is the Word binary format in an OLE file (no tool here writes one: the
    .doc under a .wps name stands for it)."""
    only("antiword", "catdoc")
    wps = tmp_path / "梧桐县报告.wps"
    shutil.copyfile(REPORT_DOC, wps)
    source = read_source(wps)
    assert source.format == "wps"
    assert _lines(source.text) == _lines(REPORT_TXT.read_text(encoding="utf-8"))


@needs("antiword")
def test_antiword_rare_characters_tables_and_no_header(only) -> None:
    only("antiword")
    lines = _lines(read_source(FEATURES_DOC).text)
    assert "梧桐县𡒄头村" in lines[0]  # written as two CESU-8 surrogates, joined back
    assert "指标 | 2023年 | 2024年" in lines
    assert "出庭应诉率 | 92% | 100%" in lines
    assert not any("页眉" in line or "页脚" in line for line in lines)
    assert lines[-1].startswith("表格之后")


@needs("catdoc")
def test_catdoc_rare_characters_and_tables(only) -> None:
    only("catdoc")
    lines = _lines(read_source(FEATURES_DOC).text)
    assert "梧桐县𡒄头村" in lines[0]
    assert "出庭应诉率 | 92% | 100%" in lines
    # catdoc puts the header and footer after the body: what the module's docstring says.
    assert lines[-2:] == ["页眉：梧桐县司法局", "页脚：第 1 页"]


@needs("LibreOffice")
def test_libreoffice_keeps_word_automatic_chinese_numbering(only) -> None:
    only("LibreOffice")
    assert _lines(read_source(NUMBERED_DOC).text) == ["一、主要举措", "（一）推进依法决策", "县政府对重大行政决策全部进行合法性审查。",
                                                     "二、存在的不足"]
    lines = _lines(read_source(FEATURES_DOC).text)
    assert "梧桐县𡒄头村" in lines[0] and "指标 | 2023年 | 2024年" in lines
    assert not any("页眉" in line for line in lines)


@needs("antiword", "catdoc")
def test_a_file_antiword_refuses_is_read_by_catdoc(only) -> None:
    only("antiword")
    with pytest.raises(ReadError) as refused:
        read_source(NUMBERED_DOC)
    assert "antiword（" in refused.value.reason and "\n" not in str(refused.value)
    only("antiword", "catdoc")
    assert _lines(read_source(NUMBERED_DOC).text)[0] == "主要举措"  # catdoc: automatic numbers are lost


@pytest.mark.parametrize("converter", CONVERTERS)
def test_a_name_starting_with_a_dash_is_a_file_not_an_option(converter: str, only, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    only(converter)
    shutil.copyfile(REPORT_DOC, tmp_path / "-w.doc")
    monkeypatch.chdir(tmp_path)
    before = sorted(os.listdir(tmp_path))
    assert _lines(read_source("-w.doc").text)[0] == _lines(REPORT_TXT.read_text(encoding="utf-8"))[0]
    assert sorted(os.listdir(tmp_path)) == before  # nothing written beside the user's file


# --- no converter, other kinds of file -----------------------------------------------------


def test_without_a_converter_the_message_names_the_install_command(only) -> None:
    only()
    with pytest.raises(ReadError) as refused:
        read_source(REPORT_DOC)
    message = str(refused.value)
    assert "\n" not in message
    assert "sudo apt install antiword" in message and "另存为 .docx" in message


def test_without_a_converter_on_path_a_batch_has_one_error_row(capsys, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    shutil.copyfile(REPORT_DOC, folder / "a.doc")
    shutil.copyfile(REPORT_TXT, folder / "b.txt")
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))  # no program at all: no converter either
    monkeypatch.setattr(legacy_word, "_find_soffice", lambda: None)
    code = main(["batch", str(folder), "--format", "json", "--jobs", "1", "--quiet"])
    document = json.loads(capsys.readouterr().out)
    assert code != 0
    assert [Path(error["file"]).name for error in document["errors"]] == ["a.doc"]
    assert "sudo apt install antiword" in document["errors"][0]["error"]
    assert [Path(report["file"]).name for report in document["reports"]] == ["b.txt"]


def _ole_file(streams: dict[str, bytes]) -> bytes:
    """A minimal OLE compound file (MS-CFB v3, 512-byte sectors) holding `streams`, each stored
    in ordinary sectors: sector 0 the FAT, sector 1 the directory, then the streams."""
    sector = 512
    fat = [0xFFFFFFFD, 0xFFFFFFFE]
    data, entries, next_sector = b"", [], 2
    for name, content in streams.items():
        content = content.ljust(4096, b"\0")
        count = -(-len(content) // sector)
        fat += [next_sector + i + 1 for i in range(count - 1)] + [0xFFFFFFFE]
        entries.append((name, 2, next_sector, len(content)))
        data += content.ljust(count * sector, b"\0")
        next_sector += count
    fat += [0xFFFFFFFF] * (sector // 4 - len(fat))

    def entry(name: str, kind: int, start: int, size: int, child: int = 0xFFFFFFFF, right: int = 0xFFFFFFFF) -> bytes:
        encoded = (name + "\0").encode("utf-16-le")
        return (encoded.ljust(64, b"\0") + struct.pack("<HBB3I", len(encoded), kind, 1, 0xFFFFFFFF, right, child)
                + bytes(16) + bytes(4) + bytes(16) + struct.pack("<IQ", start, size))

    directory = entry("Root Entry", 5, 0xFFFFFFFE, 0, child=1)
    for number, (name, kind, start, size) in enumerate(entries, start=1):
        directory += entry(name, kind, start, size, right=number + 1 if number < len(entries) else 0xFFFFFFFF)
    directory = directory.ljust(sector, b"\0")
    header = (legacy_word.OLE_MAGIC + bytes(16) + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + bytes(6)
              + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, 0xFFFFFFFE, 0, 0xFFFFFFFE, 0)
              + struct.pack("<I", 0) + b"\xff" * (108 * 4))
    return header + b"".join(struct.pack("<I", n) for n in fat) + directory + data


def test_a_microsoft_works_wps_needs_libreoffice(only, tmp_path: Path) -> None:
    only("antiword", "catdoc")
    works = tmp_path / "old.wps"
    works.write_bytes(_ole_file({"CONTENTS": b"\x00" * 64, "SPELLING": b""}))
    assert legacy_word.sniff(works, str(works)).name == "works"
    with pytest.raises(ReadError) as refused:
        read_source(works)
    assert "Microsoft Works" in refused.value.reason and "libreoffice-writer" in refused.value.reason
    assert "另存为 .docx" in refused.value.reason and "\n" not in str(refused.value)


def test_a_spreadsheet_under_a_wps_name_is_not_a_report(only, tmp_path: Path) -> None:
    only("antiword", "catdoc")
    sheet = tmp_path / "table.wps"
    sheet.write_bytes(_ole_file({"Workbook": b"\x09\x08"}))
    with pytest.raises(ReadError, match="表格"):
        read_source(sheet)


def test_a_password_protected_doc_is_refused_before_any_converter_runs(only, tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    data = bytearray(REPORT_DOC.read_bytes())
    fib = data.find(b"\xec\xa5")
    assert fib > 0 and fib % 512 == 0
    data[fib + 0x0B] |= 0x01  # the FIB's fEncrypted
    locked = tmp_path / "locked.doc"
    locked.write_bytes(bytes(data))
    monkeypatch.setattr(legacy_word, "run_converter", lambda *a, **k: pytest.fail("a converter ran"))
    with pytest.raises(ReadError, match="密码"):
        read_source(locked)


@pytest.mark.parametrize(("data", "expected"), [
    (b"hello, not a Word file", "不是 OLE 复合文档"),
    (legacy_word.OLE_MAGIC + b"\0" * 100, "已损坏"),
])
def test_what_no_converter_can_read_is_refused_in_one_line(only, tmp_path: Path, data: bytes, expected: str) -> None:
    only("antiword", "catdoc", "LibreOffice")
    path = tmp_path / "x.doc"
    path.write_bytes(data)
    with pytest.raises(ReadError) as refused:
        read_source(path)
    assert expected in refused.value.reason and "另存为 .docx" in refused.value.reason
    assert "\n" not in str(refused.value)


def test_rtf_under_a_doc_name_needs_libreoffice(only, tmp_path: Path) -> None:
    only("antiword", "catdoc")
    path = tmp_path / "saved.doc"
    path.write_bytes(b"{\\rtf1\\ansi 2024\\par}")
    with pytest.raises(ReadError, match="RTF.*libreoffice-writer"):
        read_source(path)


def test_a_docx_or_a_web_page_under_a_doc_name_is_read_as_what_it_is(only, tmp_path: Path) -> None:
    from fixture_builders import build_docx

    only()
    renamed = build_docx(tmp_path / "real.docx", "", [("paragraph", "梧桐县2024年法治政府建设年度报告")]).rename(tmp_path / "real.doc")
    assert read_source(renamed).format == "docx"
    page = tmp_path / "page.doc"
    page.write_text("<!DOCTYPE html><html><body><p>梧桐县2024年法治政府建设年度报告</p></body></html>", encoding="utf-8")
    source = read_source(page)
    assert source.format == "html" and "梧桐县" in source.text


# --- damage in a batch ---------------------------------------------------------------------


@pytest.mark.skipif(not any(INSTALLED.values()), reason="; ".join(WHY_MISSING.values()))
def test_a_damaged_doc_is_one_error_row_and_the_others_are_scored(capsys, tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    shutil.copyfile(REPORT_DOC, folder / "a_good.doc")
    shutil.copyfile(REPORT_TXT, folder / "b_good.txt")
    (folder / "c_damaged.doc").write_bytes(REPORT_DOC.read_bytes()[:6000])  # cut short in a download
    code = main(["batch", str(folder), "--format", "json", "--jobs", "1", "--quiet"])
    document = json.loads(capsys.readouterr().out)
    assert code != 0
    assert [Path(error["file"]).name for error in document["errors"]] == ["c_damaged.doc"]
    assert "\n" not in document["errors"][0]["error"] and "损坏" in document["errors"][0]["error"]
    scores = {Path(report["file"]).name: report["score"] for report in document["reports"]}
    assert set(scores) == {"a_good.doc", "b_good.txt"} and scores["a_good.doc"] == scores["b_good.txt"]


def test_a_doc_whose_word_header_is_damaged_is_refused_before_any_converter_runs(tmp_path: Path,
                                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    data = bytearray(REPORT_DOC.read_bytes())
    fib = data.find(b"\xec\xa5")
    data[fib:fib + 4096] = bytes(4096)  # the FIB and the start of the text zeroed
    path = tmp_path / "zeroed.doc"
    path.write_bytes(bytes(data))
    monkeypatch.setattr(legacy_word, "run_converter", lambda *a, **k: pytest.fail("a converter ran"))
    with pytest.raises(ReadError) as refused:
        read_source(path)
    assert "已损坏" in refused.value.reason and "\n" not in str(refused.value)


# --- around the converter: stand-ins on PATH -----------------------------------------------


def _stand_in(folder: Path, program: str, body: str) -> Path:
    """An executable Python script called `program` in `folder`; `body` runs with `argv`."""
    folder.mkdir(exist_ok=True)
    script = folder / program
    script.write_text(f"#!{sys.executable}\nimport os, sys, time, json, shutil, subprocess\nargv = sys.argv\n"
                      + textwrap.dedent(body), encoding="utf-8")
    script.chmod(0o755)
    return script


posix_only = pytest.mark.skipif(os.name != "posix", reason="stand-in converters are POSIX scripts")


@pytest.fixture()
def stand_ins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A PATH of nothing but the stand-ins a test writes there (no real converter is seen)."""
    folder = tmp_path / "bin"
    folder.mkdir()
    monkeypatch.setenv("PATH", str(folder))
    monkeypatch.setattr(legacy_word, "_find_soffice", lambda: shutil.which("soffice"))
    return folder


@posix_only
def test_the_converter_gets_an_absolute_path_no_shell_and_a_private_folder(stand_ins: Path, tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    record = tmp_path / "record.json"
    _stand_in(stand_ins, "antiword", f"""
        json.dump({{"argv": argv, "cwd": os.getcwd(), "tmp": os.environ["TMPDIR"]}}, open({str(record)!r}, "w"))
        print("梧桐县2024年法治政府建设年度报告\\n\\n|指标   |2024年  |\\n\\n一、主要举措")
    """)
    user = tmp_path / "user"
    user.mkdir()
    shutil.copyfile(REPORT_DOC, user / "--help.doc")
    monkeypatch.chdir(user)
    source = read_source("--help.doc")
    assert _lines(source.text) == ["梧桐县2024年法治政府建设年度报告", "指标 | 2024年", "一、主要举措"]
    seen = json.loads(record.read_text())
    assert seen["argv"][1:] == ["-m", "UTF-8.txt", "-w", "0", str(user / "--help.doc")]
    assert Path(seen["cwd"]).name.startswith("antiword-") and seen["tmp"] == seen["cwd"]
    assert not Path(seen["cwd"]).exists() and not Path(seen["cwd"]).parent.exists()  # removed after
    assert os.listdir(user) == ["--help.doc"]


@posix_only
def test_libreoffice_converts_a_private_copy_with_a_profile_of_its_own(stand_ins: Path, tmp_path: Path) -> None:
    """The stand-in does what `soffice --convert-to docx` does: writes input.docx into --outdir.
    The .docx it writes has Chinese numbering as LibreOffice writes it (taiwaneseCountingThousand)."""
    from fixture_builders import Para, build_styled_docx

    made = build_styled_docx(tmp_path / "made.docx", [Para("主要举措", level=0), Para("正文。"), Para("存在的不足", level=0)],
                             levels=(("taiwaneseCountingThousand", "%1、"),))
    record = tmp_path / "record.json"
    _stand_in(stand_ins, "soffice", f"""
        outdir = argv[argv.index("--outdir") + 1]
        json.dump({{"argv": argv, "input": open(argv[-1], "rb").read(4).hex()}}, open({str(record)!r}, "w"))
        shutil.copyfile({str(made)!r}, os.path.join(outdir, os.path.splitext(os.path.basename(argv[-1]))[0] + ".docx"))
    """)
    user = tmp_path / "user"
    user.mkdir()
    shutil.copyfile(REPORT_DOC, user / "报告 #1.doc")
    source = read_source(user / "报告 #1.doc")
    assert source.format == "doc" and source.path == str(user / "报告 #1.doc")
    assert _lines(source.text) == ["一、主要举措", "正文。", "二、存在的不足"]
    seen = json.loads(record.read_text())
    argv = seen["argv"]
    assert seen["input"] == legacy_word.OLE_MAGIC[:4].hex()
    profile = next(arg for arg in argv if arg.startswith("-env:UserInstallation=file://"))
    work = Path(argv[-1]).parents[1]
    assert Path(argv[-1]).name == "input.doc" and str(work) in profile and "--headless" in argv
    assert argv[argv.index("--convert-to") + 1].startswith("docx")
    assert not work.exists()
    assert os.listdir(user) == ["报告 #1.doc"]


@posix_only
def test_when_libreoffice_fails_the_next_converter_reads_the_file(stand_ins: Path) -> None:
    _stand_in(stand_ins, "soffice", 'sys.stderr.write("Warning: failed to launch javaldx\\nError: source file could not be loaded\\n")')
    _stand_in(stand_ins, "antiword", 'sys.stderr.write("I\'m afraid the text stream of this file is too small to handle.\\n"); sys.exit(1)')
    with pytest.raises(ReadError) as refused:
        read_source(REPORT_DOC)
    reason = refused.value.reason
    assert "LibreOffice（Error: source file could not be loaded）" in reason and "antiword（I'm afraid" in reason
    _stand_in(stand_ins, "catdoc", 'print("梧桐县2024年法治政府建设年度报告\\t附表")')
    assert read_source(REPORT_DOC).text == "梧桐县2024年法治政府建设年度报告 | 附表"


@posix_only
@pytest.mark.parametrize("through", ["reader", "pipeline"])
def test_a_converter_still_running_at_the_time_limit_is_killed(stand_ins: Path, tmp_path: Path, through: str) -> None:
    """Past the limit the read is a ReadError and the converter, and what it started, are gone:
    by the reader's own timeout, or by the per-file alarm of the pipeline around it."""
    pids = tmp_path / "pids"
    _stand_in(stand_ins, "antiword", f"""
        child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
        open({str(pids)!r}, "w").write(f"{{os.getpid()}} {{child.pid}} {{os.getcwd()}}")
        time.sleep(60)
    """)
    limits = ReadLimits(max_seconds=3)  # time enough for the stand-in to start and say who it is, even on a busy machine
    started = time.monotonic()
    with pytest.raises(ReadError, match="秒上限"):
        if through == "reader":
            read_source(REPORT_DOC, limits)
        else:
            from checker.ruleset import load_ruleset

            audit_path(str(REPORT_DOC), load_ruleset(), RunSettings(limits=limits))
    assert time.monotonic() - started < 10
    converter, child, work = pids.read_text().split()
    assert gone_within([int(converter), int(child)], 5)
    assert not Path(work).exists()


@posix_only
def test_converter_output_is_held_to_the_text_limit(stand_ins: Path) -> None:
    _stand_in(stand_ins, "antiword", """
        line = ("法治" * 500 + "\\n").encode()
        while True:
            sys.stdout.buffer.write(line)
    """)
    started = time.monotonic()
    with pytest.raises(ReadError, match="文字超过 1000 字上限"):
        read_source(REPORT_DOC, ReadLimits(max_text=1000))
    assert time.monotonic() - started < 10


@posix_only
def test_what_libreoffice_writes_is_held_to_the_file_size_limit(stand_ins: Path) -> None:
    _stand_in(stand_ins, "soffice", """
        outdir = argv[argv.index("--outdir") + 1]
        open(os.path.join(outdir, "input.docx"), "wb").write(bytes(1_000_000))
        time.sleep(60)
    """)
    started = time.monotonic()
    with pytest.raises(ReadError, match="转换结果超过"):
        read_source(REPORT_DOC, ReadLimits(max_bytes=200_000))
    assert time.monotonic() - started < 10


@posix_only
def test_a_doc_of_pictures_only_has_no_text_to_check(stand_ins: Path) -> None:
    _stand_in(stand_ins, "antiword", "print()")  # ran to the end, found no text, said nothing
    with pytest.raises(ReadError, match="没有文字"):
        read_source(REPORT_DOC)


@needs("LibreOffice")
def test_a_real_libreoffice_past_the_time_limit_leaves_no_process(only) -> None:
    only("LibreOffice")
    with pytest.raises(ReadError, match="秒上限"):
        read_source(REPORT_DOC, ReadLimits(max_seconds=0.3))
    time.sleep(0.5)
    leftovers = []
    for entry in Path("/proc").iterdir():
        try:
            command = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if b"fzcheck-" in command and b"UserInstallation" in command:
            leftovers.append(command)
    assert leftovers == []


# --- what the converters print -------------------------------------------------------------


def test_cesu_8_surrogates_are_joined_and_bad_bytes_counted() -> None:
    cesu = "生僻字".encode() + b"\xed\xa1\x85\xed\xb2\x84" + "村".encode()
    assert decode_utf8(cesu) == ("生僻字𡒄村", 0)
    assert decode_utf8(b"a\xffb\xef\xbf\xbd") == ("a\ufffdb\ufffd", 1)


def test_antiword_and_catdoc_lines() -> None:
    assert antiword_lines("\n标题\n\n\n|指标    |2024年  |\n|   |100%|\n\n正文\n") == ["标题", "指标 | 2024年", "100%", "正文"]
    assert catdoc_lines("标题\n指标\t2024年\t\n正文") == ["标题", "指标 | 2024年", "正文"]
