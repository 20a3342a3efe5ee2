"""batch --year/--published/--kind fill in only what a report does not state; batch --meta gives
one file's facts, which beat what it states; audit --year still overrides (issue 10, item 7)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import PLUMBING_RULES, STRONG, write_report

import checker.batch as batch_module
from checker.cli import main
from checker.commands import EXIT_OK, EXIT_USAGE

RULES = ("--rules", str(PLUMBING_RULES))
OF_2021 = [("2024", "2021"), ("2025", "2022")]
"""The strong report moved to 2021 (published 2022-03-12: on time)."""
NO_YEAR = [("2024年法治", "法治"), ("2024年，", "过去一年，"), ("2025年工作", "下一步工作")]
"""The strong report naming no year anywhere (its publication date is no year it covers)."""
NO_DATE = [("发布日期：2025-03-12\n", "")]


@pytest.fixture()
def reports(tmp_path: Path) -> Path:
    folder = tmp_path / "reports"
    write_report(folder / "a_2021.txt", STRONG, OF_2021)
    write_report(folder / "b_no_year.txt", STRONG, NO_YEAR)
    return folder


def batch(capsys, *argv: str) -> tuple[int, dict[str, dict]]:
    code = main(["batch", "-q", *RULES, "--format", "jsonl", *argv])
    out = capsys.readouterr().out
    return code, {Path(line["file"]).name: line for line in map(json.loads, out.splitlines())}


def facts(line: dict, field: str) -> tuple:
    return line["report"][field], line["report"][f"{field}_source"]


def test_batch_year_fills_in_only_a_report_that_names_none(reports, capsys) -> None:
    code, lines = batch(capsys, str(reports), "--year", "2024")
    assert code == EXIT_OK
    assert facts(lines["a_2021.txt"], "year") == (2021, "title")
    assert facts(lines["b_no_year.txt"], "year") == (2024, "user")
    _, plain = batch(capsys, str(reports), "--no-cache")
    assert lines["a_2021.txt"]["score"] == plain["a_2021.txt"]["score"]  # its score does not move
    assert plain["b_no_year.txt"]["report"]["year"] is None


def test_batch_published_and_kind_fill_in_too(tmp_path, capsys) -> None:
    dated = write_report(tmp_path / "dated.txt", STRONG)
    undated = write_report(tmp_path / "undated.txt", STRONG, NO_DATE)
    _, lines = batch(capsys, str(dated), str(undated), "--published", "2025-03-30", "--kind", "部门")
    assert facts(lines["dated.txt"], "published") == ("2025-03-12", "text")
    assert facts(lines["undated.txt"], "published") == ("2025-03-30", "user")
    assert facts(lines["dated.txt"], "kind") == ("government", "issuer")  # 人民政府: the report says so


def test_audit_year_still_overrides(reports, capsys) -> None:
    assert main(["audit", *RULES, "--format", "json", "--year", "2024", str(reports / "a_2021.txt")]) == EXIT_OK
    assert facts(json.loads(capsys.readouterr().out), "year") == (2024, "user")


def test_help_says_batch_options_only_fill_in(capsys) -> None:
    with pytest.raises(SystemExit):
        main(["batch", "--help"])
    text = "".join(capsys.readouterr().out.split())
    assert "只用于报告本身未写明的报告" in text and "--meta" in text
    with pytest.raises(SystemExit):
        main(["audit", "--help"])
    assert "覆盖自动识别" in capsys.readouterr().out


def test_meta_values_beat_the_report_for_the_listed_file_only(reports, capsys) -> None:
    meta = reports.parent / "meta.csv"
    meta.write_text("\ufefffile,year,published,kind\nreports/a_2021.txt,2019,,政府\n", encoding="utf-8")  # BOM, as Excel writes
    code, lines = batch(capsys, str(reports), "--meta", str(meta), "--year", "2023")
    assert code == EXIT_OK
    assert facts(lines["a_2021.txt"], "year") == (2019, "user")
    assert facts(lines["a_2021.txt"], "published") == ("2022-03-12", "text")  # an empty cell gives nothing
    assert facts(lines["b_no_year.txt"], "year") == (2023, "user")  # not listed: --year fills in
    _, plain = batch(capsys, str(reports))
    assert lines["a_2021.txt"]["score"] < plain["a_2021.txt"]["score"]  # published 2022 for 2019: late


def test_meta_file_names_as_given_or_from_the_csv_folder(reports, tmp_path, capsys, monkeypatch) -> None:
    (reports / "meta.csv").write_text("file,year\nb_no_year.txt,2020\n", encoding="utf-8")
    _, lines = batch(capsys, str(reports), "--meta", str(reports / "meta.csv"))
    assert facts(lines["b_no_year.txt"], "year") == (2020, "user")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "meta.csv").write_text("year,file\n2018,reports/b_no_year.txt\n", encoding="utf-8")
    _, lines = batch(capsys, "reports", "--meta", "elsewhere/meta.csv")
    assert facts(lines["b_no_year.txt"], "year") == (2018, "user")


@pytest.mark.parametrize(("rows", "line", "says"), [
    ("file,year\na_2021.txt,2020\nmissing.txt,2020\n", 3, "missing.txt 不在要检查的文件中"),
    ("file,year\n\na_2021.txt,24\n", 3, "年度应为四位数年份"),
    ("file,published\na_2021.txt,2024-02-30\n", 2, "没有这一天"),
    ("file,kind\na_2021.txt,省\n", 2, "government"),
    ("file,yaer\na_2021.txt,2020\n", 1, "未知的列名"),
    ("file,year\na_2021.txt,2020\n./a_2021.txt,2021\n", 3, "与第 2 行是同一文件"),
])
def test_a_bad_meta_row_is_refused_with_its_line_before_scoring(reports, capsys, monkeypatch, rows, line, says) -> None:
    (reports / "meta.csv").write_text(rows, encoding="utf-8")
    scored = []
    monkeypatch.setattr(batch_module, "audit_path", lambda *args: scored.append(args))
    assert main(["batch", "-q", *RULES, str(reports), "--meta", str(reports / "meta.csv")]) == EXIT_USAGE
    err = capsys.readouterr().err
    assert f"第 {line} 行" in err and says in err and len(err.strip().splitlines()) == 1
    assert scored == []


def test_meta_not_utf8_is_refused_with_its_line(reports, capsys) -> None:
    (reports / "meta.csv").write_bytes("file,year\n".encode() + "a_2021.txt,2020,甲\n".encode("gbk"))
    assert main(["batch", "-q", *RULES, str(reports), "--meta", str(reports / "meta.csv")]) == EXIT_USAGE
    assert "第 2 行：不是 UTF-8" in capsys.readouterr().err


def test_a_changed_meta_value_scores_the_file_again(reports, tmp_path, capsys, monkeypatch) -> None:
    monkeypatch.setattr("checker.commands.batch.cache_dir", lambda: tmp_path / "cache")
    meta = tmp_path / "meta.csv"
    real = batch_module.audit_path

    def run(year: str) -> tuple[list[str], dict[str, dict]]:
        meta.write_text(f"file,year\n{reports / 'a_2021.txt'},{year}\n", encoding="utf-8")
        scored: list[str] = []
        monkeypatch.setattr(batch_module, "audit_path", lambda *args: scored.append(Path(args[0]).name) or real(*args))
        _, lines = batch(capsys, str(reports), "--meta", str(meta))
        return sorted(scored), lines

    assert run("2019")[0] == ["a_2021.txt", "b_no_year.txt"]
    assert run("2019")[0] == []  # all from the cache
    again, lines = run("2020")
    assert again == ["a_2021.txt"]  # only the file whose given facts changed
    assert facts(lines["a_2021.txt"], "year") == (2020, "user")
    # Without --meta the files' entries are those of a run without it.
    assert batch(capsys, str(reports))[1]["a_2021.txt"]["report"]["year"] == 2021


def test_meta_reaches_the_worker_for_its_file(tmp_path, capsys) -> None:
    folder = tmp_path / "many"
    for index in range(6):
        write_report(folder / f"r{index}.txt", STRONG, OF_2021)
    (tmp_path / "meta.csv").write_text("file,year\nmany/r3.txt,2019\n", encoding="utf-8")
    _, lines = batch(capsys, str(folder), "--meta", str(tmp_path / "meta.csv"), "--jobs", "2", "--no-cache")
    assert {name: line["report"]["year"] for name, line in lines.items()} == {
        f"r{index}.txt": 2019 if index == 3 else 2021 for index in range(6)}
