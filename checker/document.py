"""A report as the rules see it: normalised text, lines, headings, classified sections, sentences,
quantities and metadata, all computed once when the document is built.

Positions are character offsets into `Document.text` (the normalised lines joined by "\\n"), so
line numbers stay those of the file the user gave, and every rule works on the same offsets.
"""
from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from checker.chrome import PAGE_CHROME
from checker.readers import Source
from checker.scopes import Intervals

CN_DIGITS = "零〇一二三四五六七八九十"

# ---------------------------------------------------------------- page chrome and page fields

# "key: value" fields of a page's information table (索引号, 发布机构, 发布日期 …).
FIELD = re.compile(
    r"(索引号|信息分类(名称)?|发布机构|文章来源|来源|生成日期|成文日期|发布日期|发布时间|更新时间|日期|时间|名称|标题|文号|主题词|浏览数)"
    r"\s*:\s*\|?\s*([^|]*?)\s*(?=\||\s{2,}|$|(索引号|发布机构|生成日期|成文日期|发布日期|发布时间|更新时间)\s*:)"
)
# Publication-date fields, most explicit first; 生成日期 and 成文日期 are the drafting date.
PUBLISHED_FIELDS = ("发布日期", "发布时间", "更新时间", "日期", "时间")
DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
CN_DATE = re.compile(rf"([{CN_DIGITS}]{{4}})年([{CN_DIGITS}]{{1,3}})月([{CN_DIGITS}]{{1,3}})日")

# ---------------------------------------------------------------- headings and sections

# Official numbering, from the outermost level in: 一、 (一) 1. (1)
HEADING_MARKERS = (
    re.compile(rf"^[{CN_DIGITS}]{{1,3}}\s*[、.]"),
    re.compile(rf"^\([{CN_DIGITS}]{{1,3}}\)"),
    re.compile(r"^\d{1,2}\s*[、.](?!\d)"),
    re.compile(r"^\(\d{1,2}\)"),
)
# 一是… 二是…: the lead clause of each point reads as a sub-heading.
POINT_LEAD = re.compile(rf"(?:^|(?<=[。;:,]))\s*[{CN_DIGITS}]{{1,2}}是\s*([^。;,:]{{2,40}})")

# A report's main parts (一、…) name their problems plainly; below that, work headings say 补短板
# or 解决…问题 too, so only the unmistakable words count there.
SHORTCOMINGS_PART = re.compile(r"问题|不足|短板|薄弱|差距|困难")
SHORTCOMINGS_HEADING = re.compile(r"存在|不足|差距|主要问题|困难和问题|问题和困难|问题与困难|问题及原因|问题和原因")
PLANS_HEADING_STRONG = re.compile(r"下一步|下步|下一年|下阶段|今后|打算|展望|努力方向|工作思路")
PLANS_HEADING_WEAK = re.compile(r"安排|计划|思路|重点工作|重点任务")
WORK_HEADING = re.compile(r"情况|成效|举措|做法|成绩|完成|开展|落实")
FIRST_RESPONSIBILITY_HEADING = re.compile(r"第一责任人|主要负责(人|同志).{0,12}(职责|履职|责任)|履行.{0,10}职责情况")
YEAR = re.compile(r"(?<![\d《])((?:19|20)\d{2}|[二][〇零][〇零一二三四五六七八九]{2})\s*年(?![—\-~至到]\s*\d)")
RANGE_OR_TITLE = re.compile(r"《[^》]*》|\([^)]*\d{4}\s*[—\-~至到]\s*\d{4}[^)]*\)")

# A paragraph that opens with one of these is a plan, whatever section it stands in.
PLAN_OPENING = re.compile(r"^(下一步|下一阶段|下阶段|今后|明年|新的一年|展望|针对(上述|以上|存在的|这些)问题)")

BREADCRUMB_MARK = re.compile(r"[>»›→]")
REPORT_TITLE = re.compile(r"报告|总结|法治政府建设.{0,6}情况$")

# How a paragraph with no heading of its own admits problems.
ADMISSION = re.compile(
    r"^(但|同时|然而|当然|不过)|虽然|清醒地?(看到|认识到)|主要表现(在|为)"
    r"|(还|仍|也)(然)?(存在|有)(着)?(一些|一定|不少|诸多)?(问题|不足|短板|差距)"
)
PROBLEM_WORDS = re.compile(r"问题|不足|短板|差距|薄弱")
ADMISSION_REACH = 100

