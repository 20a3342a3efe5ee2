"""OFD (GB/T 33190): the text objects of each page in reading order, each line's page kept.

An OFD file is a zip of XML parts: OFD.xml names each document's Document.xml (DocBody/DocRoot),
which lists the pages (Pages/Page BaseLoc) and the resource files that describe the fonts; each
page's Content.xml holds layers of TextObjects whose TextCodes carry a run of text and where it
stands (X, Y of its first glyph's baseline, DeltaX the advances between glyphs, in millimetres
with the origin at the page's top left). Only zipfile and lxml are needed. Of the PyPI packages
for OFD, easyofd pulls in an AGPL PDF stack (PyMuPDF), and ofdkit (light, Apache-2.0) is alpha,
its API not settled, and its text runs carry no font weight, which the heading styles need.

Reading order is by line: runs are sorted by their baseline, then from left to right; runs on
one baseline (within half a character height) are one layout line, glued without a space unless
a gap separates them, as table cells or words of Latin text are. From there on an OFD is a
fixed layout like a PDF and is read by the same rules (`checker.readers.pdf`): the page number
and a running header or footer are dropped, lines that the layout wrapped are joined into their
paragraph (keeping the page where it starts), an empty line's worth of space becomes one blank
line, a line set clearly larger than the body is a heading ("h1" the largest), one in a bold face
throughout is "b". Sizes are compared in points, as the PDF reader's steps are.

Template pages (TemplatePage) hold what the producer repeats on every page, a letterhead, the
running header, the page number: they are furniture, read only when the pages themselves hold
no text and no picture (pages of pictures are a scan, whatever letterhead their template has).
"""
from __future__ import annotations

import math
import posixpath
import re
import statistics
import unicodedata
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from lxml import etree

from checker.readers import ReadError, ReadLimits, Source, over_limit

# The fixed-layout rules are the PDF reader's on purpose: one report must read alike from PDF
# and OFD, so both go through the same furniture, heading and line-joining decisions.
from checker.readers.pdf import BOLD_FONT, Line, join_wrapped, with_styles, without_furniture

_PT_PER_MM = 72 / 25.4
_SIZE_STEP_PT = 0.5
"""Sizes in steps of half a point, as the PDF reader compares them."""
_SAME_LINE = 0.5
"""Runs whose baselines differ by at most this share of the smaller character height are one line."""
_WORD_GAP = 0.3
"""A gap wider than this share of the character height between two runs is a space..."""
_CELL_GAP = 1.5
"""...even between Chinese characters when wider than this one (table cells, tab stops); a
narrower gap between two Chinese characters is justification, and a space there would read as
a paragraph join to the text layer."""
_GAP_FACTOR = 1.8
_FULL_SLACK = 1.5
_EDGE_PERCENTILE = 0.9
"""As in the PDF reader: a step of 1.8 line pitches is an empty line; a line ending within 1.5
character widths of the text's right edge (the 90th percentile of line ends) was wrapped."""
_OVERDRAWN = 0.2
"""A run drawn again within this share of its character height of the same run is one run."""
_BOLD_WEIGHT = 700
_MAX_NESTING = 64
"""PageBlock and CompositeObject levels followed; deeper ones are not report text."""

_NOT_ZIP = "不是有效的 OFD 文件（不是 zip 包，已损坏或只是扩展名为 .ofd） / not an OFD package"
_RENAMED_PDF = "这是 PDF 文件，扩展名却是 .ofd：请改为 .pdf 再检查 / a PDF named .ofd"
_NO_ENTRY = "OFD 文件缺少入口文件 OFD.xml（已损坏或不是 OFD） / OFD.xml missing"
_NO_DOCUMENT = "OFD.xml 没有指明文档（缺少 DocBody/DocRoot） / no document in OFD.xml"
_NO_PAGES = "OFD 文件没有页面 / no pages"
_ENCRYPTED = "OFD 已加密，无法读取 / encrypted OFD"
_SCANNED = "OFD 没有文字层（扫描件？），无法检查 / scanned OFD without a text layer"
_SEALS_ONLY = "OFD 只有图像和电子印章，没有文字层（扫描件？），无法检查 / OFD with images and seals but no text layer"

