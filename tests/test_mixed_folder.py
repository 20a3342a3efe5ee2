"""A folder as an officer really receives it: the same reports as UTF-8, GBK and UTF-16 text,
Word, PDF and saved web pages, plus a scan and an image. One batch run scores every copy of a
report alike, takes the web pages' dates from their <meta> tags, and reports the scan and the
image as unreadable without stopping. The reports are scored with the fixture rule set: what is
tested is the batch over mixed containers, not what the national rules make of the samples."""
from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest

from checker.cli import main
from conftest import PLUMBING_RULES
from fixture_builders import build_scanned_pdf, find_cjk_font
from test_format_equivalence import REPORTS, _as_docx, _as_encoding, _as_html, _as_pdf

UNREADABLE = 3
RULES = ("--rules", str(PLUMBING_RULES))


@pytest.fixture()
def mixed_folder(tmp_path: Path) -> Path:
    font = find_cjk_font()
    for sample in REPORTS:
        (tmp_path / sample.name).write_text(sample.read_text(encoding="utf-8"), encoding="utf-8")
        _as_encoding(sample, tmp_path, "gbk")
        _as_encoding(sample, tmp_path, "utf-16")
        _as_docx(sample, tmp_path)
        _as_html(sample, tmp_path)
        if font is not None:
            _as_pdf(sample, tmp_path, font)
    build_scanned_pdf(tmp_path / "scan.pdf")
    (tmp_path / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    return tmp_path


def test_one_batch_scores_every_copy_alike(mixed_folder: Path, capsys) -> None:
    code = main(["batch", str(mixed_folder), "--format", "json", "--jobs", "2", "--quiet", *RULES])
    output = json.loads(capsys.readouterr().out)

    assert code == UNREADABLE
    assert sorted(Path(item["file"]).name for item in output["errors"]) == ["photo.png", "scan.pdf"]

    copies: dict[str, list[dict]] = defaultdict(list)
    for report in output["reports"] + output["not_reports"]:
        copies[Path(report["file"]).name.split(".")[0]].append(report)
    assert set(copies) == {sample.stem for sample in REPORTS}
    expected_copies = 6 if find_cjk_font() else 5
    for stem, reports in copies.items():
        assert len(reports) == expected_copies, stem
        statuses = {json.dumps({r["id"]: r["status"] for r in report["results"]}, sort_keys=True) for report in reports}
        assert len(statuses) == 1, f"{stem}: the containers disagree"
        assert len({report["report"]["published"] for report in reports}) == 1, stem


def test_web_pages_dates_come_from_meta(mixed_folder: Path, capsys) -> None:
    main(["batch", str(mixed_folder), "--glob", "*.html", "--format", "json", "--jobs", "1", "--quiet", *RULES])
    reports = json.loads(capsys.readouterr().out)["reports"]
    assert reports and all(report["report"]["published_source"] == "meta" for report in reports)
