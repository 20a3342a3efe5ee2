"""/docs: the OpenAPI document rendered as one self-contained Chinese page (no script, no CDN),
so a colleague wiring an OA system to the server reads each endpoint, its parameters, answers and
a curl line without an API tool. It is made from the document itself, never written beside it.
"""
from __future__ import annotations

import json
import re
from html import escape
from importlib.resources import files

from checker.web.api import CONTENT_TYPES

PLACES = {"query": "查询参数", "header": "请求头", "path": "路径"}


def docs_page(document: dict, base: str) -> str:
    """`base` is the address the reader reached the server at, for the curl lines."""
    info = document["info"]
    operations = [(path, method.upper(), operation) for path, item in document["paths"].items()
                  for method, operation in item.items()]
    contents = "".join(f'<li><a href="#{_anchor(operation)}"><span class="method">{method}</span> <code>{escape(path)}'
                       f'</code></a> {escape(operation["summary"])}</li>' for path, method, operation in operations)
    sections = "".join(_section(path, method, operation, base) for path, method, operation in operations)
    schemas = "".join(
        f'<details id="schema-{escape(name)}"><summary><code>{escape(name)}</code> {_text(schema.get("title") or schema.get("description") or "")}'
        f'</summary><pre>{escape(json.dumps(schema, ensure_ascii=False, indent=2))}</pre></details>'
        for name, schema in document["components"]["schemas"].items())
    style = (files("checker.web") / "page.css").read_text(encoding="utf-8")
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(info["title"])}</title>
<style>{style}</style>
</head>
<body class="docs">
<header>
  <h1>{escape(info["title"])}</h1>
  <p>{_text(info["description"])}</p>
  <p>fzcheck {escape(info["version"])} · 机器可读的同一份说明：<a href="/openapi.json">/openapi.json</a>（OpenAPI {escape(document["openapi"])}）
     · <a href="/">返回上传报告的网页</a></p>
</header>
<main>
<nav aria-labelledby="contents"><h2 id="contents">接口一览</h2><ul>{contents}</ul></nav>
{sections}
<section aria-labelledby="schemas"><h2 id="schemas">数据结构（JSON Schema）</h2>{schemas}</section>
</main>
<footer>fzcheck {escape(info["version"])}</footer>
</body>
</html>
"""


def _section(path: str, method: str, operation: dict, base: str) -> str:
    anchor = _anchor(operation)
    parts = [(f'<section class="endpoint" id="{anchor}" aria-labelledby="{anchor}-title">'
              f'<h2 id="{anchor}-title"><span class="method">{method}</span> <code>{escape(path)}</code> '
              f'{escape(operation["summary"])}</h2><p>{_text(operation["description"])}</p>')]
    if operation.get("security"):
        parts.append("<p><strong>访问令牌：</strong>本服务需要令牌，请求头写 <code>Authorization: Bearer 令牌</code>"
                     "（缺少或不对时返回 401）。</p>")
    rows = [(parameter["name"], PLACES[parameter["in"]], parameter.get("required", False), parameter["schema"],
             parameter.get("description", "")) for parameter in operation.get("parameters", ())]
    if rows:
        parts.append(_table("参数", rows))
    body = operation.get("requestBody")
    if body:
        form = body["content"]["multipart/form-data"]["schema"]
        fields = [(name, "表单字段", name in form.get("required", ()), schema, schema.get("description", ""))
                  for name, schema in form["properties"].items()]
        parts.append(f'<p>请求体为 multipart/form-data 表单。{_text(form.get("description", ""))}</p>')
        parts.append(_table("表单字段", fields))
    answers = "".join(f'<tr><td>{escape(status)}</td><td>{_media(answer)}</td><td>{_text(answer["description"])}</td></tr>'
                      for status, answer in operation["responses"].items())
    parts.append(f'<table><caption>响应</caption><thead><tr><th scope="col">状态码</th><th scope="col">内容</th>'
                 f'<th scope="col">说明</th></tr></thead><tbody>{answers}</tbody></table>')
    examples = "\n".join(_examples(path, method, operation, base))
    parts.append(f'<p class="example-title">示例：</p><pre><code>{escape(examples)}</code></pre></section>')
    return "".join(parts)


def _table(caption: str, rows: list[tuple[str, str, bool, dict, str]]) -> str:
    body = "".join(f'<tr><td><code>{escape(name)}</code></td><td>{place}</td><td>{"是" if required else "否"}</td>'
                   f'<td>{_shape(schema)}</td><td>{_text(description)}</td></tr>'
                   for name, place, required, schema, description in rows)
    return (f'<table><caption>{caption}</caption><thead><tr><th scope="col">名称</th><th scope="col">位置</th>'
            f'<th scope="col">必填</th><th scope="col">取值</th><th scope="col">说明</th></tr></thead><tbody>{body}</tbody></table>')


def _shape(schema: dict) -> str:
    """What a value may be, in words."""
    if schema.get("type") == "array":
        return f'{_shape(schema["items"])}，可多个'
    if "contentMediaType" in schema:
        return "文件"
    if "enum" in schema:
        default = f'（默认 <code>{escape(str(schema["default"]))}</code>）' if "default" in schema else ""
        return " | ".join(f"<code>{escape(str(value))}</code>" for value in schema["enum"]) + default
    if schema.get("format") == "date":
        return "日期，如 <code>2025-03-20</code>"
    if "pattern" in schema:
        return f'文字，符合 <code>{escape(schema["pattern"])}</code>'
    return "文字"


def _media(answer: dict) -> str:
    shown = []
    for media, described in answer.get("content", {}).items():
        schema = described.get("schema")
        if schema is None:
            what = "二进制文件"
        elif "$ref" in schema:
            name = schema["$ref"].rsplit("/", 1)[-1]
            what = f'<a href="#schema-{escape(name)}">{escape(name)}</a>'
        else:
            what = "文本"
        shown.append(f"<code>{escape(media)}</code>：{what}")
    return "<br>".join(shown)


def _examples(path: str, method: str, operation: dict, base: str) -> list[str]:
    """A curl line for the plain call, one for a binary format saved to a file, one for progress."""
    url = base.rstrip("/") + path
    command = "curl" + (' -H "Authorization: Bearer $FZCHECK_TOKEN"' if operation.get("security") else "")
    body = operation.get("requestBody")
    if body is None:
        return [f'{command} "{url}"']
    many = body["content"]["multipart/form-data"]["schema"]["properties"]["file"]["type"] == "array"
    command += " -F file=@甲.docx -F file=@乙.zip" if many else " -F file=@报告.docx"
    lines = [f'{command} "{url}"']
    parameters = {parameter["name"]: parameter["schema"] for parameter in operation.get("parameters", ())}
    content = operation["responses"]["200"]["content"]
    binary = [name for name in parameters.get("format", {}).get("enum", ()) if "schema" not in content[CONTENT_TYPES[name]]]
    lines += [f'{command} -o 结果.{name} "{url}?format={name}"' for name in binary[:1]]
    if "progress" in parameters:
        lines.append(f'{command} -N "{url}?progress=1"')
    return lines


def _anchor(operation: dict) -> str:
    return f'op-{operation["operationId"]}'


def _text(text: str) -> str:
    """Escaped, with `code` spans as <code>."""
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", escape(text))
