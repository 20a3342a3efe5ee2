"""What users write (rule sets) and what fzcheck reports (results), as plain frozen dataclasses.

Plain, not pydantic: building pydantic models costs a tenth of a second at every start-up, and
a result is built 21 times per report. Only reading a rule file needs validation, and
checker/rulefile.py derives its pydantic models from the rule-set classes here, so the shape of a
rule file is written once. All classes are frozen because nothing downstream of the loader or the
engine may change them, and keyword-only, as the pydantic models they replace were.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import MISSING, dataclass, field
from dataclasses import fields as dataclass_fields
from datetime import date
from enum import Enum
from functools import cache
from operator import attrgetter
from typing import Any, Literal, get_args, get_origin, get_type_hints

from checker import __version__


class Status(str, Enum):
    PASS = "pass"
    PARTIAL = "partial"
    FAIL = "fail"
    NOT_APPLICABLE = "not_applicable"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]

    @property
    def credit(self) -> float:
        return STATUS_CREDIT[self]


STATUS_LABELS = {
    Status.PASS: "达标",
    Status.PARTIAL: "部分达标",
    Status.FAIL: "未达标",
    Status.NOT_APPLICABLE: "不适用",
}
SHORT_OF_PASSING = frozenset({Status.PARTIAL, Status.FAIL})
"""The verdicts that call for more in the report: what precheck's gate holds against it, what
--only-failed lists and what gets the basis and the hint in every output."""
STATUS_CREDIT = {Status.PASS: 1.0, Status.PARTIAL: 0.5, Status.FAIL: 0.0, Status.NOT_APPLICABLE: 0.0}

Kind = Literal["government", "department"]
JSON_KEYS = {"pass_": "pass"}
"""Attribute names that are Python keywords in the files and the JSON (`pass:`), by attribute."""

def attributes(names: Sequence[str]) -> Callable[[Any], tuple]:
    """operator.attrgetter, always giving a tuple (it gives the bare value for one name)."""
    if len(names) == 1:
        return lambda value, name=names[0]: (getattr(value, name),)
    return attrgetter(*names) if names else lambda value: ()


def _model(kind: type) -> type:
    """A frozen, slotted, keyword-only dataclass whose instances pickle in one step: a slotted
    dataclass's own __getstate__ calls fields() for every object, most of the time a result
    takes to store in the batch result cache. The state is the same list of field values, in
    field order, so either way reads the other's. Its __init__ is `_slot_init`'s."""
    made = dataclass(frozen=True, slots=True, kw_only=True)(kind)
    names = tuple(item.name for item in dataclass_fields(made))
    values = attributes(names)
    setter = object.__setattr__

    def getstate(self) -> list:
        return list(values(self))

    def setstate(self, state: list) -> None:
        for name, value in zip(names, state):
            setter(self, name, value)

    made.__getstate__, made.__setstate__ = getstate, setstate
    made.__init__ = _slot_init(made)
    return made


class _Factory:
    """The default of a field with a default factory, shown as dataclass shows it: when the
    argument is left out, the factory is called."""

    def __repr__(self) -> str:
        return "<factory>"


_FACTORY = _Factory()


def _slot_init(made: type) -> Callable[..., None]:
    """The dataclass's __init__ (the same keyword-only parameters and defaults), storing each field
    through its slot's descriptor: the one dataclass writes for a frozen class calls
    object.__setattr__ with the field's name, which looks the slot up again, for every field of
    the 21 results and their quotations each report makes."""
    namespace: dict[str, Any] = {"_FACTORY": _FACTORY}
    parameters, body = [], []
    for item in dataclass_fields(made):
        name = item.name
        namespace[f"_set_{name}"] = made.__dict__[name].__set__
        if item.default is not MISSING:
            namespace[f"_default_{name}"] = item.default
            parameters.append(f"{name}=_default_{name}")
        elif item.default_factory is not MISSING:
            namespace[f"_factory_{name}"] = item.default_factory
            parameters.append(f"{name}=_FACTORY")
            body.append(f"    if {name} is _FACTORY:\n        {name} = _factory_{name}()")
        else:
            parameters.append(name)
        body.append(f"    _set_{name}(self, {name})")
    signature = ", ".join(["self", "*", *parameters] if parameters else ["self"])
    exec(f"def __init__({signature}):\n" + "\n".join(body or ["    pass"]), namespace)
    initialiser = namespace["__init__"]
    initialiser.__qualname__, initialiser.__annotations__ = made.__init__.__qualname__, made.__init__.__annotations__
    return initialiser


# ---------------------------------------------------------------- rule sets (user input)
# The constraints a rule file must meet beyond these types (the id pattern, a positive weight,
# no unknown keys) are checker/rulefile.py's.

@_model
class Example:
    """A piece of report text and, where the rule needs them, the report's metadata."""

    text: str
    year: int | None = None
    published: date | None = None
    kind: Kind | None = None
    title: str | None = None


