"""Build reader fixtures at test time, so the repository holds no binary documents.

Every builder writes one file and returns its path; the tests decide what goes in.
"""
from __future__ import annotations

from collections.abc import Sequence
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


def portal_page(article_html: str, charset: str = "utf-8", title: str = "", pub_date: str = "") -> str:
    """A government portal page around an article: every kind of chrome the reader must drop."""
    metas = f'<meta name="ArticleTitle" content="{title}">' if title else ""
    metas += f'<meta name="PubDate" content="{pub_date}">' if pub_date else ""
    return f"""<!DOCTYPE html>
<html><head><meta charset="{charset}">
<title>{title or "页面"}_某县人民政府门户网站</title>{metas}
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