# An affine transform (a, b, c, d, e, f): x' = a*x + c*y + e, y' = b*x + d*y + f.
Affine = tuple[float, float, float, float, float, float]
_IDENTITY: Affine = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
_WORDS = re.compile(r"[^\W\d_]{2}")
"""Two letters or characters in a row: text, not page numbers."""
_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\U00020000-\U0003134f]")


@dataclass(frozen=True)
class Run:
    """One TextCode as placed on its page, in millimetres from the page's top left."""

    text: str
    x: float
    y: float
    """The baseline."""
    size: float
    width: float
    """The advance width of the whole run."""
    bold: bool


def read(path: Path, limits: ReadLimits = ReadLimits()) -> Source:
    name = str(path)
    check_time = limits.deadline(name)
    with path.open("rb") as handle:  # an OSError from here on is damage, not the file system
        if handle.read(5) == b"%PDF-":
            raise ReadError(name, _RENAMED_PDF)
        handle.seek(0)
        try:
            with zipfile.ZipFile(handle) as archive:
                package = _Package(archive, name)
                _check_package(package, handle, limits)
                title, pages = _read_pages(package, limits, check_time)
            lines = join_wrapped(_lines(pages, name))
        except ReadError:
            raise
        except zipfile.BadZipFile as exc:
            raise ReadError(name, _NOT_ZIP) from exc
        except Exception as exc:  # damage found deep inside zipfile or lxml
            raise ReadError(name, f"OFD 文件已损坏，无法解析（{type(exc).__name__}） / damaged OFD") from exc
    return Source(
        path=name,
        text="\n".join(line.text for line in lines),
        format="ofd",
        title=title,
        line_pages=tuple(line.page for line in lines),
        line_styles=tuple(line.style for line in lines),
    )


# --- the package ---------------------------------------------------------------------------


class _Package:
    """The zip's parts by name, found as producers write them (case and leading "/" aside)."""

    def __init__(self, archive: zipfile.ZipFile, name: str) -> None:
        self.archive = archive
        self.name = name
        self.infos = [info for info in archive.infolist() if not info.is_dir()]
        self._by_name = {_normalise(info.filename): info for info in self.infos}
        self._by_folded = {key.casefold(): info for key, info in reversed(self._by_name.items())}

    def find(self, member: str) -> zipfile.ZipInfo | None:
        member = _normalise(member)
        return self._by_name.get(member) or self._by_folded.get(member.casefold())

    def resolve(self, base: str, location: str | None) -> str | None:
        """A location written in part `base`: relative to that part's folder, absolute from the
        package root; tried from the root too, since producers often mean that."""
        location = (location or "").strip().replace("\\", "/")
        if not location:
            return None
        folder = posixpath.dirname(_normalise(base))
        candidates = [location] if location.startswith("/") else [posixpath.join(folder, location), location]
        for candidate in candidates:
            info = self.find(posixpath.normpath(_normalise(candidate)))
            if info is not None:
                return info.filename
        return None

    def xml(self, member: str, what: str) -> etree._Element:
        """Parse one part; a part that does not parse is a `ReadError` naming it."""
        info = self.find(member)
        if info is None:
            raise ReadError(self.name, f"OFD 文件缺少{what}（{member}） / {member} missing")
        try:
            data = self.archive.read(info)
        except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
            raise ReadError(self.name, f"OFD 文件已损坏：{what}（{info.filename}）无法解压 / damaged {info.filename}") from exc
        except (RuntimeError, NotImplementedError) as exc:  # an encrypted member, an unknown compression
            raise ReadError(self.name, f"{what}（{info.filename}）已加密或压缩方式不支持，无法读取 / cannot unpack {info.filename}") from exc
        root = _parse(data)
        if root is None:
            raise ReadError(self.name, f"OFD 文件已损坏：{what}（{info.filename}）不是有效的 XML / broken XML in {info.filename}")
        return root


def _normalise(member: str) -> str:
    return member.replace("\\", "/").lstrip("/").removeprefix("./")


def _parse(data: bytes) -> etree._Element | None:
    """The XML root, or None when the part does not parse. A prefix used without its namespace
    declaration (some producers write `<ofd:Page>` bare) is forgiven, nothing else."""
    strict = _parser(recover=False)
    try:
        return etree.fromstring(data, strict)
    except etree.XMLSyntaxError:
        # The parser's own log: the exception's may carry earlier entries of the thread's
        # global log (an HTML page parsed before).
        if not all(entry.domain_name == "NAMESPACE" for entry in strict.error_log):
            return None
    parser = _parser(recover=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError:
        return None
    if root is None or not all(entry.domain_name == "NAMESPACE" for entry in parser.error_log):
        return None
    return root


def _parser(recover: bool) -> etree.XMLParser:
    # A new parser each time: its error log would otherwise carry the last part's errors.
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, recover=recover,
                           remove_comments=True, remove_pis=True)