@_model
class Examples:
    pass_: list[str | Example] = field(default_factory=list)
    partial: list[str | Example] = field(default_factory=list)
    fail: list[str | Example] = field(default_factory=list)
    not_applicable: list[str | Example] = field(default_factory=list)

    def by_status(self) -> list[tuple[Status, Example]]:
        cases = [(Status.PASS, self.pass_), (Status.PARTIAL, self.partial), (Status.FAIL, self.fail),
                 (Status.NOT_APPLICABLE, self.not_applicable)]
        return [(status, item if isinstance(item, Example) else Example(text=item))
                for status, items in cases for item in items]


@_model
class Messages:
    pass_: str | None = None
    partial: str | None = None
    fail: str | None = None
    not_applicable: str | None = None


@_model
class RuleSpec:
    id: str
    title: str
    label: str | None = None
    """A short name (出庭应诉) where the full title does not fit, as the batch page's heat-map
    columns; outputs without one number the rule instead."""
    group: str
    basis: str
    weight: float
    blocking: bool = False
    scope: str = "all"
    params: dict[str, float | int | str] = field(default_factory=dict)
    not_applicable: str | None = None
    pass_: str
    partial: str | None = None
    messages: Messages
    hint: str
    examples: Examples = field(default_factory=Examples)


@_model
class RuleOverride:
    """What a local rule set may change in an inherited rule without touching its conditions."""

    weight: float | None = None
    blocking: bool | None = None
    label: str | None = None
    """The heat-map's short name for the item, as the rule's own `label`."""
    params: dict[str, float | int | str] = field(default_factory=dict)


@_model
class RuleSetSpec:
    id: str
    version: str
    title: str
    extends: str | None = None
    lexicon: dict[str, list[str]] = field(default_factory=dict)
    vocabulary: dict[str, list[str]] = field(default_factory=dict)
    """Words added to the reading vocabulary's lists (rules/vocabulary.yaml), by list name."""
    overrides: dict[str, RuleOverride] = field(default_factory=dict)
    disable: list[str] = field(default_factory=list)
    report_rule: str | None = None
    """The rule whose failure means the document is not a rule-of-law report at all (a 政府工作报告,
    a notice): outputs then warn, and batch ranks the document apart. Inherited through extends."""
    rules: list[RuleSpec] = field(default_factory=list)


@_model
class WaiverSpec:
    """One entry of a waivers file (`--waivers FILE`, checker/waivers.py): which item of which
    reports is excused, why, by whom and until when. The selectors that are given must all hold."""

    rule: str
    reports: str | None = None
    """A glob on the report's file name or on its path relative to the current folder."""
    issuer: str | None = None
    """The issuer exactly as fzcheck reads it (主体 in `fzcheck audit`)."""
    year: int | None = None
    reason: str
    approved_by: str
    until: date
    """The last day it holds."""


@_model
class WaiversSpec:
    waivers: list[WaiverSpec]


# ---------------------------------------------------------------- results (fzcheck output)

@_model
class Evidence:
    line: int
    text: str
    section: str | None = None
    page: int | None = None
    statement: Literal["achievement", "promise", "admission", "negation", "directive", "heading"] | None = None
    """What the quoted clause does, as the document model read it: the reason it counted or not."""


