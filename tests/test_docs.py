"""The documentation comes from, or is checked against, what the code does:

- docs/dsl.md: every ```condition example parses and compiles; every function, scope and report
  variable is documented (and nothing that does not exist); the statement scopes and the cue lists
  they are read with are the ones the code has; the precedence table follows the
  grammar; rule snippets agree with rules/national.yaml; the local rule set example is the one
  tests/fixtures/rulesets/local_example.yaml loads.
- grammars/condition.lark: the examples in its header comment parse and compile.
- docs/rules.md: exactly what scripts/gen_rule_docs.py generates from rules/national.yaml now.
- README.md and docs/*.md: every relative link and image points at a file of this repository, every
  repository path they name in backticks exists, and the README's test command is the one .ci/run runs.
"""
from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from urllib.parse import unquote

import pytest
import yaml

from checker.condition.compiler import compile_condition
from checker.condition.functions import FUNCTIONS, LINK_CLAUSE, RATE_WINDOW, SCOPE_NAMES, VARIABLES
from checker.condition.parser import CHARACTER_HINTS, ERROR_CATALOG, ConditionSyntaxError, parse_condition
from checker.document.statements import STATEMENT_KINDS

REPO = Path(__file__).resolve().parents[1]
DSL = REPO / "docs" / "dsl.md"
RULES_DOC = REPO / "docs" / "rules.md"
GRAMMAR = REPO / "grammars" / "condition.lark"
NATIONAL = REPO / "rules" / "national.yaml"
VOCABULARY = REPO / "rules" / "vocabulary.yaml"
LOCAL_EXAMPLE = Path(__file__).resolve().parent / "fixtures" / "rulesets" / "local_example.yaml"

# What the examples may name: the national lexicon and the parameters national rules declare.
NATIONAL_DATA = yaml.safe_load(NATIONAL.read_text(encoding="utf-8"))
LEXICON = NATIONAL_DATA["lexicon"]
PARAMS = {"threshold": 100}


def dsl_text() -> str:
    return DSL.read_text(encoding="utf-8")


def fenced_blocks(text: str, info: str) -> list[str]:
    return re.findall(rf"^```{info}\n(.*?)^```", text, flags=re.MULTILINE | re.DOTALL)


def doc_conditions() -> list[str]:
    """Every condition in a ```condition block; blank lines separate conditions within a block."""
    return [part.strip() for block in fenced_blocks(dsl_text(), "condition")
            for part in re.split(r"\n\s*\n", block) if part.strip()]


def section(text: str, heading: str) -> str:
    """The text of a `## heading` section, up to the next `## `."""
    start = text.index(f"\n## {heading}\n")
    end = text.find("\n## ", start + 1)
    return text[start:end if end != -1 else None]


def compile_text(condition: str) -> None:
    compile_condition(parse_condition(condition), PARAMS, LEXICON)


# ---------------------------------------------------------------- docs/dsl.md

@pytest.mark.parametrize("condition", doc_conditions(), ids=lambda condition: condition.split("\n")[0][:40])
def test_dsl_example_compiles(condition: str) -> None:
    compile_text(condition)


def test_dsl_has_examples() -> None:
    assert len(doc_conditions()) >= len(FUNCTIONS)


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_every_function_documents_itself_with_an_example(name: str) -> None:
    assert FUNCTIONS[name].examples, f"the docstring of {name} in checker/condition/functions.py has no ```condition example"


def test_the_function_reference_is_generated_from_the_docstrings() -> None:
    assert load_generator().with_functions(dsl_text()) == dsl_text(), (
        "docs/dsl.md's functions differ from their docstrings: run python scripts/gen_rule_docs.py")


def test_no_function_documented_that_does_not_exist() -> None:
    documented = re.findall(r"^### `([a-z_]+)\(", dsl_text(), flags=re.MULTILINE)
    assert sorted(documented) == sorted(FUNCTIONS)