SENTENCE_BREAK = re.compile(rf"[。!?;\n]|(?=[{CN_DIGITS}]{{1,2}}是)")

# ---------------------------------------------------------------- quantities and issuers

QUANTITY = re.compile(
    r"\d+(?:\.\d+)?\s*(?:余|多)?\s*(?:万|亿)?\s*"
    r"(?:%|件次|人次|场次|件|次|项|人|家|份|个|场|期|条|篇|起|户|批|名|所|位|元|套|部|宗|册|小时)"
)
ORG_SUFFIX = r"(?:人民政府|政府|委员会|办公室|司法局|局|委|办|厅|署|中心|区|县|市|州|旗|盟)"
OPENING_ISSUER = re.compile(
    rf"^(?:\d{{4}}\s*年(?:度|以来)?\s*,?\s*)?([\u4e00-\u9fff]{{2,24}}?{ORG_SUFFIX})"
    r"(?:在|坚持|以|认真|深入|全面|紧紧|始终|围绕|高度|把|紧扣|立足|聚焦)"
)
SIGNATURE_ISSUER = re.compile(rf"^[\u4e00-\u9fff]{{2,24}}{ORG_SUFFIX}$")
DEPARTMENT_SUFFIX = re.compile(r"(局|委员会|委|办公室|办|厅|署|中心|院|队|站|所)$")
GOVERNMENT_SUFFIX = re.compile(r"(人民政府|政府|区|县|市|州|旗|盟|省|自治区|镇|乡|街道|办事处)$")
# Markdown drafts: "## 一、…" and "**…**" are headings and emphasis, not report text.
MARKDOWN_MARKUP = re.compile(r"^#{1,6}\s+|\*\*|__")
HEADING_CLASSIFY_LENGTH = 40


@dataclass(frozen=True)
class Heading:
    line: int
    """0-based line index."""
    level: int
    """1 for 一、, 2 for (一), 3 for 1., 4 for (1), 5 for a 一是 lead."""
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class ReportMeta:
    title: str | None = None
    title_source: str | None = None
    issuer: str | None = None
    issuer_source: str | None = None
    kind: str | None = None
    kind_source: str | None = None
    year: int | None = None
    year_source: str | None = None
    title_year: int | None = None
    body_year: int | None = None
    published: date | None = None
    published_source: str | None = None


@dataclass(frozen=True)
class Overrides:
    """What the user says of a report, which beats anything read from it."""

    year: int | None = None
    published: date | None = None
    kind: str | None = None
    title: str | None = None


@dataclass
class Document:
    source: Source
    text: str
    lines: list[str]
    line_starts: list[int]
    headings: list[Heading]
    scopes: dict[str, Intervals]
    sentence_starts: list[int]
    quantities: list[int]
    meta: ReportMeta
    line_sections: list[str | None] = field(repr=False)
    section_kinds: list[tuple[Heading, frozenset[str]]] = field(repr=False)
    """Every numbered heading with the kinds of the section it opens (an outer plans or
    shortcomings heading decides for the headings under it)."""

    # ------------------------------------------------------------ position helpers
    def line_of(self, position: int) -> int:
        """0-based index of the line holding `position`."""
        return bisect_right(self.line_starts, position) - 1

    def sentence_span(self, position: int) -> tuple[int, int]:
        index = bisect_right(self.sentence_starts, position) - 1
        start = self.sentence_starts[index]
        end = self.sentence_starts[index + 1] if index + 1 < len(self.sentence_starts) else len(self.text)
        return start, end

    def sentence_index(self, position: int) -> int:
        return bisect_right(self.sentence_starts, position) - 1

    def section_of(self, position: int) -> str | None:
        return self.line_sections[self.line_of(position)]

    def page_of(self, position: int) -> int | None:
        pages = self.source.line_pages
        line = self.line_of(position)
        return pages[line] if pages and line < len(pages) else None


# ---------------------------------------------------------------- building a document