@_model
class Waiver:
    """Why an item short of passing is excused in one report: the waivers file's entry that
    matched it, as every output shows it beside the verdict."""

    reason: str
    approved_by: str
    until: date
    source: str
    """Where the entry is written, `file:line`."""


@_model
class RuleResult:
    id: str
    title: str
    group: str
    status: Status
    """What the rules found, waived or not."""
    weight: float
    score: float
    """What the status earns of the weight; a waived item's is not counted."""
    blocking: bool
    basis: str
    message: str
    hint: str | None
    evidence: list[Evidence]
    waiver: Waiver | None = None
    """Set when a waivers file excuses the item (checker/waivers.py): it is then left out of the
    score, the gate and the counts of its status, and counted apart."""

    @property
    def falls_short(self) -> bool:
        """Short of passing and not waived: what precheck's gate holds against the report, what
        --only-failed lists, what the fixes rank and what the basis and the hint are shown for."""
        return self.status in SHORT_OF_PASSING and self.waiver is None


@_model
class SourceInfo:
    format: str
    encoding: str | None = None
    sha256: str | None = None
    """Of the input's bytes (a file's, or the UTF-8 of text handed over), so a score can be tied to
    exactly what was read."""


@_model
class ReportInfo:
    title: str | None
    title_source: str | None = None
    issuer: str | None
    issuer_source: str | None = None
    kind: Kind | None
    kind_source: str | None = None
    year: int | None
    year_source: str | None = None
    published: date | None
    published_source: str | None = None
    source: SourceInfo


@_model
class Counts:
    """The items of each status, waived items apart (in `waived` only, whatever their status)."""

    pass_: int = 0
    partial: int = 0
    fail: int = 0
    not_applicable: int = 0
    waived: int = 0


@_model
class RuleSetRef:
    id: str
    version: str
    sha256: str = ""
    """Of the rule set's content (its files, those it extends, the vocabulary): two runs with the
    same id and version but edited rules differ here."""


@_model
class AuditResult:
    file: str
    ruleset: RuleSetRef
    report: ReportInfo
    score: float
    grade: str
    counts: Counts
    results: list[RuleResult]
    not_a_report: str | None = None
    """Why the document is not a rule-of-law report (the message of the rule set's report_rule
    when it fails), or None: every output warns with it, and batch ranks the document apart."""
    fzcheck: str = __version__
    """The fzcheck version that scored it: with the rule set's sha256 and the input's, what is
    needed to reproduce the score later."""

    def to_json_dict(self) -> dict:
        """Every field in declaration order, dates as ISO text, statuses as their value, `pass_`
        as "pass": the JSON fzcheck has always written."""
        return _to_json(AuditResult)(self)


@cache
def _to_json(kind: type) -> Callable[[Any], dict]:
    """The JSON converter of one result class, planned once from its field types: a batch
    converts 100,000 results, and a field that needs no conversion costs nothing per result."""
    names = tuple(kind.__dataclass_fields__)
    keys = tuple(JSON_KEYS.get(name, name) for name in names)
    values = attributes(names)
    hints = get_type_hints(kind)
    converters = [(key, converter) for key, name in zip(keys, names)
                  if (converter := _json_field(hints[name])) is not None]
    if not converters:
        return lambda value: dict(zip(keys, values(value)))

    def convert(value: Any) -> dict:
        data = dict(zip(keys, values(value)))
        for key, converter in converters:
            data[key] = converter(data[key])
        return data
    return convert


def _json_field(annotation: Any) -> Callable[[Any], Any] | None:
    """How a field of this type is written, or None for a value JSON takes as it is."""
    if hasattr(annotation, "__dataclass_fields__"):
        return _to_json(annotation)
    origin, args = get_origin(annotation), get_args(annotation)
    if origin is list:
        item = _json_field(args[0])
        return None if item is None else lambda items: [item(value) for value in items]
    if type(None) in args:  # X | None: None as null, anything else as X is written
        (kind,) = (arg for arg in args if arg is not type(None))
        convert = _json_field(kind)
        return None if convert is None else lambda value: None if value is None else convert(value)
    if annotation is Status:
        return {status: status.value for status in Status}.__getitem__  # a plain str, as pydantic wrote it
    if annotation is date:
        return date.isoformat
    return None
