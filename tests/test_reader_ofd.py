"""OFD (GB/T 33190, issue 10 item 1): the text of each page in reading order with the page of
every line, the same verdicts as the same report as .txt, and every damaged or odd package a
one-line `ReadError` that names the problem.

Every OFD here is built at test time by `fixture_builders.build_ofd` from texts written for
these tests, or written out by hand where a test needs one TextCode's exact position.
"""
from __future__ import annotations

import json
import re
import struct
import time
import unicodedata
import zipfile
from pathlib import Path

import lxml.html
import pytest
from conftest import run_fzcheck

from checker.cli import main
from checker.document import build_document
from checker.engine import audit
from checker.pipeline import audit_path
from checker.readers import SUPPORTED_SUFFIXES, UNREADABLE_REPORT_SUFFIXES, ReadError, ReadLimits, read_source
from checker.ruleset import load_ruleset
from fixture_builders import OFD_NAMESPACE, build_ofd

SAMPLES = Path(__file__).resolve().parents[1] / "samples"

TITLE = "青川县人民政府关于2024年度法治政府建设情况的报告"
INTRO = (
    "2024年，青川县人民政府坚持以习近平法治思想为指导，认真落实法治政府建设实施纲要，"
    "把依法行政贯穿政府工作全过程，各项工作取得新的进展。现将有关情况报告如下。"
)
HEADING_1 = "一、主要举措和成效"
ITEM_1 = (
    "（一）加强组织领导。县政府主要负责人切实履行推进法治建设第一责任人职责，"
    "全年召开常务会议专题研究法治政府建设工作3次，带头开展年终述法。"
)
ITEM_2 = (
    "（二）严格规范公正文明执法。全面落实行政执法公示制度、执法全过程记录制度、"
    "重大执法决定法制审核制度，全年办理行政复议案件27件，行政机关负责人出庭应诉率达到100%。"
)
HEADING_2 = "二、存在的不足和原因"
SHORTCOMING = "一是基层执法队伍专业力量不足，二是部分单位普法方式较为单一，主要原因是培训投入不够。"
HEADING_3 = "三、下一年度工作安排"
PLAN = "2025年，我们将继续深化法治政府建设，加强执法人员培训，提升依法行政水平。"
SIGNATURE = "青川县人民政府"
SIGNED_ON = "2025年3月20日"

PAGE_1 = [("title", TITLE), ("gap", ""), ("p", INTRO), ("heading", HEADING_1), ("p", ITEM_1), ("p", ITEM_2)]
PAGE_2 = [("heading", HEADING_2), ("p", SHORTCOMING), ("heading", HEADING_3), ("p", PLAN),
          ("gap", ""), ("heading", SIGNATURE), ("heading", SIGNED_ON)]
LINES = [TITLE, "", INTRO, HEADING_1, ITEM_1, ITEM_2, HEADING_2, SHORTCOMING, HEADING_3, PLAN, "", SIGNATURE, SIGNED_ON]
PAGES = [1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2]


def _report(folder: Path, name: str = "report.ofd", **options) -> Path:
    return build_ofd(folder / name, [PAGE_1, PAGE_2], header="青川县人民政府文件", template="青川县人民政府办公室", **options)


def _refused(path: Path, *words: str, limits: ReadLimits = ReadLimits()) -> str:
    with pytest.raises(ReadError) as caught:
        read_source(path, limits)
    message = str(caught.value)
    assert "\n" not in message and "Traceback" not in message
    assert message.startswith(str(path)), message
    for word in words:
        assert word in message, message
    return message


# --- text, reading order, pages and styles -------------------------------------------------


def test_lines_in_reading_order_with_their_pages(tmp_path: Path) -> None:
    path = _report(tmp_path, title=TITLE)
    pieces = re.findall(r">([^<>]+)</ofd:TextCode>", zipfile.ZipFile(path).read("Doc_0/Pages/Page_0/Content.xml").decode())
    assert len(pieces) > 20 and TITLE not in "".join(pieces), "the fixture must write the pieces out of reading order"
    source = read_source(path)
    lines = source.text.split("\n")
    assert source.format == "ofd"
    assert lines == LINES  # the wrapped paragraphs joined again, running header, page numbers, template dropped
    assert list(source.line_pages) == PAGES
    assert source.title == TITLE  # DocInfo/Title
    styles = dict(zip(lines, source.line_styles))
    assert styles[TITLE] == "h1"  # set larger than the body
    assert styles[HEADING_1] == styles[HEADING_2] == "b"  # 黑体, a bold face
    assert styles[INTRO] == styles[ITEM_1] == ""


