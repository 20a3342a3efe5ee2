"""The HTTP API declared once: app.py makes its routes from OPERATIONS, and `openapi` makes the
OpenAPI 3.1 document of /openapi.json (which /docs renders) from the same entries, so a route
cannot be added, or take a new parameter, without the document saying so. The JSON answers are
described by the JSON Schemas fzcheck ships (checker/schemas/), not by copies of them.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from importlib.resources import files

from checker import __version__
from checker.commands.common import KINDS
from checker.commands.formats import AUDIT, BATCH, BY_NAME, formats_of

CONTENT_TYPES = {
    "json": "application/json", "jsonl": "application/x-ndjson", "html": "text/html; charset=utf-8",
    "csv": "text/csv; charset=utf-8", "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
"""The media type of every format the server renders; which formats those are is the format registry's
(checker/commands/formats.py): every format of audit and batch but the terminal table."""
AUDIT_FORMATS = tuple(item.name for item in formats_of(AUDIT) if item.name in CONTENT_TYPES)
BATCH_FORMATS = tuple(item.name for item in formats_of(BATCH) if item.name in CONTENT_TYPES)
PROGRESS_FORMATS = tuple(name for name in BATCH_FORMATS if not BY_NAME[name].binary)
"""What a batch with progress=1 can carry in its last line, a JSON string: the text formats."""
MAX_FILES = 1_000
"""Files in one batch upload (a zip counts as one)."""

REFUSALS = {
    400: "请求有误：缺少文件，format、progress 或表单字段的值有误，或压缩包被拒绝（路径越出压缩包、符号链接、加密、压缩炸弹）",
    401: "服务以 --token 启动，而请求没有带访问令牌，或令牌不对",
    413: "上传的文件太大（超过 --max-upload-mb 设定的上限）",
    422: "报告无法读取（空文件、损坏的文件、没有文字层的扫描件、不支持的格式）",
    500: "服务器内部错误（fzcheck 的缺陷）；回答中不含报告的内容",
    503: "检查进程意外退出（内存不足？），请稍后重试或上传较小的文件",
}
"""Every error status the server answers, in the one error shape `{"file", "error"}`."""


@dataclass(frozen=True)
class Operation:
    name: str
    """The handler's key in app.py."""
    method: str
    path: str
    summary: str
    description: str
    answer: str = "application/json"
    """The media type of the answer when there is no `format` parameter."""
    schema: str | None = None
    """The component schema of the JSON answer."""
    formats: tuple[str, ...] = ()
    """The choices of ?format=, the first the default."""
    upload: str = ""
    """"one" or "many": a multipart form with report files (field `file`) and the report facts."""
    progress: bool = False
    guarded: bool = False
    """Needs the access token when the server has one."""
    refusals: tuple[int, ...] = ()
    """Error statuses it answers, beside 500 which every request may."""


OPERATIONS = (
    Operation("page", "GET", "/", "上传报告的网页", "不用终端的同事在浏览器中使用的页面（自包含，不联网）。",
              answer="text/html; charset=utf-8"),
    Operation("docs", "GET", "/docs", "接口文档", "本页：由 /openapi.json 生成的接口说明（自包含，不联网）。",
              answer="text/html; charset=utf-8"),
    Operation("openapi", "GET", "/openapi.json", "接口的 OpenAPI 文档", "OpenAPI 3.1 格式的接口说明，可导入 API 工具。",
              schema="OpenAPI"),
    Operation("healthz", "GET", "/healthz", "服务是否在运行", "供监控使用；不需要访问令牌。", schema="Health"),
    Operation("rules", "GET", "/api/rules", "可选的规则集及其检查项",
              "表单字段 rules 可用的规则集 id；第一个（default 为 true）是不填 rules 时所用的。", schema="Rulesets",
              guarded=True, refusals=(401,)),
    Operation("audit", "POST", "/api/audit", "检查一份报告",
              "与 `fzcheck audit 文件 --format json` 完全相同的 JSON；`?format=html` 为审查意见网页，"
              "`?format=docx` 为 Word 审查意见。", schema="Report", formats=AUDIT_FORMATS, upload="one", guarded=True,
              refusals=(400, 401, 413, 422, 503)),
    Operation("precheck", "POST", "/api/precheck", "提交前检查一份报告",
              "与 `fzcheck precheck 文件 --format json` 相同：通过（passed）与否、原因，以及哪些修改能多得分。"
              "报告无法读取时是 errors 中的一行。", schema="Precheck", formats=("json",), upload="one", guarded=True,
              refusals=(400, 401, 413, 503)),
    Operation("batch", "POST", "/api/batch", "批量评分",
              "与 `fzcheck batch --format json` 相同：政府和部门分别排名、汇总、错误行；每个 .zip 解压后按文件夹检查。"
              "一个文件无法读取只是 errors 中的一行。`?progress=1` 时逐行返回进度（见 progress 参数）。",
              schema="Batch", formats=BATCH_FORMATS, upload="many", progress=True, guarded=True,
              refusals=(400, 401, 413, 503)),
)