def build_document(source: Source, overrides: Overrides | None = None) -> Document:
    overrides = overrides or Overrides()
    lines = [MARKDOWN_MARKUP.sub("", unicodedata.normalize("NFKC", line)).strip() for line in source.text.split("\n")]
    text = "\n".join(lines)
    line_starts = _line_starts(lines)
    fields = _page_fields(lines)
    chrome = {i for i, line in enumerate(lines) if PAGE_CHROME.search(line) or _is_field_line(line)}
    title_line = _title_line(lines, chrome)
    meta = _metadata(source, lines, fields, title_line, overrides)
    headings = _headings(lines, line_starts, chrome, title_line)
    scopes, line_sections, section_kinds = _classify(lines, line_starts, chrome, title_line, headings, meta.year)
    return Document(
        source=source,
        text=text,
        lines=lines,
        line_starts=line_starts,
        headings=headings,
        scopes=scopes,
        sentence_starts=_sentence_starts(text),
        quantities=[m.start() for m in QUANTITY.finditer(text)],
        meta=meta,
        line_sections=line_sections,
        section_kinds=section_kinds,
    )


def _line_starts(lines: list[str]) -> list[int]:
    starts, offset = [], 0
    for line in lines:
        starts.append(offset)
        offset += len(line) + 1
    return starts


def _is_field_line(line: str) -> bool:
    """A line made of page-information fields only (日期: 2021-03-17, 索引号: | … |)."""
    if len(line) > 120:
        return False
    matches = list(FIELD.finditer(line))
    return bool(matches) and matches[0].start() <= 2


def _page_fields(lines: list[str]) -> dict[str, str]:
    fields: dict[str, str] = {}
    for line in lines[:40]:
        if len(line) > 160:
            continue
        for match in FIELD.finditer(line):
            fields.setdefault(match.group(1), match.group(3).strip(" |"))
    return fields


def _title_line(lines: list[str], chrome: set[int]) -> int | None:
    for index, line in enumerate(lines[:20]):
        if index in chrome or not 8 <= len(line) <= 90 or BREADCRUMB_MARK.search(line) or line.endswith(("。", ":")):
            continue
        if REPORT_TITLE.search(line) and not HEADING_MARKERS[0].match(line):
            return index
    return None


# ---------------------------------------------------------------- metadata

def _metadata(source: Source, lines: list[str], fields: dict[str, str], title_line: int | None,
              overrides: Overrides) -> ReportMeta:
    title, title_source = _pick(
        (overrides.title, "user"),
        (_clean(source.title), "meta"),
        (fields.get("标题") or fields.get("名称"), "text"),
        (lines[title_line] if title_line is not None else None, "text"),
    )
    title_year = first_named_year(title) if title else None
    body_year = _body_year(lines, title_line)
    year, year_source = _pick((overrides.year, "user"), (title_year, "title"), (body_year, "body"))
    issuer, issuer_source = _pick(
        (_issuer_from_title(title) if title else None, "title"),
        (fields.get("发布机构") or fields.get("文章来源") or fields.get("来源"), "text"),
        (_issuer_from_opening(lines, title_line), "text"),
        (_issuer_from_signature(lines), "signature"),
    )
    kind, kind_source = _pick((overrides.kind, "user"), (_kind_of(issuer), "issuer"))
    published, published_source = _pick(
        (overrides.published, "user"),
        (source.published, "meta"),
        (next((_parse_date(fields[key]) for key in PUBLISHED_FIELDS if key in fields and _parse_date(fields[key])), None), "text"),
        (_signature_date(lines), "signature"),
    )
    return ReportMeta(title, title_source, issuer, issuer_source, kind, kind_source, year, year_source,
                      title_year, body_year, published, published_source)


def _pick(*candidates):
    """The first candidate with a value, with the name of where it came from."""
    return next(((value, origin) for value, origin in candidates if value), (None, None))


def _clean(text: str | None) -> str | None:
    return unicodedata.normalize("NFKC", text).strip() if text else None


def first_named_year(text: str) -> int | None:
    """The first year a text names (2024年, 二〇二四年), leaving out ranges and titles of documents."""
    match = YEAR.search(RANGE_OR_TITLE.sub("", text))
    if not match:
        return None
    year = match.group(1)
    return int(year) if year.isdigit() else _cn_number(year)


