"""The JSON Schema of rule files (issue 11, item 5): shipped for editors, generated from the loader's
own models, and holding every rule set the loader accepts and refusing the typos it refuses."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator

from checker.resources import resource_dir
from checker.rulefile import SCHEMA_FILE, rule_file_schema

REPO = Path(__file__).resolve().parents[1]
SHIPPED = REPO / "checker" / "schemas" / SCHEMA_FILE
GOOD_SETS = [resource_dir("rules") / "national.yaml", *sorted((REPO / "tests" / "fixtures" / "rulesets").glob("[!b]*.yaml"))]


class _TextDates(yaml.SafeLoader):
    """YAML as an editor's schema checker sees it: a date is text, as in JSON."""


_TextDates.add_constructor("tag:yaml.org,2002:timestamp", yaml.SafeLoader.construct_yaml_str)


def read(path: Path) -> object:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_TextDates)


@pytest.fixture(scope="module")
def validator() -> Draft202012Validator:
    return Draft202012Validator(json.loads(SHIPPED.read_text(encoding="utf-8")))


def test_the_shipped_schema_is_the_generated_one() -> None:
    generated = json.dumps(rule_file_schema(), ensure_ascii=False, indent=2) + "\n"
    assert SHIPPED.read_text(encoding="utf-8") == generated, f"regenerate {SHIPPED.relative_to(REPO)} (see its test)"


@pytest.mark.parametrize("path", GOOD_SETS, ids=lambda path: path.name)
def test_every_rule_set_the_loader_accepts_holds_the_schema(path: Path, validator) -> None:
    errors = [f"{'.'.join(map(str, error.path))}: {error.message}" for error in validator.iter_errors(read(path))]
    assert errors == []


@pytest.mark.parametrize(("change", "where"), [
    (lambda data: data["rules"][0].update(wieght=2), "rules.0"),           # a misspelt key
    (lambda data: data["rules"][0].update(scope="wrok"), "rules.0.scope"),  # a scope there is not
    (lambda data: data["rules"][0].update(weight="二"), "rules.0.weight"),
    (lambda data: data["rules"][0].pop("hint"), "rules.0"),
    (lambda data: data.update(disable="quantified-results"), "disable"),   # a list, not one id
])
def test_the_typos_the_loader_refuses_are_flagged_where_they_are(change, where: str, validator) -> None:
    data = read(resource_dir("rules") / "national.yaml")
    change(data)
    assert {".".join(map(str, error.path)) for error in validator.iter_errors(data)} == {where}
