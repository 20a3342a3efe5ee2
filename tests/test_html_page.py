"""The batch page and the audit page on screen, on a phone and on paper (issue 10, items 9 and 6).

The structure is checked on the page itself (parsed with BeautifulSoup): heat-map columns headed
by each rule's short label, horizontal, with the full title on hover and in a key; a print
stylesheet and the script that opens every report for printing; the ranking columns a phone
keeps; `--title`; the version stamps. Where Chromium is installed, the same pages are printed to
PDF and laid out in a 375-pixel-wide frame, and what a reader would see is checked there: the
first page filled, every report's section printed, no horizontal scrolling of the page.
"""
from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import PLUMBING_RULES, REPO

from checker import __version__
from checker.cli import main
from checker.commands import EXIT_USAGE
from checker.output.html_format import NARROW_COLUMNS, PAGE_TITLE
from checker.output.labels import RANKING_LABELS
from checker.ruleset import RuleSetError, load_ruleset

WITH_RULES = ("--rules", str(PLUMBING_RULES))
PLUMBING = load_ruleset(PLUMBING_RULES)
SAMPLE = REPO / "samples" / "baihu_district_2024_weak.txt"
BROWSER = next((path for path in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if path), None)
needs_browser = pytest.mark.skipif(BROWSER is None, reason="no chromium installed")


