"""Read a waivers file (checker/waivers.py says what waivers do) and check it against the rule set
in use and today's date, before any report is read.

Every problem of the file is reported at once, each at its file:line:col, as a rule file's are
(the YAML is read by checker/yamlfile.py): bad YAML, an unknown key, a value of the wrong type,
an unknown rule id (with the nearest one), the rule set's report rule (whether a document is a
rule-of-law report at all is no requirement to excuse), an entry that selects no reports, and an
expired waiver. An expired waiver fails the run on load, whichever reports are checked: the same
file fails every run from the same day on, which is predictable, and a waiver nobody renewed is
one nobody stands behind any more; it is renewed or removed, never silently passed over.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from checker.models import Waiver, WaiverSpec, WaiversSpec
from checker.ruleset import RuleSet, UnknownRuleError
from checker.waivers import Entry, WaiverError, Waivers
from checker.yamlfile import (FileKind, FileModels, Positions, error_path, read_text, read_yaml,
                              validation_problems)

MAX_WAIVERS_BYTES = 1024 * 1024
WAIVERS_FILE = FileKind("豁免文件", WaiverError, MAX_WAIVERS_BYTES,
                        "豁免文件应为一个映射，其中 waivers 是豁免的列表（每项写明 rule、reports/issuer/year、reason、approved-by、until）")
SELECTORS = ("reports", "issuer", "year")
FIELD_RULES: dict[str, dict[str, Any]] = {
    "approved_by": {"alias": "approved-by", "min_length": 1},
    "rule": {"min_length": 1},
    "reason": {"min_length": 1},
    "reports": {"min_length": 1},
    "issuer": {"min_length": 1},
    "year": {"ge": 1000, "le": 9999},
}
"""What a waivers file must meet beyond the types of checker.models, by field name."""
FILE_MODELS = FileModels(WaiverSpec, WaiversSpec, rules=FIELD_RULES)


def load_waivers(path: str, ruleset: RuleSet, today: date | None = None) -> Waivers:
    """The waivers file at `path`, checked against `ruleset` (every rule of the set in use, before
    --select and --ignore) and `today`. Raises WaiverError carrying every problem of the file."""
    file = Path(path)
    _, text = read_text(file, WAIVERS_FILE)
    data, positions = read_yaml(file, text, WAIVERS_FILE)
    specs, problems = _entries(file, data, positions)
    today = today or date.today()
    entries = []
    for index, spec in specs:
        found = _problems(file, positions, index, spec, ruleset, today)
        problems += found
        if not found:
            line, _ = positions.at(("waivers", index))
            waiver = Waiver(reason=spec.reason, approved_by=spec.approved_by, until=spec.until, source=f"{path}:{line}")
            entries.append(Entry(spec, waiver))
    if problems:
        raise WaiverError.every(problems)
    return Waivers(tuple(entries))


def _entries(file: Path, data: Any, positions: Positions) -> tuple[list[tuple[int, WaiverSpec]], list[WaiverError]]:
    """Each entry that is well formed, by its index, and the mistakes of the others: an entry with
    a mistake in it does not hide the problems of the rest (an unknown rule, an expired date)."""
    if not isinstance(data, dict):
        raise WaiverError(str(file), 1, 1, WAIVERS_FILE.shape)
    try:
        return list(enumerate(FILE_MODELS.validate(WaiversSpec, data).waivers)), []
    except ValidationError as error:
        problems = validation_problems(file, error, positions, WAIVERS_FILE)
        wrong = {loc[1] for loc in map(error_path, error.errors()) if len(loc) > 1 and loc[0] == "waivers"}
    listed = data.get("waivers")
    if not isinstance(listed, list):
        return [], problems
    return [(index, FILE_MODELS.validate(WaiverSpec, entry)) for index, entry in enumerate(listed)
            if index not in wrong], problems


def _problems(file: Path, positions: Positions, index: int, spec: WaiverSpec, ruleset: RuleSet,
              today: date) -> list[WaiverError]:
    def problem(key: str | None, message: str) -> WaiverError:
        where = ("waivers", index) + ((key,) if key else ())
        return WaiverError(str(file), *positions.at(where), f"{'.'.join(map(str, where))}: {message}")

    found = []
    if ruleset.rule(spec.rule) is None:
        found.append(problem("rule", str(UnknownRuleError(ruleset, spec.rule))))
    elif spec.rule == ruleset.report_rule:
        found.append(problem("rule", f"规则 {spec.rule} 判断文件是不是法治政府建设年度报告，不能豁免"))
    if all(getattr(spec, name) is None for name in SELECTORS):
        found.append(problem(None, "应写明豁免哪些报告：reports（文件名或相对路径的通配符）、issuer（报告主体）"
                                   "或 year（年度），至少一项；写了几项时须同时符合"))
    if spec.until < today:
        found.append(problem("until", f"规则 {spec.rule} 的豁免已于 {spec.until.isoformat()} 到期（今天是 "
                                      f"{today.isoformat()}）：请续期或删除这条豁免"))
    return found