def _body_year(lines: list[str], title_line: int | None) -> int | None:
    """The year the body is about: the one its top headings name most, else the opening's first."""
    start = (title_line + 1) if title_line is not None else 0
    heading_years = Counter(
        year for line in lines[start:]
        if HEADING_MARKERS[0].match(line) and not _names_plans(line[:HEADING_CLASSIFY_LENGTH])
        and (year := first_named_year(line[:HEADING_CLASSIFY_LENGTH]))
    )
    if heading_years:
        return heading_years.most_common(1)[0][0]
    for line in lines[start:start + 8]:
        if len(line) > 30 and not PAGE_CHROME.search(line) and (year := first_named_year(line[:60])):
            return year
    return None


def _issuer_from_title(title: str) -> str | None:
    title = re.sub(r"^(?:关于)?(?:(?:19|20)\d{2}\s*年度?)?", "", title)
    head = re.split(r"关于|(?:19|20)\d{2}\s*年|二[〇零][〇零一二三四五六七八九]{2}年|法治政府|依法行政|工作报告|年度报告|[（(]", title, maxsplit=1)[0].strip()
    return head if len(head) >= 2 and re.search(ORG_SUFFIX + "$", head) else None


def _issuer_from_opening(lines: list[str], title_line: int | None) -> str | None:
    start = (title_line + 1) if title_line is not None else 0
    for line in lines[start:start + 10]:
        if match := OPENING_ISSUER.match(line):
            return match.group(1)
    return None


def _issuer_from_signature(lines: list[str]) -> str | None:
    tail = [line for line in lines if line][-6:]
    return next((line for line in reversed(tail) if SIGNATURE_ISSUER.match(line)), None)


def _kind_of(issuer: str | None) -> str | None:
    if not issuer:
        return None
    if DEPARTMENT_SUFFIX.search(issuer):
        return "department"
    return "government" if GOVERNMENT_SUFFIX.search(issuer) else None


def _parse_date(text: str) -> date | None:
    if match := DATE.search(text):
        return _safe_date(*(int(part) for part in match.groups()))
    if match := CN_DATE.search(text):
        return _safe_date(*(_cn_number(part) for part in match.groups()))
    return None


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _cn_number(text: str) -> int:
    """二〇二五 -> 2025 (digit by digit); 十二 -> 12, 二十一 -> 21 (with 十)."""
    values = {char: index for index, char in enumerate("〇一二三四五六七八九")} | {"零": 0}
    if "十" not in text:
        return int("".join(str(values[char]) for char in text))
    tens, _, units = text.partition("十")
    return (values[tens] if tens else 1) * 10 + (values[units] if units else 0)


def _signature_date(lines: list[str]) -> date | None:
    """A date standing alone on one of the last lines: the date the report was signed."""
    tail = [line for line in lines if line][-6:]
    for line in reversed(tail):
        if len(line) <= 16 and not FIELD.search(line) and (found := _parse_date(line)):
            return found
    return None


# ---------------------------------------------------------------- headings and sections

def _headings(lines: list[str], line_starts: list[int], chrome: set[int], title_line: int | None) -> list[Heading]:
    headings: list[Heading] = []
    first = (title_line + 1) if title_line is not None else 0
    for index in range(first, len(lines)):
        line = lines[index]
        if index in chrome or not line:
            continue
        level = next((rank + 1 for rank, marker in enumerate(HEADING_MARKERS) if marker.match(line)), None)
        if level is not None:
            lead = re.split(r"(?<=[。;])", line, maxsplit=1)[0]
            headings.append(Heading(index, level, lead, line_starts[index], line_starts[index] + len(lead)))
        for match in POINT_LEAD.finditer(line):
            start = line_starts[index] + match.start(1)
            headings.append(Heading(index, 5, match.group(1), start, start + len(match.group(1))))
    return headings


def _names_plans(text: str) -> bool:
    return bool(PLANS_HEADING_STRONG.search(text) or (PLANS_HEADING_WEAK.search(text) and not WORK_HEADING.search(text)))


def _heading_kinds(text: str, level: int, report_year: int | None) -> frozenset[str]:
    kinds = set()
    if (SHORTCOMINGS_PART if level == 1 else SHORTCOMINGS_HEADING).search(text):
        kinds.add("shortcomings")
    heading_year = first_named_year(text)
    future = report_year is not None and heading_year is not None and heading_year > report_year
    if _names_plans(text) or future:
        kinds.add("plans")
    if not kinds and FIRST_RESPONSIBILITY_HEADING.search(text):
        kinds.add("first_responsibility")
    return frozenset(kinds)


