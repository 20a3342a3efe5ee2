"""checker/api.py: the library functions give exactly what the commands give."""
from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
import hashlib
from pathlib import Path

import pytest

from checker.api import ReadError, RuleSetError, WaiverError, audit_file, audit_text, to_rows
from checker.output.csv_format import COLUMNS, STAMP_COLUMNS
from checker.ruleset import load_ruleset

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "samples").glob("*.txt"))
FIXTURES = ROOT / "tests" / "fixtures" / "rulesets"


def cli_json(*args: str) -> dict:
    run = subprocess.run([sys.executable, "-m", "checker", "audit", *args, "--format", "json"],
                         capture_output=True, text=True, cwd=ROOT)
    return json.loads(run.stdout)


@pytest.mark.parametrize("sample", SAMPLES[:2], ids=lambda path: path.stem)
def test_audit_file_is_the_audit_command(sample: Path) -> None:
    assert audit_file(sample).to_json_dict() == cli_json(str(sample))


def test_given_facts_beat_the_report_as_the_options_do() -> None:
    sample = SAMPLES[0]
    result = audit_file(sample, year=2021, published=date(2022, 3, 1), kind="department")
    assert result.to_json_dict() == cli_json(str(sample), "--year", "2021", "--published", "2022-03-01", "--kind", "department")


def test_audit_text_reads_as_a_txt_file(tmp_path: Path) -> None:
    text = SAMPLES[0].read_text(encoding="utf-8")
    from_text, from_file = audit_text(text, name=str(SAMPLES[0])).to_json_dict(), audit_file(SAMPLES[0]).to_json_dict()
    digest = hashlib.sha256(SAMPLES[0].read_bytes()).hexdigest()  # a UTF-8 file: its bytes are the text's
    assert (from_text["report"]["source"], from_file["report"]["source"]) == (
        {"format": "txt", "encoding": None, "sha256": digest}, {"format": "txt", "encoding": "utf_8", "sha256": digest})
    from_text["report"]["source"] = from_file["report"]["source"]
    assert from_text == from_file  # a string has no byte encoding; all else is the file's
    assert audit_text("\r\n  " + text).to_json_dict()["file"] == "<text>"


def test_a_blank_text_and_a_missing_file_are_read_errors(tmp_path: Path) -> None:
    with pytest.raises(ReadError, match="没有可检查的文字"):
        audit_text(" \n\t\n")
    with pytest.raises(ReadError):
        audit_file(tmp_path / "absent.txt")


def test_rules_as_a_path_or_a_loaded_set(tmp_path: Path) -> None:
    local = FIXTURES / "local_example.yaml"
    by_path = audit_file(SAMPLES[0], rules=local)
    assert by_path.ruleset.id == load_ruleset(local).id != audit_file(SAMPLES[0]).ruleset.id
    assert audit_file(SAMPLES[0], rules=load_ruleset(local)).to_json_dict() == by_path.to_json_dict()
    broken = tmp_path / "broken.yaml"
    broken.write_text("id: [", encoding="utf-8")
    with pytest.raises(RuleSetError):
        audit_file(SAMPLES[0], rules=broken)


def test_to_rows_gives_the_csv_columns_one_row_per_report_and_item() -> None:
    results = [audit_file(sample) for sample in SAMPLES]
    rows = to_rows(results)
    assert len(rows) == sum(len(result.results) for result in results)
    assert set(rows[0]) <= {*COLUMNS, *STAMP_COLUMNS} and rows[0]["fzcheck_version"] == results[0].fzcheck
    first = results[0]
    assert [(row["file"], row["rule_id"], row["status"]) for row in rows[:len(first.results)]] == [
        (first.file, item.id, item.status.value) for item in first.results]


def test_waivers_are_applied_as_the_option_applies_them(tmp_path: Path) -> None:
    sample = SAMPLES[0]
    failing = next(item["id"] for item in cli_json(str(sample))["results"] if item["status"] in ("fail", "partial"))
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text(f"waivers:\n  - rule: {failing}\n    reports: \"{sample.name}\"\n    reason: 本年度该项另行报告\n"
                       "    approved-by: 区司法局\n    until: 2099-12-31\n", encoding="utf-8")
    waived = audit_file(sample, waivers=waivers).to_json_dict()
    assert waived == cli_json(str(sample), "--waivers", str(waivers))
    assert [item["id"] for item in waived["results"] if item["waiver"]] == [failing]
    text = sample.read_text(encoding="utf-8")
    assert audit_text(text, name=sample.name, waivers=waivers).to_json_dict()["counts"]["waived"] == 1
    assert audit_text(text, name="other.txt", waivers=waivers).to_json_dict()["counts"]["waived"] == 0
    waivers.write_text("waivers:\n  - rule: no-such-rule\n", encoding="utf-8")
    with pytest.raises(WaiverError):
        audit_file(sample, waivers=waivers)