def batch_page(folder: Path, target: Path, *extra: str) -> str:
    main(["batch", "-q", "--no-cache", "--format", "html", "-o", str(target), str(folder), *WITH_RULES, *extra])
    return target.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def page_file(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("page") / "page.html"
    batch_page(corpus, target)
    return target


@pytest.fixture(scope="module")
def page(page_file: Path) -> BeautifulSoup:
    return BeautifulSoup(page_file.read_text(encoding="utf-8"), "lxml")


def style_of(soup: BeautifulSoup) -> str:
    return "".join(tag.get_text() for tag in soup.find_all("style"))


def media_block(css: str, query: str) -> str:
    """The rules inside `@media QUERY { … }` (blocks hold only flat rules, so braces nest once)."""
    found = re.findall(rf"@media {re.escape(query)} \{{((?:[^{{}}]*\{{[^{{}}]*\}})*\s*)\}}", css)
    assert found, f"no @media {query} block"
    return "\n".join(found)


# ---------------------------------------------------------------- heat-map headers

def test_heatmap_columns_are_headed_by_horizontal_short_labels(page: BeautifulSoup) -> None:
    headers = page.select(".heat th.rule")
    labels = {rule.spec.title: rule.spec.label for rule in PLUMBING.rules}
    assert sorted(header["title"] for header in headers) == sorted(labels), "one column per rule, its full title on hover"
    for header in headers:
        assert header.get_text() == labels[header["title"]] and len(header.get_text()) <= 6
        assert header["scope"] == "col"
    assert "writing-mode" not in style_of(page) and "writing-mode" not in str(page.select_one(".heat"))


def test_the_heatmap_key_gives_every_label_its_full_title(page: BeautifulSoup) -> None:
    key = page.select_one("dl.key")
    assert page.select_one(".heat table")["aria-describedby"] == key["id"]
    pairs = [(item.dt.get_text(), item.dd.get_text()) for item in key.find_all("div")]
    assert pairs == [(header.get_text(), header["title"]) for header in page.select(".heat th.rule")]


def test_rules_without_a_label_are_numbered_and_labels_are_escaped(corpus: Path, tmp_path: Path) -> None:
    local = tmp_path / "local.yaml"
    local.write_text(f"""id: local
version: "1"
title: 加一条无简称的规则
extends: {PLUMBING_RULES}
rules:
  - id: village-helpers
    title: 培育农村“法律明白人”
    group: 地方重点
    basis: 测试依据
    weight: 1
    pass: has("法律明白人")
    messages: {{pass: 有}}
    hint: 写明培育“法律明白人”的情况。
  - id: markup
    title: 简称里有标记
    label: "<b>标记"
    group: 地方重点
    basis: 测试依据
    weight: 1
    pass: has("标记")
    messages: {{pass: 有}}
    hint: 写明。
""", encoding="utf-8")
    soup = BeautifulSoup(batch_page(corpus / "2024", tmp_path / "page.html", "--rules", str(local)), "lxml")
    headers = {header["title"]: header for header in soup.select(".heat th.rule")}
    assert headers["培育农村“法律明白人”"].get_text() == str(len(PLUMBING.rules) + 1)
    key = [(item.dt.get_text(), item.dd.get_text()) for item in soup.select("dl.key div")]
    assert ("7", "培育农村“法律明白人”") in key and ("<b>标记", "简称里有标记") in key
    assert headers["简称里有标记"].get_text() == "<b>标记" and soup.select_one(".heat b") is None


def test_every_national_rule_has_a_short_label(national) -> None:
    labels = [rule.spec.label for rule in national.rules]
    assert all(labels) and len(set(labels)) == len(labels)


# ---------------------------------------------------------------- the label in rule files

def rule_file(tmp_path: Path, *labels: str) -> Path:
    rules = "".join(f"""
  - id: rule-{index}
    title: 第{index}项
    label: {label}
    group: 组
    basis: 依据
    weight: 1
    pass: has("法治")
    messages: {{pass: 有}}
    hint: 写明。
""" for index, label in enumerate(labels, 1))
    path = tmp_path / "labels.yaml"
    path.write_text(f'id: labels\nversion: "1"\ntitle: 简称\nrules:{rules}', encoding="utf-8")
    return path


@pytest.mark.parametrize(("labels", "line", "message"), [
    pytest.param(("行政机关负责人",), 7, "rules.0.label: 过长：最多 6 个字", id="too-long"),
    pytest.param(('""',), 7, "rules.0.label: 不能为空", id="empty"),
    pytest.param(("出庭应诉", "出庭应诉"), 17, "简称重复：出庭应诉（规则 rule-1 已使用）", id="duplicate"),
])
def test_a_bad_label_is_refused_where_it_is_written(tmp_path: Path, labels: tuple[str, ...], line: int,
                                                   message: str) -> None:
    with pytest.raises(RuleSetError) as caught:
        load_ruleset(rule_file(tmp_path, *labels))
    assert (caught.value.line, caught.value.column) == (line, 12) and caught.value.message == message


# ---------------------------------------------------------------- print

def test_the_batch_page_prints_on_a4_landscape_with_every_report_open(page: BeautifulSoup) -> None:
    css = style_of(page)
    assert "@page { size:A4 landscape" in css
    printed = media_block(css, "print")
    assert "print-color-adjust:exact" in printed, "heat-map cells are background colours"
    assert "#reports details + details { break-before:page; }" in printed
    assert "tr { break-inside:avoid; }" in printed and "thead { display:table-header-group; }" in printed
    for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", printed):
        if "break-inside:avoid" in body:  # a long section kept whole would leave the page before it empty
            assert not {"section", "details", "#reports"} & {part.strip() for part in selectors.split(",")}, selectors
    script = page.find("script").get_text()
    assert 'addEventListener("beforeprint"' in script and "d.open = true" in script
    assert 'addEventListener("afterprint"' in script


def test_the_audit_page_prints_on_a4_without_a_script(tmp_path: Path) -> None:
    out = tmp_path / "audit.html"
    assert main(["audit", str(SAMPLE), "--format", "html", "-o", str(out)]) == 0
    soup = BeautifulSoup(out.read_text(encoding="utf-8"), "lxml")
    css = style_of(soup)
    assert "@page { size:A4;" in css and "print-color-adjust:exact" in media_block(css, "print")
    assert soup.find("script") is None and soup.find("details") is None


# ---------------------------------------------------------------- phone width

def test_at_phone_width_the_ranking_keeps_rank_file_score_and_grade(page: BeautifulSoup) -> None:
    ranking = page.select_one("section.ranking table")
    kept = [header.get_text() for header in ranking.select("thead th") if "wide" not in header.get("class", [])]
    assert kept == list(NARROW_COLUMNS)
    for row in ranking.select("tbody tr"):  # the error rows too
        shown = [cell for cell in row.find_all("td") if "wide" not in cell.get("class", [])]
        assert sum(int(cell.get("colspan", 1)) for cell in shown) == len(NARROW_COLUMNS), row
    phone = media_block(style_of(page), "(max-width:700px)")
    assert ".ranking .wide, .scorebar { display:none; }" in phone
    assert "section { padding:14px 12px; overflow-x:auto; }" in phone, "wide tables scroll inside their section"


# ---------------------------------------------------------------- --title

def test_batch_title_names_the_page(corpus: Path, tmp_path: Path) -> None:
    soup = BeautifulSoup(batch_page(corpus / "2024", tmp_path / "page.html", "--title", "青禾市<2024>年度报告评查"), "lxml")
    assert soup.title.get_text() == soup.h1.get_text() == "青禾市<2024>年度报告评查"
    default = BeautifulSoup(batch_page(corpus / "2024", tmp_path / "default.html"), "lxml")
    assert default.title.get_text() == default.h1.get_text() == PAGE_TITLE


def test_audit_title_names_the_page(tmp_path: Path) -> None:
    out = tmp_path / "audit.html"
    assert main(["audit", str(SAMPLE), "--format", "html", "--title", "白鹭湾区报告审查意见", "-o", str(out)]) == 0
    soup = BeautifulSoup(out.read_text(encoding="utf-8"), "lxml")
    assert soup.title.get_text() == soup.h1.get_text() == "白鹭湾区报告审查意见"


@pytest.mark.parametrize("command", [["batch", "--format", "json"], ["audit", "--format", "table"]], ids=["batch", "audit"])
def test_title_is_refused_for_a_format_without_one(command: list[str], capsys) -> None:
    assert main([*command, str(SAMPLE), "--title", "标题", *WITH_RULES]) == EXIT_USAGE
    assert "--title 只用于 --format html" in capsys.readouterr().err


# ---------------------------------------------------------------- version stamps

def test_the_batch_page_stamps_fzcheck_the_rule_set_and_each_input(page: BeautifulSoup, corpus: Path) -> None:
    footer = page.footer.get_text()
    assert f"fzcheck {__version__}" in footer and f"规则集 {PLUMBING.id} {PLUMBING.version}" in footer
    assert page.footer.select_one("code.hash").get_text() == PLUMBING.digest
    hashes = {section.summary.select_one(".dim").get_text(): section.select_one("code.hash").get_text()
              for section in page.select("#reports details")}
    assert len(hashes) == len(page.select("section.ranking td.file a")), "one section per ranked report"
    for name, digest in hashes.items():
        assert digest == hashlib.sha256(Path(name).read_bytes()).hexdigest()


def test_the_audit_page_stamps_fzcheck_the_rule_set_and_the_input(tmp_path: Path, national) -> None:
    out = tmp_path / "audit.html"
    assert main(["audit", str(SAMPLE), "--format", "html", "-o", str(out)]) == 0
    soup = BeautifulSoup(out.read_text(encoding="utf-8"), "lxml")
    assert f"fzcheck {__version__}" in soup.footer.get_text()
    assert f"规则集 {national.id} {national.version}" in soup.footer.get_text()
    assert soup.footer.select_one("code.hash").get_text() == national.digest
    facts = soup.select_one("dl.facts")
    assert facts.select_one("code.hash").get_text() == hashlib.sha256(SAMPLE.read_bytes()).hexdigest()


# ---------------------------------------------------------------- in a real browser

def chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [BROWSER, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={tmp_path / 'profile'}", *args],
        capture_output=True, text=True, timeout=180, check=False)


@needs_browser
def test_printed_the_first_page_is_full_and_every_report_is_open(page_file: Path, page: BeautifulSoup,
                                                                tmp_path: Path) -> None:
    import pdfplumber

    pdf = tmp_path / "page.pdf"
    chromium(tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", page_file.as_uri())
    with pdfplumber.open(pdf) as document:
        assert all(sheet.width > sheet.height for sheet in document.pages), "A4 landscape"
        texts = [re.sub(r"\s", "", sheet.extract_text() or "") for sheet in document.pages]
    first = page.select_one("section.ranking tbody td.issuer").get_text()  # one line; a wrapped path interleaves
    assert "排名" in texts[0] and first in texts[0], "the ranking starts on the first page"
    printed = "".join(texts)
    for digest in (code.get_text() for code in page.select("#reports details code.hash")):
        assert digest in printed, "a report's section printed closed"
    rankings = "|".join(RANKING_LABELS.values())
    starts = [index for index, text in enumerate(texts) if re.match(rf"(逐份报告)?(({rankings})?#\d|另列)", text)]
    assert len(starts) == len(page.select("#reports details")), "each report starts a page"


@needs_browser
def test_at_375_pixels_the_page_does_not_scroll_sideways_and_the_grade_is_in_view(page_file: Path,
                                                                                  tmp_path: Path) -> None:
    # Headless windows are at least 500 pixels wide: the page is laid out in a 375-pixel frame,
    # and reports what it measured to the host page, whose DOM Chromium prints.
    probe = tmp_path / "probe.html"
    probe.write_text(page_file.read_text(encoding="utf-8").replace("</body>", """<script>
var root = document.documentElement, columns = {};
document.querySelectorAll(".ranking thead th").forEach(function (th) {
  var box = th.getBoundingClientRect(); columns[th.textContent] = box.width ? box.right : null; });
parent.postMessage(JSON.stringify({scroll: root.scrollWidth, width: root.clientWidth, columns: columns}), "*");
</script></body>"""), encoding="utf-8")
    host = tmp_path / "host.html"
    host.write_text('<!DOCTYPE html><body><script>addEventListener("message", function (e) {'
                    ' document.body.setAttribute("data-measured", e.data); });</script>'
                    f'<iframe src="{probe.name}" width="375" height="800"></iframe></body>', encoding="utf-8")
    dom = chromium(tmp_path, "--window-size=500,900", "--virtual-time-budget=5000", "--dump-dom", host.as_uri()).stdout
    measured = json.loads(BeautifulSoup(dom, "lxml").body["data-measured"])
    assert measured["scroll"] <= measured["width"] <= 375, "the page scrolls sideways"
    columns = measured["columns"]
    assert [name for name, right in columns.items() if right is not None] == list(NARROW_COLUMNS)
    assert all(columns[name] <= measured["width"] for name in NARROW_COLUMNS), columns


def test_a_local_set_may_rename_an_inherited_label_but_not_to_one_in_use(tmp_path: Path) -> None:
    base = rule_file(tmp_path, "出庭应诉", "三项制度")
    local = tmp_path / "local.yaml"
    local.write_text(f'id: local\nversion: "1"\ntitle: 本地\nextends: {base}\n'
                     "overrides:\n  rule-2:\n    label: 执法三制\n", encoding="utf-8")
    assert [rule.spec.label for rule in load_ruleset(local).rules] == ["出庭应诉", "执法三制"]
    local.write_text(f'id: local\nversion: "1"\ntitle: 本地\nextends: {base}\n'
                     "overrides:\n  rule-2:\n    label: 出庭应诉\n", encoding="utf-8")
    with pytest.raises(RuleSetError) as caught:
        load_ruleset(local)
    assert (caught.value.line, caught.value.message) == (7, "简称重复：出庭应诉（规则 rule-1 已使用）")
