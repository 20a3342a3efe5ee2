"""The verdicts must not depend on the container: each sample report, re-encoded or re-packaged
as GBK, UTF-16, Word, PDF and a saved web page, gets the same status for every rule as its
UTF-8 text, and the web page's publication date comes from its <meta> tag."""
from __future__ import annotations

import html
from pathlib import Path

import pytest

from checker.document import build_document
from checker.engine import audit
from checker.pipeline import audit_path
from checker.readers import read_source
from checker.ruleset import load_ruleset
from fixture_builders import build_docx, build_pdf, find_cjk_font, portal_page

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
REPORTS = sorted(path for path in SAMPLES.glob("*.txt"))
DATE_LINE_PREFIX = "发布日期"


@pytest.fixture(scope="module")
def ruleset():
    return load_ruleset()


def _statuses(result) -> dict[str, str]:
    return {item.id: item.status.value for item in result.results}


def _body_lines(sample: Path) -> tuple[list[str], str | None]:
    """The sample's lines without its date line, and that date (a web page keeps it in <meta>)."""
    lines = sample.read_text(encoding="utf-8").split("\n")
    date = next((line.split("：", 1)[1].strip() for line in lines if line.startswith(DATE_LINE_PREFIX)), None)
    return [line for line in lines if not line.startswith(DATE_LINE_PREFIX)], date


def _as_encoding(sample: Path, folder: Path, encoding: str) -> Path:
    target = folder / f"{sample.stem}.{encoding}.txt"
    target.write_bytes(sample.read_text(encoding="utf-8").replace("\n", "\r\n").encode(encoding))
    return target


def _as_docx(sample: Path, folder: Path) -> Path:
    lines = sample.read_text(encoding="utf-8").split("\n")
    blocks = [("paragraph", line) for line in lines if line.strip()]
    return build_docx(folder / f"{sample.stem}.docx", "", blocks)


def _as_html(sample: Path, folder: Path) -> Path:
    lines, date = _body_lines(sample)
    title, body = lines[0], lines[1:]
    article = f"<h1>{html.escape(title)}</h1>" + "".join(f"<p>{html.escape(line)}</p>" for line in body if line.strip())
    target = folder / f"{sample.stem}.html"
    target.write_text(portal_page(article, title=title, pub_date=f"{date} 09:30" if date else ""), encoding="utf-8")
    return target


def _as_pdf(sample: Path, folder: Path, font: Path) -> Path:
    lines = [line for line in sample.read_text(encoding="utf-8").split("\n") if line.strip()]
    page = [("title", lines[0])] + [("paragraph", line) for line in lines[1:]]
    return build_pdf(folder / f"{sample.stem}.pdf", font, [page])


CONTAINERS = {
    "gbk": lambda sample, folder: _as_encoding(sample, folder, "gbk"),
    "utf-16": lambda sample, folder: _as_encoding(sample, folder, "utf-16"),
    "utf-8-bom": lambda sample, folder: _as_encoding(sample, folder, "utf-8-sig"),
    "docx": _as_docx,
    "html": _as_html,
    "pdf": None,  # needs a CJK font, see below
}


@pytest.mark.parametrize("container", CONTAINERS)
@pytest.mark.parametrize("sample", REPORTS, ids=lambda path: path.stem)
def test_same_statuses_whatever_the_container(sample: Path, container: str, tmp_path: Path, ruleset) -> None:
    if container == "pdf":
        font = find_cjk_font()
        if font is None:
            pytest.skip("no CJK font installed (Debian fonts-wqy-microhei)")
        copy = _as_pdf(sample, tmp_path, font)
    else:
        copy = CONTAINERS[container](sample, tmp_path)
    expected = audit(build_document(read_source(sample)), ruleset)
    got = audit_path(str(copy), ruleset)
    assert _statuses(got) == _statuses(expected)
    assert got.report.published == expected.report.published
    assert (got.report.year, got.report.issuer, got.report.kind) == (
        expected.report.year, expected.report.issuer, expected.report.kind)


@pytest.mark.parametrize("sample", REPORTS, ids=lambda path: path.stem)
def test_web_page_date_comes_from_its_meta_tag(sample: Path, tmp_path: Path, ruleset) -> None:
    result = audit_path(str(_as_html(sample, tmp_path)), ruleset)
    assert result.report.published_source == "meta"