@pytest.mark.parametrize(("heading", "names"), [
    pytest.param("Scopes", SCOPE_NAMES, id="scopes"),
    pytest.param("Report variables", VARIABLES, id="variables"),
])
def test_every_name_is_documented(heading: str, names: dict) -> None:
    documented = re.findall(r"^\| `([a-z_]+)` \|", section(dsl_text(), heading), flags=re.MULTILINE)
    assert sorted(documented) == sorted(names)


def test_statements_are_documented() -> None:
    scopes = section(dsl_text(), "Scopes")
    assert "\n### Statements\n" in scopes, "no '### Statements' part in the Scopes section of docs/dsl.md"
    statements = scopes[scopes.index("\n### Statements\n"):]
    for kind in STATEMENT_KINDS:
        assert f"`{kind}`" in statements, kind
    vocabulary = yaml.safe_load(VOCABULARY.read_text(encoding="utf-8"))
    cue_lists = re.findall(r"`([a-z_]+_(?:openings|cues))`", statements)
    assert cue_lists, "the Statements part names no cue list of rules/vocabulary.yaml"
    assert [name for name in cue_lists if name not in vocabulary] == []


def test_variable_types_are_documented() -> None:
    labels = {"number": "number", "date": "date", "text": "text"}
    rows = dict(re.findall(r"^\| `([a-z_]+)` \| (\w+) \|", section(dsl_text(), "Report variables"), flags=re.MULTILINE))
    assert rows == {name: labels[kind] for name, (kind, _) in VARIABLES.items()}


def test_precedence_table_follows_the_grammar() -> None:
    grammar = "\n".join(line for line in GRAMMAR.read_text(encoding="utf-8").split("\n")
                        if not line.lstrip().startswith("//"))
    # Each grammar level is marked by the operator its aliased alternative carries.
    markers = {'"or"': "`or`", '"and"': "`and`", '"not"': "`not`", "COMPARATOR": "`==`", "ADDITIVE": "`+`"}
    grammar_order = sorted(markers, key=grammar.index)
    table = section(dsl_text(), "Operators and precedence")
    rows = [line for line in table.split("\n") if re.match(r"^\| \d \|", line)]

    def row_of(marker: str) -> int:
        return next(index for index, row in enumerate(rows) if markers[marker] in row.split("|")[2])
    assert sorted(markers, key=row_of) == grammar_order


def test_every_comparator_is_documented() -> None:
    comparators = re.search(r"^COMPARATOR: (.*)$", GRAMMAR.read_text(encoding="utf-8"), flags=re.MULTILINE).group(1)
    table = section(dsl_text(), "Operators and precedence")
    for operator in re.findall(r'"([^"]+)"', comparators):
        assert f"`{operator}`" in table


def error_table() -> dict[str, str]:
    rows = re.findall(r"^\| (.+?) \| `(.+)` \|$", section(dsl_text(), "Errors"), flags=re.MULTILINE)
    return dict(rows)


def test_every_error_label_is_documented() -> None:
    assert sorted(error_table()) == sorted([*ERROR_CATALOG, *CHARACTER_HINTS.values()])


@pytest.mark.parametrize("label", sorted([*ERROR_CATALOG, *CHARACTER_HINTS.values()]))
def test_documented_error_example_gets_its_label(label: str) -> None:
    example = error_table()[label]
    with pytest.raises(ConditionSyntaxError) as caught:
        parse_condition(example)
    assert caught.value.message == label


def test_rate_window_is_the_documented_one() -> None:
    text = dsl_text()
    rate = text[text.index("### `rate("):text.index("### `quantities(")]
    assert f"at most {RATE_WINDOW} characters" in rate
    assert f"short link of at most {LINK_CLAUSE} characters" in rate