def _check_package(package: _Package, handle, limits: ReadLimits) -> None:
    """Refuse a zip bomb from the sizes the zip directory states, before anything is unpacked
    (as for .docx: zipfile never unpacks a member past its stated size), and a package that
    is encrypted: zip encryption, or GM/T 0099's Encryptions.xml beside OFD.xml (its parts may
    be ciphertext, the plain ones placeholders)."""
    unpacked = sum(info.file_size for info in package.infos)
    stored = handle.seek(0, 2)
    handle.seek(0)
    if unpacked > stored + limits.max_unzipped:
        raise over_limit(package.name, "解压后内容", round((stored + limits.max_unzipped) / 1e6, 1), "MB ", "MB unpacked")
    if any(info.flag_bits & 0x1 for info in package.infos) or package.find("Encryptions.xml") is not None:
        raise ReadError(package.name, _ENCRYPTED)
    if package.find("OFD.xml") is None:
        raise ReadError(package.name, _NO_ENTRY)


# --- documents and pages -------------------------------------------------------------------


@dataclass
class _Pages:
    """What the pages hold: their own runs, their template pages' runs, and whether they show
    pictures or the file carries signatures (a scan, a scan with its seal)."""

    body: list[list[Run]]
    templates: list[list[Run]]
    images: bool
    signed: bool
    characters: int = 0


@dataclass
class _Page:
    member: str | None
    document: _DocumentParts


@dataclass
class _DocumentParts:
    member: str
    resources: list[str]
    templates: dict[str, str]
    fonts: dict[str, bool] | None = None
    """Font ID -> bold, read from the resource files on first use."""
    units: dict[str, etree._Element] | None = None
    """CompositeGraphicUnit ID -> unit, read on first use."""


def _read_pages(package: _Package, limits: ReadLimits, check_time: Callable[[], None]) -> tuple[str | None, _Pages]:
    """The title DocInfo states, and what the pages hold."""
    entry = package.find("OFD.xml")
    assert entry is not None
    root = package.xml(entry.filename, "入口文件 OFD.xml")
    if _local(root) != "OFD":
        raise ReadError(package.name, f"OFD.xml 不是 OFD 入口文件（根元素为 <{_local(root)}>） / OFD.xml is not an OFD entry")
    bodies = list(_children(root, "DocBody"))
    title = _child_text(_child(bodies[0], "DocInfo"), "Title") if bodies else None
    signed = any(_child_text(body, "Signatures") for body in bodies) or any(
        posixpath.basename(_normalise(info.filename)).casefold() == "signature.xml" for info in package.infos)
    if not any(_child_text(body, "DocRoot") for body in bodies):
        raise ReadError(package.name, _NO_DOCUMENT)
    pages: list[_Page] = []
    for body in bodies:
        location = _child_text(body, "DocRoot")
        member = package.resolve(entry.filename, location)
        if location and member is None:
            raise ReadError(package.name, f"OFD 文件缺少文档描述文件（{location}） / {location} missing")
        if member is not None:
            pages.extend(_document_pages(package, member))
    if not pages:
        raise ReadError(package.name, _NO_PAGES)
    if len(pages) > limits.max_pages:  # the page lists only: no page is parsed yet
        raise over_limit(package.name, "OFD ", limits.max_pages, "页", "pages")
    held = _Pages([], [], False, signed)
    for number, page in enumerate(pages, 1):
        check_time()
        _read_page(package, page, number, held, check_time)
        if held.characters > limits.max_text:  # checked as the pages come: runs cost far more than text
            raise over_limit(package.name, "文字", limits.max_text, "字", "characters")
    return title, held


