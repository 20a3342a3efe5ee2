"""What each sentence and clause of a report does.

A report's sentences do different things: most report what was done, but some promise
(下一步…将…, 确保…达到100%), admit a shortfall (出庭应诉率有待提高), negate (尚未建立), or tell
others to act (督促各乡镇落实…). Only the first are achievements. Every cue list is searched once
over the whole text; its matches are mapped to clauses, so the cost does not grow with the rules.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from collections.abc import Callable, Iterator, Sequence

from checker.document.numbers import CN_DIGITS as CN
from checker.document.offsets import compact
from checker.scopes import Intervals
from checker.screen import quick
from checker.vocabulary import Vocabulary, listed

# A sentence ends at 。!?; or a line break, and a 一是/二是 point starts a new one. A sentence
# starts after a run of ends with only spaces between them (a bare line break between two
# sentences is no sentence), or at a point, the spaces before it going with the sentence before.
SENTENCE_END = re.compile(rf"[。!?;\n](?:\s*[。!?;\n])*(?:\s+(?=[{CN}]{{1,2}}是))?")
CLAUSE_MARKS = (",", ":")
# What may stand before a sentence's first word: numbering, a 一是 lead, a year.
LEAD_IN = re.compile(rf"\s*(?:[(]?[{CN}\d]{{1,3}}[)、.]|[\u2460-\u2473\u2776-\u277f]|[{CN}]{{1,2}}是|(?:19|20)\d{{2}}年[度]?)?\s*,?\s*")
STATEMENT_KINDS = ("promises", "admissions", "negations", "directives")


@dataclass(frozen=True)
class StatementCues:
    vocabulary: Vocabulary

    promise_openings = listed("promise_openings")
    promise_cues = listed("promise_cues")
    admission_cues = listed("admission_cues")
    negation_cues = listed("negation_cues")
    own_subject = listed("self_subjects", r"(?<=[,;:])\s*{}")
    remedy = listed("remedy_verbs")
    zero_counts = listed("zero_counts")
    directive_openings = listed("directive_openings")


@dataclass(frozen=True)
class Statements:
    sentence_starts: Sequence[int]
    scopes: dict[str, Intervals]
    """promises, admissions, negations, directives: the clauses that do each."""


def read_statements(text: str, cues: StatementCues) -> Statements:
    sentence_starts = _sentence_starts(text)

    def sentence(position: int) -> tuple[int, int]:
        index = bisect_right(sentence_starts, position) - 1
        end = sentence_starts[index + 1] if index + 1 < len(sentence_starts) else len(text)
        return sentence_starts[index], end

    def clause(position: int) -> tuple[int, int]:
        """The clause holding `position`: its sentence cut at the clause marks around it (looked
        for only within the sentence, for the few positions a cue stands at)."""
        start, end = sentence(position)
        for mark in CLAUSE_MARKS:
            start = max(start, text.rfind(mark, start, position) + 1)
            if (after := text.find(mark, position, end)) != -1:
                end = after + 1
        return start, end

    def rest_of_sentence(position: int) -> tuple[int, int]:
        return clause(position)[0], sentence(position)[1]

    def until_own_subject(span: tuple[int, int]) -> tuple[int, int]:
        """督促各镇落实…，本局聘请顾问2名: the directive ends where the issuer speaks of itself."""
        own = cues.own_subject.search(text, span[0] + 1, span[1])
        return (span[0], own.start()) if own else span

    def opens(match: re.Match[str], part: Callable[[int], tuple[int, int]]) -> bool:
        """Whether the cue stands at the start of its sentence or clause (after numbering, a lead)."""
        return LEAD_IN.fullmatch(text, part(match.start())[0], match.start()) is not None

    # Cues are found by one search each, then kept where they open their sentence or clause.
    promises = [rest_of_sentence(m.end() - 1) for m in quick(cues.promise_openings).finditer(text) if opens(m, sentence)]
    promises += [rest_of_sentence(m.start()) for m in quick(cues.promise_cues).finditer(text)]
    scopes = {
        "promises": Intervals.of(promises),
        # 补齐执法短板: the problem a remedy acts on is no admission; 未按期办结的为零: a negation
        # that counts nothing is an achievement.
        "admissions": Intervals.of([span for m in quick(cues.admission_cues).finditer(text)
                                    if not cues.remedy.search(text, (span := clause(m.start()))[0], m.start())]),
        "negations": Intervals.of([span for m in quick(cues.negation_cues).finditer(text)
                                   if not cues.zero_counts.search(text, *(span := clause(m.start())))]),
        # 督促各乡镇落实…，年底报送…: what follows a directive in its sentence is still the others' duty.
        "directives": Intervals.of([until_own_subject(rest_of_sentence(m.end() - 1))
                                    for m in quick(cues.directive_openings).finditer(text) if opens(m, clause)]),
    }
    return Statements(compact(sentence_starts), scopes)


def _sentence_starts(text: str) -> list[int]:
    found = {match.end() for match in SENTENCE_END.finditer(text)}
    found.update(_points(text))  # a point right after an end is found by both
    starts = sorted(found)
    if not starts or (starts[0] and not text[:starts[0]].isspace()):
        starts.insert(0, 0)
    return starts


def _points(text: str) -> Iterator[int]:
    """Where each 一是, 十二是 point starts: the one or two Chinese digits before a 是. Found from
    the 是 back, since a pattern that opens with a class of digits is tried at every character."""
    at = text.find("是")
    while at != -1:
        if at >= 2 and text[at - 2] in CN and text[at - 1] in CN:
            yield at - 2
        elif at >= 1 and text[at - 1] in CN:
            yield at - 1
        at = text.find("是", at + 1)