def test_rule_snippets_agree_with_the_national_rules() -> None:
    rules = {rule["id"]: rule for rule in NATIONAL_DATA["rules"]}
    snippets = [block for block in fenced_blocks(dsl_text(), "yaml") if block.lstrip().startswith("- id:")]
    assert snippets, "docs/dsl.md shows no rule snippet"
    for snippet in snippets:
        (shown,) = yaml.safe_load(snippet)
        actual = rules[shown["id"]]
        for key, value in shown.items():
            assert actual.get(key) == value, f"docs/dsl.md shows {shown['id']}.{key} = {value!r}"


def test_local_rule_set_example_is_the_tested_fixture() -> None:
    text = section(dsl_text(), "Writing a local rule set")
    (example,) = [block for block in fenced_blocks(text, "yaml") if "extends:" in block]
    fixture = LOCAL_EXAMPLE.read_text(encoding="utf-8").split("\n")
    first = next(index for index, line in enumerate(fixture) if not line.startswith("#"))
    assert example == "\n".join(fixture[first:])


# ---------------------------------------------------------------- the grammar's own examples

def grammar_examples() -> list[str]:
    return [line[len("//     "):].strip() for line in GRAMMAR.read_text(encoding="utf-8").split("\n")
            if line.startswith("//     ")]


def test_grammar_has_header_examples() -> None:
    assert len(grammar_examples()) >= 3


@pytest.mark.parametrize("condition", grammar_examples(), ids=lambda condition: condition[:40])
def test_grammar_header_example(condition: str) -> None:
    compile_text(condition)


# ---------------------------------------------------------------- docs/rules.md

def load_generator():
    spec = importlib.util.spec_from_file_location("gen_rule_docs", REPO / "scripts" / "gen_rule_docs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_rules_doc_is_up_to_date() -> None:
    generated = load_generator().generate(NATIONAL)
    current = RULES_DOC.read_text(encoding="utf-8") if RULES_DOC.exists() else ""
    assert current == generated, "docs/rules.md is out of date: run python scripts/gen_rule_docs.py"


def test_rules_doc_names_every_rule_and_example(national) -> None:
    text = RULES_DOC.read_text(encoding="utf-8")
    for rule in national.rules:
        assert f'<a id="{rule.spec.id}"></a>' in text
        assert rule.spec.basis in text
        assert f"{rule.spec.id}-pass-1" in text


def test_rules_doc_conditions_are_the_rule_files(national) -> None:
    conditions = fenced_blocks(RULES_DOC.read_text(encoding="utf-8"), "condition")
    for rule in national.rules:
        for condition in (rule.spec.not_applicable, rule.spec.pass_, rule.spec.partial):
            if condition:
                assert condition.strip() + "\n" in conditions, rule.spec.id


def test_generator_check_mode(tmp_path: Path) -> None:
    generator = load_generator()
    stale = tmp_path / "rules.md"
    stale.write_text("old\n", encoding="utf-8")
    assert generator.main(["--check", "--output", str(stale)]) == 1
    assert generator.main(["--output", str(stale)]) == 0
    assert generator.main(["--check", "--output", str(stale)]) == 0


# ---------------------------------------------------------------- links in README.md and docs/*.md

DOCUMENTS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
INLINE_LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^()\s<>]+)>?(?:\s+(?:\"[^\"]*\"|'[^']*'))?\s*\)")
REFERENCE_LINK = re.compile(r"^ {0,3}\[[^\]]+\]:\s*<?([^\s<>]+)>?", re.MULTILINE)
HTML_LINK = re.compile(r"<(?:a|img|source)\b[^>]*?\b(?:href|src|srcset)\s*=\s*[\"']([^\"']+)[\"']", re.IGNORECASE)
EXTERNAL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//)", re.IGNORECASE)  # https:, mailto:, //host
FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})[^\n]*\n.*?^ {0,3}\1[^\n]*$", re.MULTILINE | re.DOTALL)
CODE_SPAN = re.compile(r"(`+)(?!`)(.+?)(?<!`)\1(?!`)", re.DOTALL)


