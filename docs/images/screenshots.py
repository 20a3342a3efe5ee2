"""Make the README's two pictures again from the bundled samples (run after the xlsx or docx output changes):

    .venv/bin/python docs/images/screenshots.py

- xlsx-summary.png: the 汇总 sheet of `fzcheck batch samples --format xlsx`, columns A–H (排名 … 未达标项);
- word-review.png: page 1 of `fzcheck audit samples/linchuan_market_bureau_2023.txt --format docx`.

Needs LibreOffice with Writer and Calc (`soffice`; Debian: libreoffice-writer-nogui, libreoffice-calc-nogui).
fzcheck's own files are not changed: only a copy of the workbook gets a print area, landscape A4, gridlines
and row heights for its wrapped cells (LibreOffice does not grow a row to fit wrapped text it imports).
"""
from __future__ import annotations

import math
import subprocess
import sys
import tempfile
import unicodedata
from pathlib import Path

import openpyxl
import pdfplumber

REPO = Path(__file__).resolve().parents[2]
IMAGES = REPO / "docs" / "images"
FZCHECK = [sys.executable, "-m", "checker"]


def soffice_pdf(source: Path, work: Path) -> Path:
    subprocess.run(["soffice", f"-env:UserInstallation=file://{work / 'profile'}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(work), str(source)], check=True, capture_output=True)
    return work / (source.stem + ".pdf")


def first_page_png(pdf: Path, target: Path, resolution: int, margin: float) -> None:
    """Page 1, cropped to what is drawn on it (text and ruling lines) plus a margin."""
    with pdfplumber.open(pdf) as document:
        page = document.pages[0]
        marks = page.extract_words() + page.edges
        box = (max(0, min(mark["x0"] for mark in marks) - margin), max(0, min(mark["top"] for mark in marks) - margin),
               min(page.width, max(mark["x1"] for mark in marks) + margin),
               min(page.height, max(mark["bottom"] for mark in marks) + margin))
        page.crop(box).to_image(resolution=resolution).save(target)


def display_width(text: str) -> float:
    # A CJK character is about 1.5 of Calc's column-width units at the workbook's 11 pt.
    return sum(1.5 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def printable_summary(workbook: Path, target: Path, last_column: str) -> None:
    book = openpyxl.load_workbook(workbook)
    sheet = book["汇总"]
    for row in sheet.iter_rows(min_row=2):
        lines = max([math.ceil(display_width(str(cell.value)) / sheet.column_dimensions[cell.column_letter].width)
                     for cell in row if cell.value is not None and cell.alignment.wrap_text] or [1])
        sheet.row_dimensions[row[0].row].height = 15 * lines
    sheet.print_area = f"A1:{last_column}{sheet.max_row}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.gridLines = True
    sheet.page_margins.left = sheet.page_margins.right = 0.3
    book.save(target)


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        workbook, review = work / "s.xlsx", work / "r.docx"
        subprocess.run([*FZCHECK, "batch", "samples", "--no-cache", "--format", "xlsx", "-o", str(workbook)],
                       cwd=REPO, check=True)
        subprocess.run([*FZCHECK, "audit", "samples/linchuan_market_bureau_2023.txt", "--format", "docx",
                        "-o", str(review)], cwd=REPO, check=True)
        printable = work / "summary.xlsx"
        printable_summary(workbook, printable, "H")
        first_page_png(soffice_pdf(printable, work), IMAGES / "xlsx-summary.png", resolution=200, margin=6)
        first_page_png(soffice_pdf(review, work), IMAGES / "word-review.png", resolution=120, margin=14)
    for name in ("xlsx-summary.png", "word-review.png"):
        print(IMAGES / name, (IMAGES / name).stat().st_size // 1024, "KB")


if __name__ == "__main__":
    main()
