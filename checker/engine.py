"""audit(document, rule set) -> AuditResult: the one loop over the rules.

Each rule's conditions are tried in order (not_applicable, pass, partial); the first that holds
decides the status, and the text positions its functions matched become the quoted evidence.
A failure quotes what was found on the way (a rate below the threshold, an admitted shortfall).
"""
from __future__ import annotations

import re
from collections.abc import Sequence

from checker.condition.functions import VARIABLES, Context, Searches
from checker.document import Document
from checker.models import AuditResult, Evidence, ReportInfo, RuleResult, RuleSetRef, SourceInfo, Status
from checker.ruleset import CompiledRule, RuleSet
from checker.scoring import count_statuses, grade, rule_score, total_score

FIELD_REFERENCE = re.compile(r"\{(\w+)\}")
MAX_EVIDENCE = 3
QUOTE_LENGTH = 120
DEFAULT_MESSAGES = {
    Status.PASS: "符合要求",
    Status.PARTIAL: "部分符合要求",
    Status.FAIL: "未见相关内容",
    Status.NOT_APPLICABLE: "不适用",
}


def audit(document: Document, ruleset: RuleSet) -> AuditResult:
    hits = ruleset.scan(document.text)
    searches = Searches(document.text)
    results = [evaluate_rule(rule, document, hits, searches) for rule in ruleset.rules]
    score = total_score(results)
    meta = document.meta
    return AuditResult(
        file=document.source.path,
        ruleset=RuleSetRef(id=ruleset.id, version=ruleset.version, sha256=ruleset.digest),
        report=ReportInfo(
            title=meta.title, title_source=meta.title_source,
            issuer=meta.issuer, issuer_source=meta.issuer_source,
            kind=meta.kind, kind_source=meta.kind_source,
            year=meta.year, year_source=meta.year_source,
            published=meta.published, published_source=meta.published_source,
            source=SourceInfo(format=document.source.format, encoding=document.source.encoding,
                              sha256=document.source.sha256),
        ),
        score=score,
        grade=grade(score),
        counts=count_statuses(results),
        results=results,
        not_a_report=_not_a_report(results, ruleset.report_rule),
    )


def _not_a_report(results: list[RuleResult], report_rule: str | None) -> str | None:
    decisive = next((result for result in results if result.id == report_rule), None)
    return decisive.message if decisive is not None and decisive.status is Status.FAIL else None


def evaluate_rule(rule: CompiledRule, document: Document, hits: dict[str, Sequence[int]],
                  searches: Searches | None = None) -> RuleResult:
    """One rule on one document; `hits` is the rule set's scan of the document's text, `searches`
    what the earlier rules found in it."""
    context = Context(document, hits, document.scopes["all"], rule.params, searches=searches)
    status, positions = _decide(rule, context)
    spec = rule.spec
    message = _fill(getattr(spec.messages, "pass_" if status is Status.PASS else status.value) or DEFAULT_MESSAGES[status],
                    document)
    return rule_result(rule, status, message, quote_positions(document, positions))


def rule_result(rule: CompiledRule, status: Status, message: str, evidence: list[Evidence]) -> RuleResult:
    """A rule's result from what evaluating it decided; the rest is the rule's own (which is why
    the result cache keeps only these four of each result)."""
    spec = rule.spec
    weight = spec.weight
    return RuleResult(
        id=spec.id,
        title=spec.title,
        group=spec.group,
        status=status,
        weight=weight,
        score=rule_score(status, weight),
        blocking=spec.blocking,
        basis=spec.basis,
        message=message,
        hint=None if status in (Status.PASS, Status.NOT_APPLICABLE) else spec.hint,
        evidence=evidence,
    )


def _fill(message: str, document: Document) -> str:
    """A message may name report fields ({document_type}, {year} …); they are filled in here."""
    if "{" not in message:
        return message
    return FIELD_REFERENCE.sub(lambda match: str(getattr(document.meta, match.group(1)) or "—")
                               if match.group(1) in VARIABLES else match.group(), message)


CONDITION_STATUSES = (("not_applicable", Status.NOT_APPLICABLE), ("pass", Status.PASS), ("partial", Status.PARTIAL))
"""A rule's conditions in the order they are tried, each with the status it decides."""


def _decide(rule: CompiledRule, context: Context) -> tuple[Status, list[int]]:
    found: list[int] = []
    conditions = rule.conditions
    for field, status in CONDITION_STATUSES:
        condition = conditions.get(field)
        if condition is None:
            continue
        context.evidence = []
        holds = condition.evaluate(context)
        if holds:
            return status, context.evidence
        if field != "not_applicable":
            found.extend(context.evidence)
    return Status.FAIL, found


def quote_positions(document: Document, positions: list[int]) -> list[Evidence]:
    """One quotation per sentence, in text order, at most MAX_EVIDENCE: how a result's evidence
    is quoted, and what `rules explain` shows for each function a condition calls."""
    quotes: list[Evidence] = []
    seen: set[int] = set()
    for position in sorted(set(positions)):
        start, end = document.sentence_span(position)
        if start in seen:
            continue
        seen.add(start)
        sentence = document.quote(start, end).strip()
        if len(sentence) > QUOTE_LENGTH:
            offset = max(0, min(position - start - QUOTE_LENGTH // 3, len(sentence) - QUOTE_LENGTH))
            sentence = ("…" if offset else "") + sentence[offset:offset + QUOTE_LENGTH] + "…"
        line, section, page = document.place_of(position)
        quotes.append(Evidence(line=line, text=sentence, section=section, page=page,
                               statement=document.statement_of(position)))
        if len(quotes) == MAX_EVIDENCE:
            break
    return quotes