def without_code_blocks(text: str) -> str:
    return FENCE.sub("", text)


def relative_links(text: str) -> list[str]:
    """The targets of the Markdown and HTML links and images outside code, without #fragment or ?query."""
    prose = CODE_SPAN.sub("", without_code_blocks(text))
    targets = [*INLINE_LINK.findall(prose), *REFERENCE_LINK.findall(prose), *HTML_LINK.findall(prose)]
    paths = [unquote(re.split(r"[#?]", target, maxsplit=1)[0]) for target in targets if not EXTERNAL.match(target)]
    return [path for path in paths if path]  # "#anchor" alone is a place in the same page


def broken_links(document: Path) -> list[str]:
    """Relative links that name no file or folder of the repository (a file outside it is not in a clone)."""
    broken = []
    for target in relative_links(document.read_text(encoding="utf-8")):
        resolved = (document.parent / target).resolve()
        if not resolved.is_relative_to(REPO) or not resolved.exists():
            broken.append(target)
    return broken


def test_the_link_checker_finds_what_it_should() -> None:
    text = """[a](docs/rules.md) ![b](docs/images/x%20y.png "t") [c](https://example.org/z.md) [d](#here)
[e](rules.md#part-measures) `[f](in-code.md)` <img src="pic.png" width="90"> [g][ref]

[ref]: ref.md

```bash
[h](in-a-fence.md)
```
"""
    assert relative_links(text) == ["docs/rules.md", "docs/images/x y.png", "rules.md", "ref.md", "pic.png"]


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda path: path.relative_to(REPO).as_posix())
def test_every_relative_link_points_at_a_file_of_the_repository(document: Path) -> None:
    assert broken_links(document) == [], f"{document.relative_to(REPO)} links files that are not in the repository"


# A path in backticks that starts with one of the repository's own folders (`checker/screen.py`,
# `rules/vocabulary.yaml`), or that names a Markdown document (`spec/catalog.md`), is a file a reader
# will look for in the repository; it must be there.
REPO_FOLDERS = sorted(path.name for path in REPO.iterdir()
                      if path.is_dir() and not path.name.startswith(".") and path.name not in {"venv", "build", "dist"}
                      and not path.name.endswith(".egg-info"))
REPO_PATH = re.compile(rf"^(?:(?:{'|'.join(map(re.escape, REPO_FOLDERS))})(?:/[\w.-]+)+\.\w+|[\w-][\w.-]*(?:/[\w.-]+)*\.md)$")


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda path: path.relative_to(REPO).as_posix())
def test_every_repository_file_named_in_backticks_exists(document: Path) -> None:
    spans = [span.strip() for _, span in CODE_SPAN.findall(without_code_blocks(document.read_text(encoding="utf-8")))]
    named = [span for span in spans if REPO_PATH.match(span)]
    assert [path for path in named if not (REPO / path).exists()] == [], (
        f"{document.relative_to(REPO)} names files that are not in the repository (link them, or name what is there)")


def test_the_readme_shows_the_xlsx_and_word_screenshots() -> None:
    images = [path for path in relative_links((REPO / "README.md").read_text(encoding="utf-8"))
              if path.endswith(".png")]
    assert {"docs/images/xlsx-summary.png", "docs/images/word-review.png"} <= set(images)
    for image in images:
        assert (REPO / image).stat().st_size < 300_000, f"{image} is too large for a README picture"


def test_the_readmes_test_command_is_the_one_ci_runs() -> None:
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8").split("\n")
    command = ci[ci.index("# The README's test command:") + 1].strip()
    assert command == ".venv/bin/python -m pytest -q"
    readme_blocks = [block.strip() for block in fenced_blocks((REPO / "README.md").read_text(encoding="utf-8"), "bash")]
    assert command in readme_blocks, "the README's quick start no longer shows the test command .ci/run runs"