def test_a_sentence_across_a_page_break_counts_on_the_page_where_it_starts(tmp_path: Path) -> None:
    body = [INTRO, ITEM_1, ITEM_2, SHORTCOMING, PLAN] * 3
    path = build_ofd(tmp_path / "long.ofd", [[("p", text) for text in body]], header="青川县人民政府文件")
    with zipfile.ZipFile(path) as package:
        assert "Doc_0/Pages/Page_1/Content.xml" in package.namelist(), "the fixture must run onto a second page"
    source = read_source(path)
    lines = source.text.split("\n")
    assert lines == body
    first_on_page_2 = source.line_pages.index(2)
    assert set(source.line_pages[:first_on_page_2]) == {1} and set(source.line_pages[first_on_page_2:]) == {2}
    assert "青川县人民政府文件" not in source.text and not re.search(r"-\s*\d+\s*-", source.text)


def _page(objects: str, *, declare: bool = True) -> bytes:
    namespace = f' xmlns:ofd="{OFD_NAMESPACE}"' if declare else ""
    return (f'<?xml version="1.0" encoding="UTF-8"?><ofd:Page{namespace}><ofd:Content><ofd:Layer ID="1">'
            f"{objects}</ofd:Layer></ofd:Content></ofd:Page>").encode()


def test_runs_of_one_line_are_placed_by_position(tmp_path: Path) -> None:
    objects = (
        # written last-first; the second TextCode of an object repeats the first one's Y
        '<ofd:TextObject ID="2" Boundary="100 40 60 8" Font="1" Size="5">'
        '<ofd:TextCode X="0" Y="4.5">27件</ofd:TextCode></ofd:TextObject>'
        '<ofd:TextObject ID="3" Boundary="30 40 60 8" Font="1" Size="5">'
        '<ofd:TextCode X="0" Y="4.5" DeltaX="g 3 5">行政复议</ofd:TextCode></ofd:TextObject>'
        '<ofd:TextObject ID="4" Boundary="30 20 150 8" Font="1" Size="5">'
        '<ofd:TextCode X="30" DeltaX="5 5 5 5" Y="4.5">政府建设。</ofd:TextCode>'
        '<ofd:TextCode X="0">全面推进法治</ofd:TextCode></ofd:TextObject>'
        # a CTM halves the object: Size 10 is drawn at 5, X 60 lands at 30 + 30
        '<ofd:TextObject ID="5" Boundary="30 30 150 8" CTM="0.5 0 0 0.5 0 0" Font="1" Size="10">'
        '<ofd:TextCode X="60" Y="9">GB/T</ofd:TextCode></ofd:TextObject>'
        '<ofd:TextObject ID="6" Boundary="30 30 150 8" Font="1" Size="5">'
        '<ofd:TextCode X="0" Y="4.5" DeltaX="5 5 5 5">依照标准</ofd:TextCode>'
        '<ofd:TextCode X="44">33190。</ofd:TextCode></ofd:TextObject>'
    )
    path = build_ofd(tmp_path / "hand.ofd", [[("p", "占位")]], parts={"Doc_0/Pages/Page_0/Content.xml": _page(objects)})
    lines = read_source(path).text.split("\n")
    # one line per baseline, top to bottom; Chinese runs glued, a cell gap or Latin words spaced
    assert lines == ["全面推进法治政府建设。", "依照标准 GB/T 33190。", "行政复议 27件"]


def test_an_undeclared_namespace_prefix_is_forgiven(tmp_path: Path) -> None:
    # Sloppy HTML first, as a batch reads it: its errors stay in lxml's log for the thread.
    lxml.html.fromstring("<body>" + "<font>x" * 300 + "</body>")
    objects = ('<ofd:TextObject ID="2" Boundary="30 40 150 8" Font="1" Size="5">'
               f'<ofd:TextCode X="0" Y="4.5">{INTRO}</ofd:TextCode></ofd:TextObject>')
    path = build_ofd(tmp_path / "bare.ofd", [[("p", "占位")]],
                     parts={"Doc_0/Pages/Page_0/Content.xml": _page(objects, declare=False)})
    assert read_source(path).text == INTRO


