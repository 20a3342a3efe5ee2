"""Build reader fixtures at test time, so the repository holds no binary documents.

Every builder writes one file and returns its path; the tests decide what goes in.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

# Debian fonts-wqy-microhei (the one CI installs) or fonts-wqy-zenhei / fonts-noto-cjk: .ttc
# collections, which fpdf2 embeds (first face). Not fonts-droid-fallback: it has no digits or
# Latin letters, and a report without its numbers would test nothing.
CJK_FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
)


def find_cjk_font() -> Path | None:
    for candidate in CJK_FONT_CANDIDATES:
        if Path(candidate).is_file():
            return Path(candidate)
    return None


def build_docx(path: Path, title: str, blocks: Sequence[tuple[str, object]]) -> Path:
    """Blocks are ("heading", text), ("paragraph", text) or ("table", rows of cell texts)."""
    import docx

    document = docx.Document()
    document.core_properties.title = title
    for kind, content in blocks:
        if kind == "heading":
            document.add_heading(str(content), level=1)
        elif kind == "paragraph":
            document.add_paragraph(str(content))
        else:
            rows = list(content)  # type: ignore[call-overload]
            table = document.add_table(rows=len(rows), cols=len(rows[0]))
            for row, texts in zip(table.rows, rows):
                for cell, text in zip(row.cells, texts):
                    cell.text = text
    document.save(str(path))
    return path


def build_pdf(path: Path, font: Path, pages: Sequence[Sequence[tuple[str, str]]], header: str = "") -> Path:
    """Each page is a list of (style, text): "title" is centred, "gap" adds an empty line's
    space, anything else is a justified paragraph that the layout wraps (and carries on to a
    new page when it overflows). Each page gets a centred "- N -" page number at its foot, as
    printed reports have, and `header` as a running header when given."""
    from fpdf import FPDF

    class Report(FPDF):
        def header(self) -> None:
            if header:
                self.cell(0, 8, header, align="C", new_x="LMARGIN", new_y="NEXT")

        def footer(self) -> None:
            self.set_y(-15)
            self.cell(0, 8, f"- {self.page_no()} -", align="C")

    pdf = Report(format="A4")
    pdf.add_font("cjk", fname=str(font))
    pdf.set_font("cjk", size=12)
    for page in pages:
        pdf.add_page()
        for style, text in page:
            if style == "gap":
                pdf.ln(10)
            else:
                pdf.multi_cell(0, 8, text, align="C" if style == "title" else "J", new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    return path


def build_scanned_pdf(path: Path) -> Path:
    """A page with only a drawing on it, like a scan: no characters in any text layer."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_fill_color(200, 200, 200)
    pdf.rect(20, 20, 170, 250, style="F")
    pdf.output(str(path))
    return path


def build_encrypted_pdf(path: Path) -> Path:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(0, 10, "secret")
    pdf.set_encryption(owner_password="owner", user_password="user")
    pdf.output(str(path))
    return path


def portal_page(article_html: str, charset: str = "utf-8", title: str = "", pub_date: str = "",
                page_title: str | None = None) -> str:
    """A government portal page around an article: every kind of chrome the reader must drop.
    The <title> is `page_title` when given, else the article title and the site's name."""
    metas = f'<meta name="ArticleTitle" content="{title}">' if title else ""
    metas += f'<meta name="PubDate" content="{pub_date}">' if pub_date else ""
    if page_title is None:
        page_title = f'{title or "页面"}_某县人民政府门户网站'
    return f"""<!DOCTYPE html>
<html><head><meta charset="{charset}">
<title>{page_title}</title>{metas}
<script>var trackingCode = "统计代码";</script><style>.zoom {{ font-size: 16px; }}</style>
</head><body>
<div class="top-header"><img src="logo.png" alt=""><ul class="main-nav">
<li><a href="/">首页</a></li><li><a href="/zwgk">政务公开</a></li><li><a href="/hdjl">互动交流</a></li></ul></div>
<div class="breadcrumb">您当前的位置：<a href="/">首页</a> &gt; <a href="/zwgk">政务公开</a> &gt; 法治政府建设</div>
<div class="content-wrap"><div class="article">
<div class="info">发布日期：2024-03-15　来源：县司法局</div>
<div class="toolbar">字体：<a>大</a> <a>中</a> <a>小</a> | <a>打印本页</a> | <a>关闭窗口</a> | 分享到：<a>微信</a> <a>微博</a></div>
<div id="zoom" class="TRS_Editor">{article_html}</div>
<div class="share bdsharebuttonbox">扫一扫在手机打开当前页</div>
</div></div>
<div class="footer"><p>版权所有：某县人民政府办公室　主办单位：某县人民政府</p>
<p>网站标识码：1234000000　某ICP备12345678号　某公网安备 12345678901234号</p></div>
<a class="back-top" href="#">返回顶部</a>
</body></html>"""


