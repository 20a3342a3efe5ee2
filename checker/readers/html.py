"""A saved government web page: the article, without the site around it.

Reports are mostly published as pages of a portal, so the file also holds the portal's
navigation, breadcrumb, font-size toolbar, share buttons and footer. Left in, they would put
words into the text the report never said ("版权所有", "ICP备") and split it with junk lines.
The page's <meta> tags state title and publication date apart from the text; they are kept,
and so is what the markup shows of each line: a heading <h1>-<h6>, bold or centred.
"""
from __future__ import annotations

import codecs
import hashlib
import re
from datetime import date
from pathlib import Path

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import Comment, Declaration, Doctype, ProcessingInstruction

from checker.chrome import is_chrome_line
from checker.readers import ReadLimits, Source, over_limit
from checker.readers import text as plain

CELL_SEPARATOR = " | "
_CJK = "\u3400-\u9fff\uf900-\ufaff"
_CJK_CHAR = re.compile(f"[{_CJK}]")

_TEXT_RUN = re.compile(rb"[^<]+")
_DECLARED_CHARSET = re.compile(rb"""<(?:meta[^>]*?charset|\?xml[^>]*?encoding)\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
# Pages labelled GB2312 or GBK routinely contain characters only GBK/GB18030 has.
_CHARSET_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030"}

# Never article text, wherever they stand.
_NON_CONTENT_TAGS = ["script", "style", "noscript", "template", "iframe", "object", "embed",
                     "svg", "canvas", "select", "button", "input", "textarea"]
# Page furniture by HTML5 semantics; <header>/<footer> inside an <article> belong to it.
_CHROME_TAGS = {"nav", "aside", "header", "footer"}
_CHROME_ATTR = re.compile(
    r"breadcrumb|crumb|toolbar|share|footer|copyright|sidebar|navbar|menu"
    r"|(?:^|[\s_-])(?:sub)?nav(?:$|[\s_-])"
    r"|(?:^|[\s_-])(?:foot|bottom|location|dqwz|weizhi|related|xgwz|xglj|tools?)(?:$|[\s_-])",
    re.I,
)
_ARTICLE_ATTR = re.compile(r"content|article|zoom|trs_editor|trs_ueditor|ucap|detail|main", re.I)
# An article container nested in a bigger one is preferred while it holds this share of
# the bigger one's Chinese text: the tightest box around the report.
_NESTED_SHARE = 0.9

_BLOCK_TAGS = {
    "p", "div", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6",
    "table", "tr", "td", "th", "thead", "tbody", "tfoot", "caption", "section", "article", "main",
    "header", "footer", "blockquote", "pre", "address", "figure", "figcaption", "center",
    "hr", "form", "fieldset",
}
# Cells longer than this are page layout, not a table of figures.
_MAX_DATA_CELL = 300


# Whitespace around a source line break next to a Chinese character is markup formatting,
# not a space in the text.
_SOURCE_BREAK = re.compile(f"(?<=[{_CJK}，。；：！？、])\\s*\\n\\s*|\\s*\\n\\s*(?=[{_CJK}，。；：！？、])")
_WHITESPACE = re.compile(r"\s+")
_HEADING_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_BOLD_TAGS = {"b", "strong"}
_BOLD_STYLE = re.compile(r"font-weight\s*:\s*(?:bold|bolder|[6-9]00)\b", re.I)
_TEXT_ALIGN = re.compile(r"text-align\s*:\s*([a-z-]+)", re.I)

_TITLE_METAS = ("articletitle", "og:title")
_DATE_METAS = ("pubdate", "publishdate", "article:published_time")
_TITLE_SUFFIX = re.compile(r"\s*(?:[_|｜]|——|(?<!\d)-|-(?!\d))\s*")
_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")


def read(path: Path, limits: ReadLimits = ReadLimits()) -> Source:
    name = str(path)
    check_time = limits.deadline(name)
    data = path.read_bytes()  # read_source has held the file to limits.max_text bytes
    # One huge run of text costs many times its size in the tree and in every get_text over it.
    if any(run.end() - run.start() > limits.max_text_node for run in _TEXT_RUN.finditer(data)):
        raise over_limit(name, "HTML 中一段连续文字", limits.max_text_node, "字节", "bytes of text between two tags")
    # A BOM, then valid UTF-8, then the page's own charset label, then detection. Valid UTF-8
    # outranks the label because portals copy templates: a page labelled GB2312 that is really
    # UTF-8 may decode without error as GB18030 (measured: one report line in twelve does),
    # into nonsense. A label that does not fit the bytes is ignored.
    markup, encoding, replaced = plain.decode_counted(data, name, declared=_declared_charset(data))
    soup = BeautifulSoup(markup, "lxml")
    check_time()
    metas = _metas(soup)
    page_title = soup.title.get_text(" ", strip=True) if soup.title else ""
    for tag in soup.select(",".join(_NON_CONTENT_TAGS)):
        tag.decompose()
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    root = soup.body or soup
    _drop_chrome(root)
    article = _article(root)
    # Every block boundary is a line break, so an empty line here is markup, not a paragraph
    # break the author made: drop them all.
    check_time()
    lines = [(line, style) for line, style in _styled_lines(article) if line and not is_chrome_line(line)]
    return Source(
        path=str(path),
        text="\n".join(line for line, _ in lines),
        format="html",
        encoding=encoding,
        sha256=hashlib.sha256(data).hexdigest(),
        replaced_characters=replaced,
        title=_title(metas, article, page_title),
        published=_published(metas),
        line_styles=tuple(style for _, style in lines),
    )


def _declared_charset(data: bytes) -> str | None:
    match = _DECLARED_CHARSET.search(data[:8192])
    if not match:
        return None
    try:
        name = codecs.lookup(match.group(1).decode("ascii")).name.replace("-", "_")
    except LookupError:
        return None
    # A page that reached us as ASCII-compatible bytes cannot really be UTF-16 (HTML rule).
    if name.startswith(("utf_16", "utf_32")):
        return None
    return _CHARSET_SUPERSETS.get(name, name)


def _metas(soup: BeautifulSoup) -> dict[str, str]:
    """First content of every <meta name=...> / <meta property=...>, keys lower-cased."""
    found: dict[str, str] = {}
    for meta in soup.find_all("meta"):
        key = meta.get("name") or meta.get("property")
        content = meta.get("content")
        if isinstance(key, str) and isinstance(content, str) and content.strip():
            found.setdefault(key.strip().lower(), content.strip())
    return found


def _cjk_count(tag: Tag) -> int:
    return len(_CJK_CHAR.findall(tag.get_text()))


def _drop_chrome(root: Tag) -> None:
    """Remove navigation, toolbars and footers, unless one holds most of the page.

    The exception exists because some templates put a "nav"- or "menu"-ish class on a wrapper
    around everything (or a framework utility class matches); removing it would remove the report.
    """
    total = _cjk_count(root)
    for tag in root.find_all(_is_chrome_element):
        if not tag.decomposed and _cjk_count(tag) <= total / 2:
            tag.decompose()


def _is_chrome_element(tag: Tag) -> bool:
    if tag.name in _CHROME_TAGS:
        return tag.find_parent(["article", "main"]) is None
    return bool(_CHROME_ATTR.search(_id_and_class(tag)))


def _id_and_class(tag: Tag) -> str:
    classes = tag.get("class") or []
    return " ".join([str(tag.get("id") or ""), *classes])


def _article(root: Tag) -> Tag:
    """The element holding the report: the article-like box with most Chinese text, tightened.

    Portals differ, but nearly all mark the article box with one of a few words in id/class
    (TRS_Editor, zoom, content, article ...). The biggest such box may still wrap a heading bar
    or a list of related links, so a nested article box that holds nearly all of its text wins.
    """
    boxes = [tag for tag in root.find_all(True) if tag.name in ("article", "main") or _ARTICLE_ATTR.search(_id_and_class(tag))]
    scored = [(count, tag) for tag in boxes if (count := _cjk_count(tag))]
    if not scored:
        return root
    best_count, best = max(scored, key=lambda pair: pair[0])
    inner = [(count, tag) for count, tag in scored if count >= _NESTED_SHARE * best_count and best in tag.parents]
    if inner:
        return max(inner, key=lambda pair: len(list(pair[1].parents)))[1]
    return best


def _lines(node: Tag) -> list[str]:
    return [line for line, _ in _styled_lines(node)]


# A piece of a line and the text node it comes from (None for a line break or a table row).
_Piece = tuple[str, NavigableString | None]
_BREAK: _Piece = ("\n", None)


def _styled_lines(node: Tag) -> list[tuple[str, str]]:
    """The lines a browser shows inside `node`, each with its style (see `Source.line_styles`)."""
    parts: list[_Piece] = []
    _collect(node, parts)
    lines: list[tuple[str, str]] = []
    texts: list[str] = []
    origins: list[NavigableString] = []
    for text, origin in [*parts, _BREAK]:
        if (text, origin) == _BREAK:
            lines.append((_WHITESPACE.sub(" ", "".join(texts)).strip(), _line_style(origins, node)))
            texts, origins = [], []
        else:
            texts.append(text)
            if origin is not None and text.strip():
                origins.append(origin)
    return lines


def _collect(node: Tag, parts: list[_Piece]) -> None:
    """Append text and a break for every line break a browser would show between blocks.

    Each break is a piece of its own and no text piece holds a "\\n", so the text nodes of one
    line all sit in the same innermost block element. The walk keeps its own stack: old portal
    markup nests a thousand unclosed <font>s deep, past Python's recursion limit.
    """
    stack = [(iter(node.children), False)]  # children still to visit; a break after them?
    while stack:
        child = next(stack[-1][0], None)
        if child is None:
            if stack.pop()[1]:
                parts.append(_BREAK)
        elif isinstance(child, (Comment, Declaration, Doctype, ProcessingInstruction)):
            continue
        elif isinstance(child, NavigableString):
            parts.append((_SOURCE_BREAK.sub("", str(child)).replace("\n", " "), child))
        elif not isinstance(child, Tag):
            continue
        elif child.name == "br":
            parts.append(_BREAK)
        elif child.name == "tr" and _is_data_row(child):
            parts.extend((_BREAK, (_row_line(child), None), _BREAK))
        else:
            block = child.name in _BLOCK_TAGS
            if block:
                parts.append(_BREAK)
            stack.append((iter(child.children), block))


def _line_style(origins: list[NavigableString], root: Tag) -> str:
    """"hN" inside <hN>; else "b" when every text of the line is bold, "c" when it is centred."""
    if not origins:
        return ""
    first = _ancestors(origins[0], root)
    heading = next((tag.name for tag in first if tag.name in _HEADING_TAGS), None)
    if heading:
        return heading
    bold = all(any(_is_bold(tag) for tag in _ancestors(origin, root)) for origin in origins)
    return ("b" if bold else "") + ("c" if _is_centred(first) else "")


def _ancestors(origin: NavigableString, root: Tag) -> list[Tag]:
    """The elements around a text node, nearest first, up to and including `root`."""
    out: list[Tag] = []
    for parent in origin.parents:
        out.append(parent)
        if parent is root:
            break
    return out


def _is_bold(tag: Tag) -> bool:
    return tag.name in _BOLD_TAGS or bool(_BOLD_STYLE.search(str(tag.get("style") or "")))


def _is_centred(ancestors: list[Tag]) -> bool:
    """The nearest element that states an alignment decides (text-align is inherited)."""
    for tag in ancestors:
        if tag.name == "center":
            return True
        stated = _TEXT_ALIGN.search(str(tag.get("style") or ""))
        align = stated.group(1) if stated else tag.get("align")
        if isinstance(align, str) and align.strip():
            return align.strip().lower() == "center"
    return False


def _cells(row: Tag) -> list[Tag]:
    return row.find_all(["td", "th"], recursive=False)


def _is_data_row(row: Tag) -> bool:
    """A row of a table of figures, as opposed to a row of a table used for page layout."""
    cells = _cells(row)
    return (
        len(cells) >= 2
        and not row.find("table")
        and all(len(cell.get_text(strip=True)) <= _MAX_DATA_CELL for cell in cells)
    )


def _row_line(row: Tag) -> str:
    texts = (" ".join(filter(None, _lines(cell))) for cell in _cells(row))
    return CELL_SEPARATOR.join(text for text in texts if text)


def _title(metas: dict[str, str], article: Tag, page_title: str) -> str | None:
    for key in _TITLE_METAS:
        if metas.get(key):
            return metas[key]
    heading = article.find("h1")
    if heading and heading.get_text(strip=True):
        return _WHITESPACE.sub(" ", heading.get_text(" ", strip=True))
    parts = [part for part in _TITLE_SUFFIX.split(page_title) if part.strip()]
    return parts[0].strip() if parts else None


def _published(metas: dict[str, str]) -> date | None:
    for key in _DATE_METAS:
        if key in metas and (parsed := parse_date(metas[key])):
            return parsed
    return None


def parse_date(value: str) -> date | None:
    """A calendar date from 2021-03-17, 2021-03-17 10:20, 2021/03/17, 2021年3月17日 or ISO time."""
    match = _DATE.search(value)
    if not match:
        return None
    try:
        return date(*(int(group) for group in match.groups()))
    except ValueError:
        return None
