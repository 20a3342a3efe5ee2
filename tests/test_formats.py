"""The registry of output formats (issue 10, "the output layer's shape"): every command offers
exactly the formats the registry gives it, has a writer for each, and says in --help what each is."""
from __future__ import annotations

import contextlib
import io

import pytest

from checker.cli import main
from checker.commands import audit, batch, precheck
from checker.commands.formats import AUDIT, BATCH, BY_NAME, PRECHECK, formats_of


@pytest.mark.parametrize(("command", "writers"), [(AUDIT, audit.WRITERS), (PRECHECK, precheck.WRITERS),
                                                  (BATCH, batch.RENDERERS)])
def test_every_format_a_command_offers_has_its_writer_and_no_other(command: str, writers: dict) -> None:
    assert set(writers) == {item.name for item in formats_of(command)}


def test_batch_writes_the_ranked_formats_at_the_end_and_the_streamed_ones_as_they_come() -> None:
    assert set(batch.DOCUMENT_WRITERS) == {item.name for item in formats_of(BATCH) if not item.streamed}


@pytest.mark.parametrize("command", [AUDIT, BATCH, PRECHECK])
def test_the_help_lists_each_format_with_what_it_is(command: str) -> None:
    text = io.StringIO()
    with contextlib.redirect_stdout(text), pytest.raises(SystemExit):
        main([command, "--help"])
    flat = "".join(text.getvalue().split())
    for item in formats_of(command):
        assert f"{item.name}：{''.join(item.summary.split())}" in flat


@pytest.mark.parametrize(("command", "name"), [(AUDIT, "docx"), (BATCH, "xlsx")])
def test_a_binary_format_is_refused_on_a_terminal_with_a_file_name_to_use(command: str, name: str, monkeypatch,
                                                                          capsys, tmp_path) -> None:
    monkeypatch.setattr("sys.stdout.isatty", lambda: True, raising=False)
    report = tmp_path / "r.txt"
    report.write_text("云溪县2024年法治政府建设情况报告\n", encoding="utf-8")
    assert main([command, str(report), "--format", name]) == 2
    err = capsys.readouterr().err
    assert BY_NAME[name].binary and BY_NAME[name].example in err and len(err.strip().splitlines()) == 1