# --- structure the container shows: heading styles, automatic numbering, fonts --------------


@dataclass(frozen=True)
class Para:
    """One paragraph of `build_styled_docx`."""

    text: str
    style: str | None = None
    """Paragraph style by name ("Heading 1", "Title"); one the template lacks is added, based on
    Normal, with nothing of its own (so "标题 2" is a heading by its name alone)."""
    bold: bool = False
    centred: bool = False
    level: int | None = None
    """Word automatic numbering: the level (0 = top) of the document's list this paragraph is at."""
    start: int | None = None
    """With `level`: open a new instance of the list here, counting `level` from `start`
    (w:num with w:startOverride), as Word does after "restart numbering at …"."""


CHINESE_OUTLINE: tuple[tuple[str, str], ...] = (
    ("chineseCounting", "%1、"),
    ("chineseCounting", "（%2）"),
    ("decimal", "%3."),
    ("decimalEnclosedCircle", "%4"),
)
"""(w:numFmt, w:lvlText) per level: 一、 （一） 1. ①, the outline of a Chinese report. In a
w:lvlText, %N stands for level N's counter (1-based), so each level names its own: %2 at level 1."""


def build_styled_docx(path: Path, paragraphs: Sequence[Para],
                      levels: Sequence[tuple[str, str]] = CHINESE_OUTLINE) -> Path:
    """A .docx of the paragraphs; numbered ones share one multi-level list of `levels`."""
    import docx

    document = docx.Document()
    abstract_id = define_numbering(document, levels) if any(p.level is not None for p in paragraphs) else None
    num_id = None
    for para in paragraphs:
        paragraph = document.add_paragraph()
        if para.style:
            paragraph.style = paragraph_style(document, para.style)
        run = paragraph.add_run(para.text)
        if para.bold:
            run.bold = True
        if para.centred:
            from docx.enum.text import WD_ALIGN_PARAGRAPH

            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if para.level is not None and abstract_id is not None:
            if num_id is None or para.start is not None:
                num_id = new_list(document, abstract_id, {para.level: para.start} if para.start is not None else {})
            set_numbering(paragraph._p.get_or_add_pPr(), num_id, para.level)
    document.save(str(path))
    return path