def _document_pages(package: _Package, member: str) -> Iterator[_Page]:
    document = package.xml(member, "文档描述文件")
    common = _child(document, "CommonData")
    parts = _DocumentParts(member=member, resources=[], templates={})
    for element in common if common is not None else ():
        if _local(element) in ("PublicRes", "DocumentRes"):
            resolved = package.resolve(member, element.text)
            if resolved is not None:
                parts.resources.append(resolved)
        elif _local(element) == "TemplatePage":
            resolved = package.resolve(member, element.get("BaseLoc"))
            if resolved is not None:
                parts.templates[(element.get("ID") or "").strip()] = resolved
    for page in _children(_child(document, "Pages"), "Page"):
        location = page.get("BaseLoc")
        yield _Page(package.resolve(member, location) or location, parts)


def _read_page(package: _Package, page: _Page, number: int, held: _Pages, check_time: Callable[[], None]) -> None:
    """Add the runs of a page's own layers, and those of its template pages, to `held`."""
    if not page.member:
        raise ReadError(package.name, f"OFD 文件第 {number} 页没有内容位置（Page BaseLoc） / page {number} has no location")
    root = package.xml(page.member, f"第 {number} 页")
    document = page.document
    page_resources = [found for found in (package.resolve(page.member, res.text) for res in _children(root, "PageRes")) if found]
    fonts = _fonts(package, document, page_resources)
    units = _units(package, document, page_resources)
    held.body.append(list(_content_runs(root, fonts, units, check_time)))
    held.characters += sum(len(run.text) for run in held.body[-1])
    held.images = held.images or any(_local(element) == "ImageObject" for element in root.iter())
    furniture: list[Run] = []
    for template in _children(root, "Template"):
        member = document.templates.get((template.get("TemplateID") or "").strip())
        if member is not None:
            furniture.extend(_content_runs(package.xml(member, f"第 {number} 页的模板页"), fonts, units, check_time))
    held.templates.append(furniture)


def _fonts(package: _Package, document: _DocumentParts, page_resources: list[str]) -> dict[str, bool]:
    """Font ID -> whether the font is a bold face (its Bold attribute or its name says so)."""
    if document.fonts is None:
        document.fonts = _read_fonts(package, document.resources)
    return {**document.fonts, **_read_fonts(package, page_resources)} if page_resources else document.fonts


def _read_fonts(package: _Package, members: list[str]) -> dict[str, bool]:
    fonts: dict[str, bool] = {}
    for member in members:
        for font in _children(_child(package.xml(member, "资源文件"), "Fonts"), "Font"):
            names = f"{font.get('FontName') or ''} {font.get('FamilyName') or ''}"
            fonts[(font.get("ID") or "").strip()] = _true(font.get("Bold")) or bool(BOLD_FONT.search(names))
    return fonts


def _units(package: _Package, document: _DocumentParts, page_resources: list[str]) -> dict[str, etree._Element]:
    if document.units is None:
        document.units = _read_units(package, document.resources)
    return {**document.units, **_read_units(package, page_resources)} if page_resources else document.units


def _read_units(package: _Package, members: list[str]) -> dict[str, etree._Element]:
    units: dict[str, etree._Element] = {}
    for member in members:
        for unit in _children(_child(package.xml(member, "资源文件"), "CompositeGraphicUnits"), "CompositeGraphicUnit"):
            units.setdefault((unit.get("ID") or "").strip(), unit)
    return units


# --- text objects --------------------------------------------------------------------------


def _content_runs(root: etree._Element, fonts: dict[str, bool], units: dict[str, etree._Element],
                  check_time: Callable[[], None]) -> Iterator[Run]:
    for layer in _children(_child(root, "Content"), "Layer"):
        check_time()
        yield from _object_runs(layer, _IDENTITY, fonts, units, 0)


def _object_runs(container: etree._Element, transform: Affine, fonts: dict[str, bool],
                 units: dict[str, etree._Element], depth: int) -> Iterator[Run]:
    """Runs of the text objects in a layer, a page block or a composite object, in any depth."""
    for element in container:
        kind = _local(element)
        if kind == "TextObject":
            yield from _text_runs(element, transform, fonts)
        elif depth >= _MAX_NESTING:
            continue
        elif kind == "PageBlock":
            yield from _object_runs(element, transform, fonts, units, depth + 1)
        elif kind == "CompositeObject":
            content = _child(units.get((element.get("ResourceID") or "").strip()), "Content")
            if content is not None:
                yield from _object_runs(content, _compose(transform, _placement(element)), fonts, units, depth + 1)