def test_text_only_on_a_template_page_is_read(tmp_path: Path) -> None:
    path = build_ofd(tmp_path / "template.ofd", [[]], template=INTRO)  # the page: its number alone
    assert read_source(path).text == INTRO


def test_a_scan_with_a_letterhead_on_its_template_is_a_scan(tmp_path: Path) -> None:
    _refused(build_ofd(tmp_path / "scan.ofd", [[("image", "")]], template="青川县人民政府文件"), "扫描件")


def test_ofd_is_a_supported_suffix() -> None:
    assert ".ofd" in SUPPORTED_SUFFIXES and ".ofd" not in UNREADABLE_REPORT_SUFFIXES


# --- the same verdicts as the same text ----------------------------------------------------


def _as_ofd(sample: Path, folder: Path) -> Path:
    lines = [line for line in sample.read_text(encoding="utf-8").split("\n") if line.strip()]
    heading = re.compile(r"[一二三四五六七八九十]+、")
    page = [("title", lines[0])] + [("heading" if heading.match(line) else "p", line) for line in lines[1:]]
    return build_ofd(folder / f"{sample.stem}.ofd", [page], header="内部文件")


@pytest.fixture(scope="module")
def ruleset():
    return load_ruleset()


@pytest.mark.parametrize("sample", sorted(SAMPLES.glob("*.txt")), ids=lambda path: path.stem)
def test_same_statuses_as_the_text(sample: Path, tmp_path: Path, ruleset) -> None:
    expected = audit(build_document(read_source(sample)), ruleset)
    got = audit_path(str(_as_ofd(sample, tmp_path)), ruleset)
    assert {item.id: item.status.value for item in got.results} == {item.id: item.status.value for item in expected.results}
    assert (got.report.year, got.report.issuer, got.report.kind, got.report.published) == (
        expected.report.year, expected.report.issuer, expected.report.kind, expected.report.published)


def test_cli_json_of_the_ofd_matches_the_text(tmp_path: Path) -> None:
    text = tmp_path / "report.txt"
    text.write_text("\n".join(LINES), encoding="utf-8")
    ofd = _report(tmp_path, title=TITLE)
    as_text, as_ofd = run_fzcheck("audit", str(text), "--format", "json"), run_fzcheck("audit", str(ofd), "--format", "json")
    assert as_ofd.stderr == "" and as_text.stderr == ""
    expected, got = json.loads(as_text.stdout), json.loads(as_ofd.stdout)
    assert {item["id"]: item["status"] for item in got["results"]} == {item["id"]: item["status"] for item in expected["results"]}
    assert got["score"] == expected["score"] and got["grade"] == expected["grade"]
    assert got["report"]["source"]["format"] == "ofd"
    evidence = {entry["text"]: entry["page"] for item in got["results"] for entry in item["evidence"]}
    assert evidence, "some rule must quote the report"
    pages = {unicodedata.normalize("NFKC", line): page for line, page in zip(LINES, PAGES)}  # evidence quotes NFKC
    for quoted, page in evidence.items():
        line = next(line for line in pages if quoted in line)
        assert page == pages[line], (quoted, page)
    assert {1, 2} <= set(evidence.values())


# --- damaged and odd packages --------------------------------------------------------------


def _good(folder: Path, **options) -> Path:
    return build_ofd(folder / "report.ofd", [PAGE_1, PAGE_2], **options)


def _rewritten(path: Path, name: str, data: bytes | None) -> Path:
    members = {info.filename: zipfile.ZipFile(path).read(info) for info in zipfile.ZipFile(path).infolist()}
    members[name] = data
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        for member, content in members.items():
            if content is not None:
                package.writestr(member, content)
    return path


OFD_WITHOUT_DOCROOT = f'<ofd:OFD xmlns:ofd="{OFD_NAMESPACE}"><ofd:DocBody><ofd:DocInfo/></ofd:DocBody></ofd:OFD>'.encode()
DOCUMENT_WITHOUT_PAGES = f'<ofd:Document xmlns:ofd="{OFD_NAMESPACE}"><ofd:CommonData/><ofd:Pages/></ofd:Document>'.encode()