def paragraph_style(document, name: str, based_on: str | None = None, outline_level: int | None = None):
    """The paragraph style `name`, added (based on `based_on`, else Normal) when missing; with
    `outline_level` (0 = level 1) stated in its own w:pPr."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    if name in [style.name for style in document.styles]:
        return document.styles[name]
    style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = document.styles[based_on or "Normal"]
    if outline_level is not None:
        outline = OxmlElement("w:outlineLvl")
        outline.set(qn("w:val"), str(outline_level))
        style.element.get_or_add_pPr().append(outline)
    return style


def define_numbering(document, levels: Sequence[tuple[str, str]]) -> int:
    """Add a multi-level list definition (w:abstractNum) to numbering.xml; returns its id."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def element(tag: str, **attributes: str):
        made = OxmlElement(tag)
        for key, value in attributes.items():
            made.set(qn(f"w:{key}"), value)
        return made

    numbering = document.part.numbering_part.element
    taken = [int(a.get(qn("w:abstractNumId"))) for a in numbering.iterchildren(qn("w:abstractNum"))]
    abstract_id = max(taken, default=-1) + 1
    abstract = element("w:abstractNum", abstractNumId=str(abstract_id))
    abstract.append(element("w:multiLevelType", val="multilevel"))
    for ilvl, (number_format, text) in enumerate(levels):
        level = element("w:lvl", ilvl=str(ilvl))
        for tag, value in (("w:start", "1"), ("w:numFmt", number_format), ("w:lvlText", text), ("w:lvlJc", "left")):
            level.append(element(tag, val=value))
        abstract.append(level)
    first_num = numbering.find(qn("w:num"))  # the schema wants every w:abstractNum before the w:nums
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    return abstract_id


def new_list(document, abstract_id: int, starts: dict[int, int] | None = None) -> int:
    """A new instance (w:num) of a list definition, levels restarted at `starts`; returns numId."""
    num = document.part.numbering_part.element.add_num(abstract_id)
    for ilvl, start in (starts or {}).items():
        num.add_lvlOverride(ilvl=ilvl).add_startOverride(start)
    return int(num.numId)


def set_numbering(pPr, num_id: int, ilvl: int) -> None:
    """Put a paragraph (its w:pPr) or a style (its w:pPr) into list `num_id` at level `ilvl`."""
    num_pr = pPr.get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = ilvl
    num_pr.get_or_add_numId().val = num_id


def bold_font_copy(font: Path, folder: Path) -> Path:
    """The CJK font renamed as its bold face ("… Bold"), as a bold face's name shows in a PDF;
    the Debian CJK fonts CI has come without a bold face of their own."""
    from fontTools.ttLib import TTFont

    face = TTFont(str(font), fontNumber=0)
    for record in face["name"].names:
        if record.nameID in (1, 4, 6, 16, 21):  # every name a full name can be made of
            record.string = f"{record.toUnicode()} Bold"
    target = folder / "cjk-bold.ttf"
    face.save(str(target))
    return target


