"""The shared labels of every output (checker/output/labels.py)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from checker.output.labels import DATE_FROM_SIGNATURE, source_label

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


def test_a_signature_is_a_date_only_for_the_publication_date() -> None:
    assert source_label("published", "signature") == DATE_FROM_SIGNATURE
    assert source_label("issuer", "signature") == "落款"
    assert source_label("year", "title") == "标题" and source_label("kind", None) is None


def test_an_issuer_read_from_the_signature_is_not_called_a_date(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "checker", "audit", str(SAMPLES / "baihu_district_2024_weak.txt"),
                           "--format", "html", "-o", str(tmp_path / "r.html")], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    # Its issuer is read from the signature, its date from the page: no "signature date" anywhere.
    assert "落款" in page and DATE_FROM_SIGNATURE not in page