@pytest.mark.parametrize(("damage", "words"), [
    ("not a zip", ["不是 zip 包"]),
    ("a PDF named .ofd", ["PDF 文件", ".pdf"]),
    ("a zip of something else", ["缺少入口文件 OFD.xml"]),
    ("OFD.xml broken", ["OFD.xml", "不是有效的 XML"]),
    ("OFD.xml of another kind", ["不是 OFD 入口文件", "<Document>"]),
    ("no DocRoot", ["没有指明文档"]),
    ("Document.xml missing", ["缺少文档描述文件", "Doc_0/Document.xml"]),
    ("no pages", ["没有页面"]),
    ("page 2 cut short", ["第 2 页", "Page_1/Content.xml", "不是有效的 XML"]),
    ("page 2 missing", ["缺少第 2 页", "Page_1/Content.xml"]),
    ("page 2 bytes damaged", ["第 2 页", "无法解压"]),
    ("encrypted by GM/T 0099", ["已加密"]),
    ("zip encryption", ["已加密"]),
    ("scanned", ["没有文字层", "扫描件"]),
    ("scanned and sealed", ["电子印章", "没有文字层"]),
])
def test_damaged_package_is_one_line_naming_the_problem(tmp_path: Path, damage: str, words: list[str]) -> None:
    page_2 = "Doc_0/Pages/Page_1/Content.xml"
    path = tmp_path / "report.ofd"
    if damage == "not a zip":
        path.write_bytes(bytes(range(256)) * 4)
    elif damage == "a PDF named .ofd":
        path.write_bytes(b"%PDF-1.7\n1 0 obj <<>> endobj\n")
    elif damage == "a zip of something else":
        with zipfile.ZipFile(path, "w") as package:
            package.writestr("readme.txt", "hello")
    elif damage == "OFD.xml broken":
        _good(tmp_path, parts={"OFD.xml": b'<ofd:OFD xmlns:ofd="x"><ofd:DocBody>'})
    elif damage == "OFD.xml of another kind":
        _good(tmp_path, parts={"OFD.xml": b"<Document/>"})
    elif damage == "no DocRoot":
        _good(tmp_path, parts={"OFD.xml": OFD_WITHOUT_DOCROOT})
    elif damage == "Document.xml missing":
        _good(tmp_path, parts={"Doc_0/Document.xml": None})
    elif damage == "no pages":
        _good(tmp_path, parts={"Doc_0/Document.xml": DOCUMENT_WITHOUT_PAGES})
    elif damage == "page 2 cut short":
        _rewritten(_good(tmp_path), page_2, zipfile.ZipFile(_good(tmp_path)).read(page_2)[:300])
    elif damage == "page 2 missing":
        _good(tmp_path, parts={page_2: None})
    elif damage == "page 2 bytes damaged":
        _damage_member(_good(tmp_path), page_2)
    elif damage == "encrypted by GM/T 0099":
        _good(tmp_path, parts={"Encryptions.xml": b"<Encryptions><EncryptInfo ID='1'/></Encryptions>"})
    elif damage == "zip encryption":
        _set_encryption_flag(_good(tmp_path), page_2)
    elif damage == "scanned":
        build_ofd(path, [[("image", "")], [("image", "")]])
    else:
        build_ofd(path, [[("image", "")]], signed=True)
    _refused(path, *words)


def _damage_member(path: Path, member: str) -> None:
    """Overwrite bytes in the middle of a member's compressed data (its CRC no longer fits)."""
    data = bytearray(path.read_bytes())
    info = zipfile.ZipFile(path).getinfo(member)
    name_length, extra_length = struct.unpack("<HH", data[info.header_offset + 26:info.header_offset + 30])
    start = info.header_offset + 30 + name_length + extra_length
    middle = start + info.compress_size // 2
    data[middle:middle + 8] = bytes(255 - byte for byte in data[middle:middle + 8])
    path.write_bytes(bytes(data))


def _set_encryption_flag(path: Path, member: str) -> None:
    """Mark a member encrypted in its local header and the central directory, as a zip tool
    with a password does."""
    data = bytearray(path.read_bytes())
    info = zipfile.ZipFile(path).getinfo(member)
    data[info.header_offset + 6] |= 0x1
    central = data.find(b"PK\x01\x02")
    while central != -1:
        name_length = struct.unpack("<H", data[central + 28:central + 30])[0]
        if data[central + 46:central + 46 + name_length] == member.encode():
            data[central + 8] |= 0x1
            break
        central = data.find(b"PK\x01\x02", central + 4)
    path.write_bytes(bytes(data))


