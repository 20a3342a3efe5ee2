"""The OpenAPI document of `fzcheck serve` (/openapi.json) and the page made from it (/docs): every
route is in it and nothing else, it is a well-formed OpenAPI 3.1 document, each parameter it
names is one the server reads, and each answer the server gives is what it says.

openapi-spec-validator is not a test dependency (it brings six packages); the document's
structure is checked here instead, its references resolved and its schemas checked as JSON Schema
2020-12, the dialect of OpenAPI 3.1.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012
from test_serve import REPORT, SAMPLES, app, progress_lines, upload

starlette_testclient = pytest.importorskip("starlette.testclient")
from checker.web.api import AUDIT_FORMATS, BATCH_FORMATS, CONTENT_TYPES  # noqa: E402

STATUSES = {"200", "400", "401", "413", "422", "500", "503"}
METHODS = {"get", "post", "put", "patch", "delete", "head", "options", "trace"}


@pytest.fixture(scope="module")
def client() -> Iterator[starlette_testclient.TestClient]:
    with starlette_testclient.TestClient(app()) as client:
        yield client


@pytest.fixture(scope="module")
def document(client) -> dict:
    response = client.get("/openapi.json")
    assert response.status_code == 200 and response.headers["content-type"] == "application/json"
    return response.json()


def operations(document: dict) -> Iterator[tuple[str, str, dict]]:
    for path, item in document["paths"].items():
        for method, operation in item.items():
            yield path, method, operation


def test_every_route_is_in_the_document_and_nothing_else(client, document: dict) -> None:
    routes = {(route.path, method.lower()) for route in client.app.routes for method in route.methods - {"HEAD"}}
    assert routes == {(path, method) for path, method, _ in operations(document)}
    assert {"/", "/docs", "/openapi.json", "/healthz", "/api/rules", "/api/audit", "/api/precheck",
            "/api/batch"} == set(document["paths"])


def resolve(document: dict, reference: str) -> object:
    assert reference.startswith("#/"), reference
    node: object = document
    for part in reference[2:].split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def references(node: object) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from references(value)
    elif isinstance(node, list):
        for item in node:
            yield from references(item)


def test_the_document_is_well_formed_openapi_3_1(document: dict) -> None:
    assert document["openapi"] == "3.1.0"
    assert document["info"]["title"] and document["info"]["version"]
    assert set(document) <= {"openapi", "info", "paths", "components", "servers", "security", "tags", "webhooks",
                             "jsonSchemaDialect", "externalDocs"}
    ids = [operation["operationId"] for _, _, operation in operations(document)]
    assert len(ids) == len(set(ids))
    for path, method, operation in operations(document):
        assert path.startswith("/") and method in METHODS
        assert operation["summary"] and operation["description"]
        assert set(operation["responses"]) <= STATUSES and {"200", "500"} <= set(operation["responses"])
        for status, answer in operation["responses"].items():
            assert answer["description"] and answer["content"], (path, status)
            if status != "200":
                assert answer["content"] == {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
        for parameter in operation.get("parameters", ()):
            assert parameter["in"] in {"query", "header", "path", "cookie"} and "schema" in parameter
        for requirement in operation.get("security", ()):
            assert set(requirement) <= set(document["components"]["securitySchemes"])
    for reference in references(document):
        assert resolve(document, reference) is not None, reference
    for schema in document["components"]["schemas"].values():
        Draft202012Validator.check_schema(schema)
    statuses = {status for _, _, operation in operations(document) for status in operation["responses"]}
    assert statuses == STATUSES


def test_the_parameters_are_the_ones_the_server_takes(document: dict) -> None:
    audit = document["paths"]["/api/audit"]["post"]
    batch = document["paths"]["/api/batch"]["post"]
    formats = {operation["operationId"]: parameter["schema"]["enum"] for _, _, operation in operations(document)
               for parameter in operation.get("parameters", ()) if parameter["name"] == "format"}
    assert formats == {"audit": list(AUDIT_FORMATS), "precheck": ["json"], "batch": list(BATCH_FORMATS)}
    assert [parameter["name"] for parameter in batch["parameters"]] == ["format", "progress"]
    for operation in (audit, batch):
        form = operation["requestBody"]["content"]["multipart/form-data"]["schema"]
        assert set(form["properties"]) == {"file", "rules", "year", "published", "kind"} and form["required"] == ["file"]
    assert batch["requestBody"]["content"]["multipart/form-data"]["schema"]["properties"]["file"]["type"] == "array"
    for path, _, operation in operations(document):
        content = operation["responses"]["200"]["content"]
        for name in formats.get(operation["operationId"], ()):
            assert CONTENT_TYPES[name] in content, (path, name)


@pytest.mark.parametrize("field, value, words", [("year", "24", "year"), ("published", "2024-13-01", "published"),
                                                 ("kind", "村", "kind"), ("rules", "x", "没有规则集")])
def test_each_form_field_documented_is_read(client, document: dict, field: str, value: str, words: str) -> None:
    """A bad value of it is refused by name, so the server reads the field the document names."""
    for path in ("/api/audit", "/api/precheck", "/api/batch"):
        form = document["paths"][path]["post"]["requestBody"]["content"]["multipart/form-data"]["schema"]
        assert field in form["properties"]
        response = client.post(path, files=upload(REPORT), data={field: value})
        assert response.status_code == 400 and words in response.json()["error"], path


def test_the_token_is_declared_where_the_server_has_one() -> None:
    with starlette_testclient.TestClient(app(token="s3cret")) as guarded:
        document = guarded.get("/openapi.json").json()
        page = guarded.get("/docs").text
    guarded_ids = {operation["operationId"] for _, _, operation in operations(document) if operation.get("security")}
    assert guarded_ids == {"rules", "audit", "precheck", "batch"}
    assert page.count("Authorization: Bearer $FZCHECK_TOKEN") >= 4


@pytest.fixture(scope="module")
def validate(document: dict):
    """`validate(data, "Report")`: the data against a component schema of the document."""
    registry = Registry().with_resource("urn:fzcheck:openapi", Resource.from_contents(document, DRAFT202012))

    def validate(data: object, name: str) -> None:
        schema = {"$ref": f"urn:fzcheck:openapi#/components/schemas/{name}"}
        Draft202012Validator(schema, registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER).validate(data)

    return validate


def documented(document: dict, path: str, method: str, status: int, media: str) -> str:
    """The component named for the answer (its schema must exist in the document)."""
    schema = document["paths"][path][method]["responses"][str(status)]["content"][media]["schema"]
    return schema["$ref"].rsplit("/", 1)[-1]


def test_every_answer_is_what_the_document_says(client, document: dict, validate, tmp_path) -> None:
    samples = upload(*sorted(SAMPLES.glob("*.txt")))
    (tmp_path / "空.txt").write_bytes(b"")
    answers = [
        ("/api/audit", "post", client.post("/api/audit", files=upload(REPORT))),
        ("/api/precheck", "post", client.post("/api/precheck", files=upload(REPORT))),
        ("/api/batch", "post", client.post("/api/batch", files=samples)),
        ("/api/rules", "get", client.get("/api/rules")),
        ("/healthz", "get", client.get("/healthz")),
        ("/api/audit", "post", client.post("/api/audit", files=upload(tmp_path / "空.txt"))),
        ("/api/audit", "post", client.post("/api/audit?format=pdf", files=upload(REPORT))),
        ("/api/batch", "post", client.post("/api/batch")),
    ]
    for path, method, response in answers:
        media = response.headers["content-type"]
        validate(response.json(), documented(document, path, method, response.status_code, media))
    for path, method, query in [("/api/audit", "post", "?format=html"), ("/api/audit", "post", "?format=docx"),
                                ("/api/batch", "post", "?format=csv"), ("/api/batch", "post", "?format=xlsx")]:
        response = client.post(path + query, files=upload(REPORT))
        assert response.headers["content-type"] in document["paths"][path][method]["responses"]["200"]["content"]
    *progress, last = progress_lines(client.post("/api/batch?progress=1", files=samples))
    for line in progress:
        validate(line, "Progress")
    validate(last, "ProgressResult")
    validate(json.loads(last["result"]), "Batch")


def test_docs_shows_every_endpoint_with_its_parameters_and_a_curl_line(client, document: dict) -> None:
    response = client.get("/docs")
    page = response.text
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    assert '<html lang="zh-CN">' in page and "<main>" in page and "<nav" in page
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page), "nothing fetched from elsewhere"
    assert "<script" not in page
    sections = {match[1]: match[0] for match in re.finditer(r'<section class="endpoint" id="op-([a-z]+)".*?</section>',
                                                             page, re.S)}
    for path, method, operation in operations(document):
        section = sections[operation["operationId"]]
        assert f"<code>{path}</code>" in section and method.upper() in section
        for parameter in operation.get("parameters", ()):
            assert f"<code>{parameter['name']}</code>" in section
        for field in operation.get("requestBody", {}).get("content", {}).get("multipart/form-data", {}).get(
                "schema", {}).get("properties", ()):
            assert f"<code>{field}</code>" in section
        for status in operation["responses"]:
            assert f"<td>{status}</td>" in section
        assert "curl" in section and f"http://testserver{path}" in section
    for name in document["components"]["schemas"]:
        assert f'id="schema-{name}"' in page
    assert "-N" in sections["batch"] and "progress=1" in sections["batch"]
    assert "-o 结果.docx" in sections["audit"] and "-o 结果.xlsx" in sections["batch"]