def build_typeset_pdf(path: Path, font: Path, lines: Sequence[tuple[float, bool, str]], bold_font: Path | None = None) -> Path:
    """One page of lines, each (font size in points, bold, text), left-aligned; a bold one is
    set in `bold_font`."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.add_font("cjk", fname=str(font))
    if bold_font is not None:
        pdf.add_font("cjk-bold", fname=str(bold_font))
    pdf.add_page()
    for size, bold, text in lines:
        pdf.set_font("cjk-bold" if bold and bold_font is not None else "cjk", size=size)
        pdf.multi_cell(0, size * 0.6, text, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    return path


# --- OFD (GB/T 33190) ----------------------------------------------------------------------

OFD_NAMESPACE = "http://www.ofdspec.org/2016"
_OFD_BODY_SIZE = 5.6  # mm: 三号 (16 pt), the size of an official document's body text
_OFD_TITLE_SIZE = 7.8  # mm: 二号 (22 pt)
_OFD_LEFT = 28.0
_OFD_TOP = 37.0
_OFD_BOTTOM = 262.0
_OFD_PITCH = 10.0
_OFD_FONTS = {"body": ("1", "仿宋_GB2312"), "heading": ("2", "黑体"), "title": ("3", "方正小标宋简体")}


def _ofd_em(char: str) -> float:
    import unicodedata

    return 1.0 if unicodedata.east_asian_width(char) in ("W", "F") else 0.5


def _ofd_wrap(text: str, first_indent: float, width: float) -> list[tuple[float, str]]:
    """Lines of (indent in em, text) that fill `width` ems, the first one indented."""
    lines: list[tuple[float, str]] = []
    indent, line, used = first_indent, "", first_indent
    for char in text:
        if used + _ofd_em(char) > width:
            lines.append((indent, line))
            indent, line, used = 0.0, "", 0.0
        line += char
        used += _ofd_em(char)
    lines.append((indent, line))
    return lines


def _ofd_text_objects(next_id, x: float, y: float, size: float, font: str, text: str, chunk: int) -> list[str]:
    """A line as TextObjects of `chunk` characters, two TextCodes each (the second one without
    Y: it repeats the first's), with DeltaX written out or in the "g N D" shorthand."""
    from xml.sax.saxutils import escape

    objects = []
    pieces = [text[start:start + chunk] for start in range(0, len(text), chunk)]
    for first in range(0, len(pieces), 2):
        codes, offset = [], 0.0
        for piece in pieces[first:first + 2]:
            advances = [_ofd_em(char) * size for char in piece[:-1]]
            if advances and len(set(advances)) == 1:
                delta = f' DeltaX="g {len(advances)} {advances[0]:g}"'
            else:
                delta = f' DeltaX="{" ".join(f"{value:g}" for value in advances)}"' if advances else ""
            where = f'X="{offset:g}" Y="{size * 0.9:g}"' if not codes else f'X="{offset:g}"'
            codes.append(f"<ofd:TextCode {where}{delta}>{escape(piece)}</ofd:TextCode>")
            offset += sum(_ofd_em(char) for char in piece) * size
        objects.append(f'<ofd:TextObject ID="{next_id()}" Boundary="{x:g} {y:g} {offset + size:g} {size * 1.2:g}" '
                       f'Font="{font}" Size="{size:g}">{"".join(codes)}</ofd:TextObject>')
        x += offset
    return objects


def build_ofd(path: Path, pages: Sequence[Sequence[tuple[str, str]]], *, title: str = "", header: str = "",
              template: str = "", chars_per_line: int = 28, chunk: int = 6, signed: bool = False,
              parts: dict[str, bytes | None] | None = None) -> Path:
    """An OFD package as an office suite exports one. Each page is a list of (style, text), as for
    `build_pdf`: "title" is centred in a larger size, "heading" is set in 黑体 (a bold face),
    "gap" adds an empty line's space, "image" puts a picture (a scan) and no text, anything else
    is a paragraph indented two characters and wrapped at `chars_per_line` (carried on to a new
    page when it overflows). Every page gets a centred "- N -" at its foot, `header` as a running
    header at its top, and `template` as text on a template page it uses. Each line is split into
    TextObjects of `chunk` characters, written in reverse order, so only their positions give
    the reading order. `title` goes into DocInfo; `signed` adds an (empty) signature list;
    `parts` replaces package parts by name (None leaves one out)."""
    import zipfile
    from xml.sax.saxutils import escape

    counter = iter(range(100, 10**9))

    def next_id() -> int:
        return next(counter)

    width = chars_per_line * _OFD_BODY_SIZE
    laid: list[list[str]] = [[]]
    y = _OFD_TOP

    def new_page() -> None:
        nonlocal y
        laid.append([])
        y = _OFD_TOP

    for number, page in enumerate(pages):
        if number:
            new_page()
        for style, text in page:
            if style == "gap":
                y += _OFD_PITCH
                continue
            if style == "image":
                laid[-1].append(f'<ofd:ImageObject ID="{next_id()}" ResourceID="9" Boundary="20 30 170 240" CTM="170 0 0 240 0 0"/>')
                continue
            size = _OFD_TITLE_SIZE if style == "title" else _OFD_BODY_SIZE
            font = _OFD_FONTS.get(style, _OFD_FONTS["body"])[0]
            if style == "title":
                lines = [((width / size - sum(map(_ofd_em, text))) / 2 * size / _OFD_BODY_SIZE, text)]
            else:
                lines = _ofd_wrap(text, 0.0 if style == "heading" else 2.0, chars_per_line)
            for indent, line in lines:
                if y + _OFD_PITCH > _OFD_BOTTOM:
                    new_page()
                laid[-1].extend(_ofd_text_objects(next_id, _OFD_LEFT + indent * _OFD_BODY_SIZE, y, size, font, line, chunk))
                y += _OFD_PITCH * (1.4 if style == "title" else 1.0)

    members: dict[str, bytes | None] = {}
    page_refs = []
    for number, objects in enumerate(laid):
        furniture = []
        if header:
            furniture += _ofd_text_objects(next_id, _OFD_LEFT + (width - len(header) * 4.2) / 2, 20, 4.2, "1", header, 40)
        furniture += _ofd_text_objects(next_id, _OFD_LEFT + width / 2 - 7, 275, 4.9, "1", f"- {number + 1} -", 40)
        body = "".join(reversed(objects + furniture))
        uses_template = '<ofd:Template TemplateID="5" ZOrder="Background"/>' if template else ""
        members[f"Doc_0/Pages/Page_{number}/Content.xml"] = (
            f'<?xml version="1.0" encoding="UTF-8"?><ofd:Page xmlns:ofd="{OFD_NAMESPACE}">{uses_template}'
            f'<ofd:Content><ofd:Layer ID="{next_id()}" Type="Body"><ofd:PageBlock ID="{next_id()}">{body}'
            f"</ofd:PageBlock></ofd:Layer></ofd:Content></ofd:Page>").encode()
        page_refs.append(f'<ofd:Page ID="{next_id()}" BaseLoc="Pages/Page_{number}/Content.xml"/>')
    templates = ""
    if template:
        templates = '<ofd:TemplatePage ID="5" BaseLoc="Tpls/Tpl_0/Content.xml"/>'
        objects = "".join(_ofd_text_objects(next_id, _OFD_LEFT, 12, 4.2, "1", template, 40))
        members["Doc_0/Tpls/Tpl_0/Content.xml"] = (
            f'<?xml version="1.0" encoding="UTF-8"?><ofd:Page xmlns:ofd="{OFD_NAMESPACE}"><ofd:Content>'
            f'<ofd:Layer ID="6">{objects}</ofd:Layer></ofd:Content></ofd:Page>').encode()
    fonts = "".join(f'<ofd:Font ID="{font_id}" FontName="{name}" FamilyName="{name}"/>' for font_id, name in _OFD_FONTS.values())
    members["Doc_0/PublicRes.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8"?><ofd:Res xmlns:ofd="{OFD_NAMESPACE}" BaseLoc="Res">'
        f"<ofd:Fonts>{fonts}</ofd:Fonts></ofd:Res>").encode()
    members["Doc_0/Document.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8"?><ofd:Document xmlns:ofd="{OFD_NAMESPACE}"><ofd:CommonData>'
        f"<ofd:MaxUnitID>{next_id()}</ofd:MaxUnitID><ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox>"
        f"</ofd:PageArea><ofd:PublicRes>PublicRes.xml</ofd:PublicRes>{templates}</ofd:CommonData>"
        f'<ofd:Pages>{"".join(page_refs)}</ofd:Pages></ofd:Document>').encode()
    signatures = "<ofd:Signatures>Doc_0/Signs/Signatures.xml</ofd:Signatures>" if signed else ""
    if signed:
        members["Doc_0/Signs/Signatures.xml"] = (
            f'<?xml version="1.0" encoding="UTF-8"?><ofd:Signatures xmlns:ofd="{OFD_NAMESPACE}"/>').encode()
    doc_info = f"<ofd:DocID>0f0d0000000000000000000000000001</ofd:DocID><ofd:Title>{escape(title)}</ofd:Title>" if title else ""
    members["OFD.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="{OFD_NAMESPACE}" Version="1.1" DocType="OFD">'
        f"<ofd:DocBody><ofd:DocInfo>{doc_info}</ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot>"
        f"{signatures}</ofd:DocBody></ofd:OFD>").encode()
    members.update(parts or {})
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        for name in ["OFD.xml", *sorted(set(members) - {"OFD.xml"})]:
            if members.get(name) is not None:
                package.writestr(name, members[name])
    return path