def _text_runs(element: etree._Element, transform: Affine, fonts: dict[str, bool]) -> Iterator[Run]:
    """A run for each TextCode: X and Y left out repeat the previous TextCode's."""
    a, b, c, d, e, f = _compose(transform, _placement(element))
    size = _number(element.get("Size"), 0.0)
    scale = math.sqrt(abs(a * d - b * c)) or 1.0
    bold = _number(element.get("Weight"), 400) >= _BOLD_WEIGHT or fonts.get((element.get("Font") or "").strip(), False)
    x = y = 0.0
    for code in _children(element, "TextCode"):
        x = _number(code.get("X"), x)
        y = _number(code.get("Y"), y)
        text = "".join(code.itertext()).replace("\t", " ")
        if not text.strip():
            continue
        advance = _advance(text, _deltas(code.get("DeltaX"), len(text) - 1), size)
        yield Run(text, a * x + c * y + e, b * x + d * y + f, size * scale, advance * (math.hypot(a, b) or 1.0), bold)


def _placement(element: etree._Element) -> Affine:
    """Object space to its parent's: the CTM, then a move to the Boundary's origin."""
    box = _box(element.get("Boundary")) or (0.0, 0.0, 0.0, 0.0)
    a, b, c, d, e, f = _numbers(element.get("CTM"), 6) or _IDENTITY
    return (a, b, c, d, e + box[0], f + box[1])


def _compose(outer: Affine, inner: Affine) -> Affine:
    """`inner` first, then `outer`."""
    A, B, C, D, E, F = outer
    a, b, c, d, e, f = inner
    return (A * a + C * b, B * a + D * b, A * c + C * d, B * c + D * d, A * e + C * f + E, B * e + D * f + F)


def _deltas(value: str | None, count: int) -> list[float]:
    """A DeltaX list, with its "g N D" shorthand (N advances of D) expanded up to `count`."""
    tokens = (value or "").split()
    deltas: list[float] = []
    index = 0
    while index < len(tokens) and len(deltas) < count:
        if tokens[index] == "g" and index + 2 < len(tokens):
            repeat, step = _number(tokens[index + 1], 0), _number(tokens[index + 2], 0)
            deltas.extend([step] * max(0, min(int(repeat), count - len(deltas))))
            index += 3
        else:
            deltas.append(_number(tokens[index], 0))
            index += 1
    return deltas


def _advance(text: str, deltas: list[float], size: float) -> float:
    """The run's width: the stated advances, and for the glyphs without one (always the last)
    a Chinese character's em or half of it for Latin letters and digits."""
    return sum(deltas[index] if index < len(deltas) else _glyph_width(char, size) for index, char in enumerate(text))


def _glyph_width(char: str, size: float) -> float:
    return size if unicodedata.east_asian_width(char) in ("W", "F") else size / 2


# --- lines ---------------------------------------------------------------------------------


def _lines(pages: _Pages, name: str) -> list[Line]:
    """Runs into layout lines, measured for the PDF reader's joining and heading rules.

    Pages without text (their numbers aside) are a scan when they show pictures. Without
    pictures either, the text of their template pages is read if it has any, else what the
    pages say in words (not their numbers) even if it all looked like furniture: pages that
    say the same and nothing else."""
    raw = [_page_lines(runs) for runs in pages.body]
    laid_out = without_furniture(raw)
    if not any(laid_out) and not pages.images:
        laid_out = without_furniture([_page_lines(runs) for runs in pages.templates])
        if not any(laid_out):
            laid_out = [[line for line in page if _WORDS.search(line["text"])] for page in raw]
    lines = [line for page in laid_out for line in page]
    if not lines:
        raise ReadError(name, _SEALS_ONLY if pages.signed else _SCANNED)
    char_width = statistics.median(run.width / len(run.text) for line in lines for run in line["runs"])
    ends = sorted(line["x1"] for line in lines)
    right_edge = ends[int(_EDGE_PERCENTILE * (len(ends) - 1))]
    steps = [b["y"] - a["y"] for page in laid_out for a, b in zip(page, page[1:]) if b["y"] > a["y"]]
    pitch = statistics.median(steps) if steps else math.inf
    out: list[Line] = []
    for number, page in enumerate(laid_out, 1):
        for previous, line in zip([None, *page], page):
            out.append(Line(
                text=line["text"],
                page=number,
                full=line["x1"] >= right_edge - _FULL_SLACK * char_width,
                gap_before=previous is not None and line["y"] - previous["y"] > _GAP_FACTOR * pitch,
                **_fonts_of(line["runs"]),
            ))
    body_size = statistics.median(_points(run.size) for line in lines for run in line["runs"] for _ in run.text.strip())
    return with_styles(out, body_size)