def test_the_page_limit_is_applied_before_any_page_is_read(tmp_path: Path) -> None:
    path = _good(tmp_path, parts={"Doc_0/Pages/Page_1/Content.xml": b"<not xml"})
    _refused(path, "OFD 超过 1 页上限", limits=ReadLimits(max_pages=1))


def test_zip_bomb_is_refused_before_decompressing(tmp_path: Path) -> None:
    path = _good(tmp_path)
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as package, package.open("Doc_0/Res/bomb.bin", "w") as member:
        block = b"\0" * 1_000_000
        for _ in range(80):
            member.write(block)
    assert path.stat().st_size < 1_000_000
    started = time.monotonic()
    _refused(path, "解压后内容", "上限")
    assert time.monotonic() - started < 5


def test_time_limit(tmp_path: Path) -> None:
    _refused(_good(tmp_path), "秒上限", limits=ReadLimits(max_seconds=0))


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.ofd"
    path.write_bytes(b"")
    _refused(path, "文件为空")


def test_any_truncation_or_damaged_byte_is_a_read_error(tmp_path: Path) -> None:
    whole = _good(tmp_path).read_bytes()
    broken = tmp_path / "broken.ofd"
    cuts = [whole[:length] for length in range(10, len(whole), max(1, len(whole) // 25))]
    flips = [whole[:at] + bytes([whole[at] ^ 0x5A]) + whole[at + 1:] for at in range(0, len(whole), max(1, len(whole) // 25))]
    for data in cuts + flips:
        broken.write_bytes(data)
        try:
            read_source(broken)
        except ReadError as exc:
            assert "\n" not in str(exc)


def test_cli_says_one_line_and_exits_3(tmp_path: Path) -> None:
    path = _good(tmp_path, parts={"Doc_0/Pages/Page_1/Content.xml": b"<ofd:Page><ofd:Content>"})
    result = run_fzcheck("audit", str(path), "--format", "json")
    assert result.returncode == 3
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "第 2 页" in result.stderr


def test_batch_with_a_broken_ofd_scores_the_others(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    _report(folder, "good.ofd")
    (folder / "good.txt").write_text("\n".join(LINES), encoding="utf-8")
    (folder / "broken.ofd").write_bytes(b"PK\x03\x04 this package was cut off")
    code = main(["batch", str(folder), "--format", "json"])
    output = json.loads(capsys.readouterr().out)
    assert code == 3
    assert sorted(Path(report["file"]).name for report in output["reports"]) == ["good.ofd", "good.txt"]
    assert [Path(error["file"]).name for error in output["errors"]] == ["broken.ofd"]
    assert "\n" not in output["errors"][0]["error"] and "OFD" in output["errors"][0]["error"]
    scores = {Path(report["file"]).name: report["score"] for report in output["reports"]}
    assert scores["good.ofd"] == scores["good.txt"]


def test_a_heading_drawn_twice_to_look_bold_is_read_once_and_bold(tmp_path: Path) -> None:
    def heading(x: float) -> str:
        return (f'<ofd:TextObject ID="2" Boundary="{x:g} 20 150 8" Font="1" Size="5">'
                f'<ofd:TextCode X="0" Y="4.5">{HEADING_1}</ofd:TextCode></ofd:TextObject>')
    body = ('<ofd:TextObject ID="4" Boundary="30 30 150 8" Font="1" Size="5">'
            f'<ofd:TextCode X="0" Y="4.5">{ITEM_1}</ofd:TextCode></ofd:TextObject>')
    path = build_ofd(tmp_path / "overdrawn.ofd", [[("p", "占位")]],
                     parts={"Doc_0/Pages/Page_0/Content.xml": _page(heading(30) + heading(30.3) + body)})
    source = read_source(path)
    assert source.text.split("\n") == [HEADING_1, ITEM_1]
    assert source.line_styles == ("b", "")


def test_text_past_the_limit_is_refused_as_the_pages_are_read(tmp_path: Path) -> None:
    path = _good(tmp_path, parts={"Doc_0/Pages/Page_1/Content.xml": b"<not xml"})  # never reached
    _refused(path, "文字超过 100 字上限", limits=ReadLimits(max_text=100))


def test_pages_that_all_say_the_same_are_still_read(tmp_path: Path) -> None:
    line = "青川县法治政府建设情况。"
    path = build_ofd(tmp_path / "twice.ofd", [[("p", line)], [("p", line)]])  # all of it a "running header"
    source = read_source(path)
    assert source.text.split("\n") == [line, line] and source.line_pages == (1, 2)
