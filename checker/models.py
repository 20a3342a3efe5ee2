"""pydantic models for what users write (rule sets) and what fzcheck reports (results).

Rule-set models forbid unknown keys so a typo cannot silently disable a rule; all models are
frozen because nothing downstream of the loader or the engine may change them.
"""
from __future__ import annotations

from datetime import date
from enum import Enum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


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
STATUS_CREDIT = {Status.PASS: 1.0, Status.PARTIAL: 0.5, Status.FAIL: 0.0, Status.NOT_APPLICABLE: 0.0}

Kind = Literal["government", "department"]
RuleId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")]


# ---------------------------------------------------------------- rule sets (user input)

class Example(_Frozen):
    """A piece of report text and, where the rule needs them, the report's metadata."""

    text: str
    year: int | None = None
    published: date | None = None
    kind: Kind | None = None
    title: str | None = None


class Examples(_Frozen):
    pass_: list[str | Example] = Field(default_factory=list, alias="pass")
    partial: list[str | Example] = Field(default_factory=list)
    fail: list[str | Example] = Field(default_factory=list)
    not_applicable: list[str | Example] = Field(default_factory=list)

    def by_status(self) -> list[tuple[Status, Example]]:
        cases = [(Status.PASS, self.pass_), (Status.PARTIAL, self.partial), (Status.FAIL, self.fail),
                 (Status.NOT_APPLICABLE, self.not_applicable)]
        return [(status, item if isinstance(item, Example) else Example(text=item))
                for status, items in cases for item in items]


class Messages(_Frozen):
    pass_: str | None = Field(default=None, alias="pass")
    partial: str | None = None
    fail: str | None = None
    not_applicable: str | None = None


class RuleSpec(_Frozen):
    id: RuleId
    title: str
    group: str
    basis: str
    weight: float = Field(gt=0, allow_inf_nan=False)
    blocking: bool = False
    scope: str = "all"
    params: dict[str, float | int | str] = Field(default_factory=dict)
    not_applicable: str | None = None
    pass_: str = Field(alias="pass")
    partial: str | None = None
    messages: Messages
    hint: str
    examples: Examples = Field(default_factory=Examples)


class RuleOverride(_Frozen):
    """What a local rule set may change in an inherited rule without touching its conditions."""

    weight: float | None = Field(default=None, gt=0, allow_inf_nan=False)
    blocking: bool | None = None
    params: dict[str, float | int | str] = Field(default_factory=dict)


class RuleSetSpec(_Frozen):
    id: RuleId
    version: str
    title: str
    extends: str | None = None
    lexicon: dict[str, list[str]] = Field(default_factory=dict)
    vocabulary: dict[str, list[str]] = Field(default_factory=dict)
    """Words added to the reading vocabulary's lists (rules/vocabulary.yaml), by list name."""
    overrides: dict[str, RuleOverride] = Field(default_factory=dict)
    disable: list[str] = Field(default_factory=list)
    rules: list[RuleSpec] = Field(default_factory=list)


# ---------------------------------------------------------------- results (fzcheck output)

class Evidence(_Frozen):
    line: int
    text: str
    section: str | None = None
    page: int | None = None
    statement: Literal["achievement", "promise", "admission", "negation", "directive", "heading"] | None = None
    """What the quoted clause does, as the document model read it: the reason it counted or not."""


class RuleResult(_Frozen):
    id: str
    title: str
    group: str
    status: Status
    weight: float
    score: float
    blocking: bool
    basis: str
    message: str
    hint: str | None
    evidence: list[Evidence]


class SourceInfo(_Frozen):
    format: str
    encoding: str | None = None


class ReportInfo(_Frozen):
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


class Counts(_Frozen):
    pass_: int = Field(default=0, alias="pass")
    partial: int = 0
    fail: int = 0
    not_applicable: int = 0


class RuleSetRef(_Frozen):
    id: str
    version: str


class AuditResult(_Frozen):
    file: str
    ruleset: RuleSetRef
    report: ReportInfo
    score: float
    grade: str
    counts: Counts
    results: list[RuleResult]

    def to_json_dict(self) -> dict:
        return self.model_dump(mode="json", by_alias=True)