def _page_lines(runs: list[Run]) -> list[dict]:
    """A page's runs grouped into lines, top to bottom, each line's runs left to right."""
    grouped: list[list[Run]] = []
    for run in sorted(runs, key=lambda run: (run.y, run.x)):
        if grouped:
            anchor = grouped[-1][0]
            if abs(run.y - anchor.y) <= _SAME_LINE * max(min(run.size, anchor.size), 0.1):
                grouped[-1].append(run)
                continue
        grouped.append([run])
    lines = []
    for line in grouped:
        line = _drawn_once(sorted(line, key=lambda run: run.x))
        text = _join_runs(line)
        if text:
            lines.append({"text": text, "y": line[0].y, "x1": max(run.x + run.width for run in line), "runs": line})
    return lines


def _drawn_once(line: list[Run]) -> list[Run]:
    """A line's runs without the copies drawn over them a hair apart, the way some producers
    fake a bold face (so the run is bold): read twice, every word would be doubled."""
    kept: list[Run] = []
    for run in line:
        copied = next((index for index in range(max(0, len(kept) - 3), len(kept)) if kept[index].text == run.text
                       and abs(kept[index].x - run.x) <= _OVERDRAWN * run.size
                       and abs(kept[index].y - run.y) <= _OVERDRAWN * run.size), None)
        if copied is None:
            kept.append(run)
        else:
            kept[copied] = replace(kept[copied], bold=True)
    return kept


def _join_runs(line: list[Run]) -> str:
    parts = [line[0].text]
    for previous, run in zip(line, line[1:]):
        gap = run.x - (previous.x + previous.width)
        em = max(min(previous.size, run.size), 0.1)
        cjk = bool(_CJK.match(run.text.lstrip()[:1])) and bool(_CJK.match(previous.text.rstrip()[-1:]))
        if gap > _CELL_GAP * em or (gap > _WORD_GAP * em and not cjk):
            parts.append(" ")
        parts.append(run.text)
    return " ".join("".join(parts).split())  # runs of spaces (layout padding) as one


def _fonts_of(runs: list[Run]) -> dict[str, float | bool | None]:
    """`Line.size` (the size most of its characters have, when one does) and `Line.bold`."""
    sizes = Counter(_points(run.size) for run in runs for _ in run.text.strip())
    size, count = sizes.most_common(1)[0]
    return {"size": size if 2 * count > sum(sizes.values()) else None, "bold": all(run.bold for run in runs)}


def _points(size_mm: float) -> float:
    return round(size_mm * _PT_PER_MM / _SIZE_STEP_PT) * _SIZE_STEP_PT


# --- XML helpers: names without namespaces, numbers that may be missing or wrong -----------


def _local(element: etree._Element) -> str:
    tag = element.tag
    return tag.rsplit("}", 1)[-1].rsplit(":", 1)[-1] if isinstance(tag, str) else ""


def _children(element: etree._Element | None, name: str) -> Iterator[etree._Element]:
    return (child for child in (element if element is not None else ()) if _local(child) == name)


def _child(element: etree._Element | None, name: str) -> etree._Element | None:
    return next(_children(element, name), None)


def _child_text(element: etree._Element | None, name: str) -> str | None:
    found = _child(element, name)
    text = "".join(found.itertext()).strip() if found is not None else ""
    return text or None


def _true(value: str | None) -> bool:
    return (value or "").strip().lower() in ("true", "1")


def _number(value: str | None, default: float) -> float:
    try:
        number = float(value) if value is not None else default
    except ValueError:
        return default
    return number if math.isfinite(number) else default


def _numbers(value: str | None, count: int) -> tuple[float, ...] | None:
    try:
        numbers = tuple(float(part) for part in (value or "").replace(",", " ").split())
    except ValueError:
        return None
    if len(numbers) < count or not all(math.isfinite(number) for number in numbers[:count]):
        return None
    return numbers[:count]


def _box(value: str | None) -> tuple[float, float, float, float] | None:
    numbers = _numbers(value, 4)
    return (numbers[0], numbers[1], numbers[2], numbers[3]) if numbers else None
