"""Machine-readable output: exactly one JSON document on stdout."""
from __future__ import annotations

import json

from checker.models import AuditResult


def audit_json(result: AuditResult) -> str:
    return json.dumps(result.to_json_dict(), ensure_ascii=False, indent=2)