def _classify(lines, line_starts, chrome, title_line, headings, report_year):
    """Give every line its part of the report, then turn the parts into character intervals.

    A line takes the kind of the outermost enclosing heading that is shortcomings or plans; a
    section headed as both (存在问题和下一步打算) is split where its first plan paragraph opens.
    """
    block_headings = {h.line: h for h in headings if h.level < 5}
    first_heading_line = min(block_headings, default=len(lines))
    stack: list[tuple[Heading, frozenset[str]]] = []
    kinds_per_line: list[frozenset[str]] = []
    section_names: list[str | None] = []
    in_plans_part = in_admission = False
    section_kinds: list[tuple[Heading, frozenset[str]]] = []
    for index, line in enumerate(lines):
        if not line and index not in chrome and section_names and section_names[-1] is not None:
            # A blank line belongs to the paragraph before it, so a section is one span, not many.
            kinds_per_line.append(kinds_per_line[-1])
            section_names.append(section_names[-1])
            continue
        if index in chrome or not line or (title_line is not None and index <= title_line):
            kinds_per_line.append(frozenset({"content"}) if index == title_line else frozenset())
            section_names.append(None)
            continue
        heading = block_headings.get(index)
        own: frozenset[str] = frozenset()
        if heading:
            while stack and stack[-1][0].level >= heading.level:
                stack.pop()
            own = _heading_kinds(heading.text[:HEADING_CLASSIFY_LENGTH], heading.level, report_year)
            stack.append((heading, own))
        decisive = next(((h, k) for h, k in stack if k & {"shortcomings", "plans"}), None)
        if heading:
            in_admission = False
        if decisive is None:
            # Without a heading, a paragraph that admits problems (但…还存在一些不足) starts them.
            in_admission = not heading and not _opens_plan(line, report_year) and (
                in_admission or _opens_admission(line))
            if in_admission:
                base = frozenset({"shortcomings"})
            else:
                base = frozenset({"plans"}) if not heading and _opens_plan(line, report_year) else frozenset()
        elif decisive[1] == {"shortcomings", "plans"}:
            # 存在问题和下一步打算: the problems come first; a plan sub-heading or the first plan
            # paragraph starts the plans.
            if heading is decisive[0]:
                in_plans_part = False
            elif heading:
                in_plans_part = "plans" in own or (in_plans_part and "shortcomings" not in own)
            else:
                in_plans_part = in_plans_part or _opens_plan(line, report_year)
            base = frozenset({"plans"}) if in_plans_part else frozenset({"shortcomings"})
        else:
            base = frozenset({"plans"}) if not heading and _opens_plan(line, report_year) else decisive[1]
        if heading:
            combined = decisive is not None and heading is decisive[0]
            section_kinds.append((heading, decisive[1] if combined else base or frozenset({"work"}) | own))
        if not base:
            base = frozenset({"work"} | ({"opening"} if index < first_heading_line else set()))
            if any("first_responsibility" in k for _, k in stack):
                base |= {"first_responsibility"}
        kinds_per_line.append(base | {"content"})
        section_names.append(stack[0][0].text if stack else None)
    scopes = {
        name: Intervals.from_lines(line_starts, lines, [name in kinds for kinds in kinds_per_line])
        for name in ("content", "opening", "work", "shortcomings", "plans", "first_responsibility")
    }
    scopes["all"] = scopes.pop("content")
    scopes["headings"] = Intervals.of([(h.start, h.end) for h in headings]) & scopes["all"]
    return scopes, section_names, section_kinds


def _opens_admission(line: str) -> bool:
    head = line[:ADMISSION_REACH]
    return bool(ADMISSION.search(head) and PROBLEM_WORDS.search(head))


def _opens_plan(line: str, report_year: int | None) -> bool:
    if PLAN_OPENING.match(line):
        return True
    match = re.match(r"^((?:19|20)\d{2})\s*年\s*,?\s*(我们|我局|我区|我县|我市|我委|我办|全区|全县|全市|本局)?\s*(将|要|拟|计划)", line)
    return bool(match) and report_year is not None and int(match.group(1)) > report_year


def _sentence_starts(text: str) -> list[int]:
    starts = [0]
    for match in SENTENCE_BREAK.finditer(text):
        position = match.end() if match.group() else match.start()
        if position > starts[-1]:
            starts.append(position)
    return starts