def openapi(ruleset_ids: list[str], max_upload: int, token: bool) -> dict:
    """The document of this server: its rule sets, its upload limit, whether it needs the token."""
    paths: dict[str, dict] = {}
    for operation in OPERATIONS:
        paths.setdefault(operation.path, {})[operation.method.lower()] = _operation(operation, ruleset_ids, max_upload,
                                                                                   token)
    return {
        "openapi": "3.1.0",
        "info": {"title": "fzcheck 网页服务接口", "version": __version__,
                 "description": "法治政府建设年度报告检查（fzcheck serve）的 HTTP 接口：上传报告，得到与命令行相同的检查结果。"
                                "出错时总是返回 `{\"file\", \"error\"}`（file 为出错的文件，未涉及文件时为空字符串）。"
                                "上传的文件在响应发出前删除，服务器不保存结果。"},
        "paths": paths,
        "components": {"schemas": _schemas(), "securitySchemes": {"token": {
            "type": "http", "scheme": "bearer",
            "description": "访问令牌：服务以 --token（或环境变量 FZCHECK_TOKEN）启动时，请求须带 "
                           "`Authorization: Bearer 令牌`。"}}},
    }


def _operation(operation: Operation, ruleset_ids: list[str], max_upload: int, token: bool) -> dict:
    described: dict = {"operationId": operation.name, "summary": operation.summary,
                       "description": operation.description}
    parameters = []
    if operation.formats:
        parameters.append({"name": "format", "in": "query", "required": False,
                           "description": "返回的格式：" + "；".join(f"{name}：{BY_NAME[name].summary}"
                                                                     for name in operation.formats),
                           "schema": {"type": "string", "enum": list(operation.formats), "default": operation.formats[0]}})
    if operation.progress:
        parameters.append({"name": "progress", "in": "query", "required": False,
                           "description": "为 1 时，每检查完一个文件返回一行 JSON `{\"done\", \"total\", \"file\"}`"
                                          "（application/x-ndjson），最后一行是 `{\"result\": 结果}`：result 是不带 progress "
                                          "时返回的内容（字符串），出错时最后一行是 `{\"file\", \"error\"}`。只用于文本格式（"
                                          + "、".join(PROGRESS_FORMATS) + "）。",
                           "schema": {"type": "string", "enum": ["0", "1"], "default": "0"}})
    if parameters:
        described["parameters"] = parameters
    if operation.upload:
        described["requestBody"] = {"required": True, "content": {"multipart/form-data": {
            "schema": _form(operation.upload == "many", ruleset_ids, max_upload)}}}
    if operation.guarded and token:
        described["security"] = [{"token": []}]
    described["responses"] = {"200": _answer(operation), **{
        str(status): {"description": REFUSALS[status],
                      "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
        for status in (*operation.refusals, 500)}}
    return described


def _form(many: bool, ruleset_ids: list[str], max_upload: int) -> dict:
    report = {"type": "string", "contentMediaType": "application/octet-stream",
              "description": "报告文件（.docx .pdf .txt .md .html .ofd .doc .wps），文件名的后缀决定如何读取"}
    if many:
        report = {"type": "array", "items": {**report, "description": "报告文件，或装有报告的 .zip"},
                  "maxItems": MAX_FILES, "description": f"一份或多份报告，或 .zip（字段 file 重复多次；最多 {MAX_FILES} 个）"}
    return {
        "type": "object", "required": ["file"],
        "description": f"一次上传的全部文件合计最多 {max_upload / 1_000_000:g} MB。",
        "properties": {
            "file": report,
            "rules": {"type": "string", "enum": ruleset_ids, "default": ruleset_ids[0],
                      "description": "规则集 id（见 GET /api/rules）；同 --rules"},
            "year": {"type": "string", "pattern": "^[1-9][0-9]{3}$", "description": "所属年度，四位数；同 --year"},
            "published": {"type": "string", "format": "date", "description": "发布日期 YYYY-MM-DD；同 --published"},
            "kind": {"type": "string", "enum": list(KINDS), "description": "报告主体类型；同 --kind"},
        },
    }


def _answer(operation: Operation) -> dict:
    if not operation.formats:
        return {"description": operation.summary, "content": {operation.answer: {"schema": _schema_of(operation.schema)}}}
    content: dict[str, dict] = {}
    for name in operation.formats:
        media = CONTENT_TYPES[name]
        if name == "json":
            content[media] = {"schema": _schema_of(operation.schema)}
        elif BY_NAME[name].binary:
            content[media] = {}  # OpenAPI 3.1: a binary body has no schema
        else:
            content[media] = {"schema": {"type": "string"}}
    description = "所选 format 的内容" if len(operation.formats) > 1 else operation.summary
    if operation.progress:
        description += "；progress=1 时为 application/x-ndjson：每个文件一行 Progress，最后一行为 ProgressResult 或 Error"
    return {"description": description, "content": content}


def _schema_of(name: str | None) -> dict:
    return {"$ref": f"#/components/schemas/{name}"} if name else {"type": "string"}


SHIPPED = {"Report": "report", "Batch": "batch"}
"""The components that are checker/schemas/NAME.schema.json."""


def _shipped() -> dict[str, dict]:
    """The shipped schemas as components. Their references are made document-relative and their
    $id dropped: a schema's own `#/$defs/...` and another's `urn:fzcheck:schema:...` are then found
    by every OpenAPI tool, not only by those that honour an $id inside the document."""
    texts = {component: json.loads((files("checker") / "schemas" / f"{name}.schema.json").read_text(encoding="utf-8"))
             for component, name in SHIPPED.items()}
    components = {schema["$id"]: component for component, schema in texts.items()}

    def embedded(node: object, component: str) -> object:
        if isinstance(node, list):
            return [embedded(item, component) for item in node]
        if not isinstance(node, dict):
            return node
        moved = {}
        for key, value in node.items():
            if key == "$ref":
                base, _, fragment = value.partition("#")
                moved[key] = f"#/components/schemas/{components[base] if base else component}{fragment}"
            elif key not in ("$id", "$schema"):
                moved[key] = embedded(value, component)
        return moved

    return {component: embedded(schema, component) for component, schema in texts.items()}


def _schemas() -> dict:
    shipped = _shipped()
    strings = {"type": "array", "items": {"type": "string"}}
    return {
        "Error": shipped["Batch"]["$defs"]["error"],
        **shipped,
        "Precheck": {
            "type": "object", "required": ["reports", "verdicts", "errors", "passed"],
            "description": "fzcheck precheck --format json",
            "properties": {
                "reports": {"type": "array", "items": {"$ref": "#/components/schemas/Report"}},
                "verdicts": {"type": "array", "items": {
                    "type": "object", "required": ["file", "passed", "reasons", "failing", "fixes"],
                    "properties": {"file": {"type": "string"}, "passed": {"type": "boolean"}, "reasons": strings,
                                   "failing": strings, "waived": strings,
                                   "fixes": {"type": "array", "items": {
                                       "type": "object", "required": ["id", "status", "points"],
                                       "properties": {"id": {"type": "string"}, "status": {"type": "string"},
                                                      "points": {"type": "number"}}}}}}},
                "errors": {"type": "array", "items": {"$ref": "#/components/schemas/Error"}},
                "passed": {"type": "boolean", "description": "每份报告都通过"},
            },
        },
        "Rulesets": {
            "type": "object", "required": ["rulesets"], "additionalProperties": False,
            "properties": {"rulesets": {"type": "array", "items": {
                "type": "object", "additionalProperties": False,
                "required": ["id", "version", "title", "default", "sha256", "rules"],
                "properties": {
                    "id": {"type": "string"}, "version": {"type": "string"}, "title": {"type": "string"},
                    "default": {"type": "boolean"}, "sha256": {"type": "string"},
                    "rules": {"type": "array", "items": {
                        "type": "object", "additionalProperties": False,
                        "required": ["id", "title", "group", "weight", "blocking"],
                        "properties": {"id": {"type": "string"}, "title": {"type": "string"},
                                       "group": {"type": ["string", "null"]}, "weight": {"type": "number"},
                                       "blocking": {"type": "boolean"}}}},
                }}}},
        },
        "Health": {"type": "object", "required": ["status", "fzcheck"], "additionalProperties": False,
                   "properties": {"status": {"const": "ok"}, "fzcheck": {"type": "string", "description": "版本"}}},
        "OpenAPI": {"type": "object", "description": "OpenAPI 3.1 文档（本文档）"},
        "Progress": {"type": "object", "required": ["done", "total", "file"], "additionalProperties": False,
                     "description": "progress=1 时每检查完一个文件的一行",
                     "properties": {"done": {"type": "integer", "minimum": 1}, "total": {"type": "integer", "minimum": 1},
                                    "file": {"type": "string", "description": "刚检查完的文件"}}},
        "ProgressResult": {"type": "object", "required": ["result"], "additionalProperties": False,
                           "description": "progress=1 时的最后一行",
                           "properties": {"result": {"type": "string",
                                                     "description": "不带 progress 时返回的内容（所选 format）"}}},
    }
