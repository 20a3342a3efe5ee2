"""fzcheck batch: score every report under some folders, rank them, and show which requirement
most of them miss.

Only the chosen format goes to stdout; the progress bar, notes and (for machine formats) the
one-line summary go to stderr.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import datetime
from itertools import chain
from pathlib import Path
from typing import Any, TextIO


from checker import __version__
from checker.baseline import Baseline, Comparison, load_baseline
from checker.batch import (POOL_THRESHOLD, Batch, BatchReport, Entry, FileError, Finished, Inputs, Outcome,
                           Scored, Spill, Tally, Work, default_jobs, find_inputs, rankings, scored, scoring)
from checker.cache import cache_dir
from checker.commands import EXIT_OK, EXIT_UNREADABLE
from checker.commands.common import (OutputError, add_glob_option, add_report_options, add_run_options, check_output, error, note,
                                     open_output, output_console, output_width, partial_path, positive_integer,
                                     ruleset_from, settings_from, stderr, waivers_from)
from checker.commands.common import console as pipe_console
from checker.commands.formats import BATCH, BY_NAME, add_format_option, refuse_terminal
from checker.commands.meta import read_meta
from checker.commands.progress import progress_bar
from checker.errors import UsageError
from checker.os_errors import explain
from checker.models import RuleSetRef
from checker.output import csv_format
from checker.output.batch_json import JsonLines, JsonReports, batch_json
from checker.output.batch_table import TableRows, by_rule_table, render_batch, summary_text
from checker.output.html_format import PAGE_TITLE, HtmlParts, batch_html
from checker.output.xlsx_format import XlsxParts, write_xlsx
from checker.output.safe_text import shown, shown_name, shown_outcome, shown_result
from checker.pipeline import STDIN, RunSettings
from checker.readers import SUPPORTED_SUFFIXES, UNREADABLE_REPORT_SUFFIXES
from checker.result_cache import ResultCache
from checker.ruleset import RuleSet
from checker.waivers import NO_WAIVERS, Waivers

HELP = "批量检查文件夹中的报告，按得分排名并汇总"
EPILOG = """输出顺序:
  table json html xlsx  政府、部门、类型未识别的报告分别排名（--rank-together 合并），按得分从高到低，
                   同分按文件路径，同分同名次；不是法治政府建设年度报告的文件另列，写明原因，
                   不计入排名、平均分和各项统计（xlsx 写入文件：-o FILE 或重定向，不写到终端）
  jsonl csv        按文件路径顺序，边检查边写出（适合大批量）
  无论 --jobs 多少，输出都相同。

退出码 (exit codes):
  0  所有文件都已检查，包括文件夹里没有可检查的文件 (every input was checked; an empty folder too)
  2  用法、规则集或基线文件错误，或 --output 指向输入文件 (usage, rule-file or baseline error)
  3  有文件无法读取或检查：不存在的路径、损坏的文件、无法列出的目录；其余文件照常检查和输出
     (some input could not be read; the others are still checked and reported)
"""
RESULTS_FOLDER = "results"
"""Where in the cache folder (checker.cache, which keeps compiled rule sets there) results go."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    suffixes = " ".join(SUPPORTED_SUFFIXES)
    unreadable = " ".join(UNREADABLE_REPORT_SUFFIXES[:4])
    parser.add_argument("paths", nargs="*", metavar="PATH",
                        help=f"文件夹或文件。文件夹递归查找 {suffixes} 文件，跳过隐藏文件和目录、Word 临时文件（~$）、"
                             f"指向目录的符号链接；{unreadable} 等无法读取的报告格式也列出，记为错误行。"
                             "直接列出的文件总会检查；不存在或无法读取的路径记为错误行（退出码 3）。"
                             "不从标准输入读报告：文件名列表用 --files-from -")
    parser.add_argument("--files-from", metavar="FILE", dest="files_from",
                        help="从文件读入要检查的路径，每行一个（UTF-8；空行和首尾空格忽略；相对路径相对于当前目录），"
                             "- 表示标准输入，如 ls *.txt | fzcheck batch --files-from -。"
                             "每个路径与写在命令行上的一样处理，可与 PATH 同时使用")
    add_glob_option(parser)
    parser.add_argument("--jobs", "-j", type=positive_integer, metavar="N",
                        help=f"并行进程数（默认：CPU 核数，文件少于 {POOL_THRESHOLD} 个时为 1；1 表示在本进程内逐个检查）")
    add_format_option(parser, BATCH, note="。table json html xlsx 按得分排名；jsonl csv 按文件路径顺序边检查边写出")
    parser.add_argument("--csv-layout", choices=("long", "wide"), default="long", dest="csv_layout",
                        help="--format csv 的布局：long（默认）每份报告每个检查项一行；"
                             "wide 每份报告一行，每个检查项编号一列（其结果：pass/partial/fail/not_applicable，"
                             "豁免的项为 waived），便于 pandas、Stata")
    parser.add_argument("--output", "-o", metavar="FILE",
                        help="写入文件而不是标准输出（写完才替换目标文件，设备和管道直接写入；不能是输入文件；jsonl csv 中断时已写出的结果保存为 FILE.partial）")
    parser.add_argument("--rank-together", action="store_true", dest="rank_together",
                        help="政府和部门合并排名（默认分别排名：县级政府与其所属部门不相互比较）。"
                             "不是法治政府建设年度报告的文件（如政府工作报告、通知）总是另列，不参与排名和平均分")
    parser.add_argument("--title", metavar="TEXT", help=f"--format html 页面的标题（默认：{PAGE_TITLE}）")
    parser.add_argument("--by-rule", action="store_true",
                        help="统计每个检查项达标、部分达标、未达标、不适用的报告数，未达标最多的在前"
                             "（json 和 html 总是包含）")
    parser.add_argument("--baseline", metavar="JSON",
                        help="与先前 audit 或 batch 的 JSON/JSONL 结果比较得分和各项结果"
                             "（按文件路径、文件名、主体+类型匹配）")
    parser.add_argument("--resume", action="store_true",
                        help="继续一次中断的 --format jsonl -o FILE：FILE 和 FILE.partial 中已有的报告保留并跳过，"
                             "只检查其余文件（错误行、用其他规则集或其他 fzcheck 版本评出的行重新检查）")
    parser.add_argument("--no-cache", action="store_true",
                        help="不使用结果缓存（默认保存每份报告的结果，再次运行时路径、内容、规则集、fzcheck 版本和读取选项都未变的文件不再检查）")
    parser.add_argument("--cache-dir", metavar="DIR",
                        help=f"缓存目录，结果保存在其中的 {RESULTS_FOLDER}/ 子目录（默认 {cache_dir() or '无'}；"
                             f"删除 {RESULTS_FOLDER}/ 即清空结果缓存）")
    add_report_options(parser, fill_in=True)
    parser.add_argument("--meta", metavar="CSV",
                        help="逐个文件给出年度、发布日期、类型的 CSV（UTF-8，可带 BOM）：列名 file,year,published,kind"
                             "（或 文件,年度,发布日期,类型），空单元格表示不指定；file 为传给 batch 的路径或相对于 CSV 所在目录的路径；"
                             "kind 为 government/department/政府/部门。这些值覆盖该文件中识别出的值；"
                             "有误的行（找不到的文件、错误的年份/日期/类型）报告行号，不开始检查（退出码 2）")
    add_run_options(parser)
    parser.set_defaults(usage_error=parser.error)  # no PATH and no --files-from: argparse's usage and exit 2


def _listed(source: str) -> list[str]:
    """The paths of a --files-from list: one a line, blank lines and the spaces around a path
    left out. A list that is not UTF-8 (a `dir /b > list.txt` in a GBK console) is refused with
    its first bad line, rather than read as names no file has."""
    name = "标准输入" if source == STDIN else source
    try:
        data = sys.stdin.buffer.read() if source == STDIN else Path(source).read_bytes()
    except IsADirectoryError:
        raise UsageError(f"--files-from {source}：这是文件夹，不是文件列表（检查文件夹直接写 fzcheck batch {source}）") from None
    except OSError as problem:
        raise UsageError(f"--files-from {name}：无法读取：{explain(problem)}") from None
    try:
        text = data.decode("utf-8-sig")  # Notepad's UTF-8 starts with a BOM
    except UnicodeDecodeError as problem:
        line = data.count(b"\n", 0, problem.start) + 1
        raise UsageError(f"--files-from {name}：第 {line} 行不是 UTF-8 文本；文件列表应为 UTF-8 编码，每行一个路径"
                         "（请另存为 UTF-8）") from None
    paths = []
    for number, line in enumerate(text.split("\n"), 1):
        path = line.strip()
        if path == STDIN:
            raise UsageError(f"--files-from {name}：第 {number} 行是 -；列表中的每一行应为文件或文件夹的路径")
        if "\0" in path:
            raise UsageError(f"--files-from {name}：第 {number} 行含有 NUL 字符；文件列表应每行一个路径")
        if path:
            paths.append(path)
    return paths


def run(args: argparse.Namespace) -> int:
    if STDIN in args.paths:
        raise UsageError("batch 不从标准输入读报告；要从标准输入读入文件列表，请用 --files-from -"
                         "（如 ls *.txt | fzcheck batch --files-from -）；检查一份来自标准输入的报告用 fzcheck audit -")
    refuse_terminal(args.format, args.output)
    if args.title is not None and args.format != "html":
        raise UsageError("--title 只用于 --format html")
    if not args.paths and args.files_from is None:
        args.usage_error("请给出要检查的文件夹或文件（PATH），或用 --files-from FILE 给出文件列表")
    paths = [*args.paths, *(_listed(args.files_from) if args.files_from is not None else ())]
    ruleset = ruleset_from(args)
    waivers = waivers_from(args, ruleset)
    baseline = load_baseline(args.baseline) if args.baseline else None
    inputs = find_inputs(paths, args.glob or ())
    note(args, f"找到 {len(inputs.files)} 个文件" + (f"，{len(inputs.errors)} 个路径无法读取" if inputs.errors else ""))
    per_file = read_meta(args.meta, inputs.files) if args.meta else {}
    _check_output(args.output, inputs)
    kept, stale = _finished(args, ruleset) if args.resume else ({}, 0)
    todo = [(path, size) for path, size in zip(inputs.files, inputs.sizes) if shown_name(path) not in kept]
    files, sizes = [path for path, _ in todo], [size for _, size in todo]
    if (kept or stale) and not args.quiet:
        again = f"；{stale} 份是用其他规则集或其他 fzcheck 版本评出的，重新检查" if stale else ""
        stderr.print(f"跳过输出中已有的 {len(inputs.files) - len(files)} 份报告{again}", highlight=False)
    if not inputs.files and not args.quiet:
        stderr.print(f"没有找到可检查的文件（支持 {' '.join(SUPPORTED_SUFFIXES)}）", highlight=False)
    settings = settings_from(args, fill_in=True)
    # What the format renders of a report, in the worker that scored it; the baseline columns are
    # there with --baseline even on reports that no baseline report matched.
    finish = _Finish(RENDERERS[args.format](baseline is not None, args, ruleset), baseline, waivers)
    cache = _result_cache(args, ruleset, settings)
    tally = Tally([(rule.spec.id, shown(rule.spec.title)) for rule in ruleset.rules])
    with scoring(files, ruleset, Work(finish, settings, cache, per_file), args.jobs or default_jobs(len(files)), sizes) as batch:
        finished = chain(map(finish, inputs.errors), _with_progress(batch, len(files), args.quiet))
        if BY_NAME[args.format].streamed:
            _stream(args, finished, tally, finish.render, kept.values())
        else:
            with Spill() as reports:
                ranked = _collect(finished, tally, reports, ruleset, args.baseline, args.rank_together)
                DOCUMENT_WRITERS[args.format](args, ranked, ruleset)
    _report_to_stderr(args, tally)
    _note_unused(args, waivers, tally)
    return EXIT_UNREADABLE if tally.errors else EXIT_OK


def _result_cache(args: argparse.Namespace, ruleset: RuleSet, settings: RunSettings) -> ResultCache | None:
    """The results of earlier runs, in the folder the rule-set cache uses (checker.cache)."""
    folder = None if args.no_cache else Path(args.cache_dir) if args.cache_dir else cache_dir()
    if folder is None:
        return None
    cache = ResultCache(folder / RESULTS_FOLDER, ruleset, settings)
    cache.prune()
    return cache


def _csv_rows(baseline: bool, args: argparse.Namespace | None, ruleset: RuleSet | None):
    if args is not None and ruleset is not None and getattr(args, "csv_layout", "long") == "wide":
        return csv_format.CsvWideRows(tuple(rule.spec.id for rule in ruleset.rules), baseline)
    return csv_format.CsvRows(baseline)


RENDERERS: dict[str, Callable[..., Callable[[Outcome, Comparison | None], Any]]] = {
    "table": lambda baseline, *_: TableRows(baseline), "json": lambda *_: JsonReports(), "jsonl": lambda *_: JsonLines(),
    "csv": _csv_rows, "html": lambda baseline, *_: HtmlParts(baseline), "xlsx": lambda baseline, *_: XlsxParts(baseline),
}
"""Each format's worker-side renderer, from (baseline, args, rule set)."""


@dataclass(frozen=True)
class _Finish:
    """A file's outcome with the waivers applied, made what every format may show (`shown_outcome`),
    compared with the baseline and rendered. It runs in the worker that scored the file, so that
    the parent, which shares the cores with the workers, only writes and tallies; it runs on what
    the result cache gives too, which keeps results without waivers (see checker/waivers.py)."""

    render: Callable[[Outcome, Comparison | None], Any]
    baseline: Baseline | None = None
    waivers: Waivers = NO_WAIVERS

    def __call__(self, outcome: Outcome) -> Finished:
        if isinstance(outcome, FileError):
            shown_error = shown_outcome(outcome)
            return shown_error, self.render(shown_error, None)
        shown_one = shown_result(self.waivers.apply(outcome))
        comparison = self.baseline.compare(shown_one) if self.baseline else None
        return scored(shown_one, comparison), self.render(shown_one, comparison)


def _check_output(destination: str | None, inputs: Inputs) -> None:
    """`check_output`, with the inputs compared by one stat of the target rather than a real path
    per input, which takes seconds on 100,000 files."""
    if destination not in (None, "-") and inputs.include(destination):
        raise OutputError(f"{destination}：输出文件不能是输入文件")
    check_output(destination, ())


def _with_progress(batch: Batch, total: int, quiet: bool) -> Iterator[Finished]:
    with progress_bar(total, quiet) as advance:
        yield from batch.results(advance)


def _collect(finished: Iterable[Finished], tally: Tally, reports: Spill, ruleset: RuleSet,
             baseline: str | None, together: bool = False) -> BatchReport:
    """Tally every record and spill every report's rendered pieces; in memory stay what ranking
    needs (its score, file name, kind and whether it is a report at all)."""
    entries: list[Entry] = []
    for record, output in finished:
        tally.add(record)
        if isinstance(record, Scored):
            entries.append(Entry(record.score, record.file, record.kind, record.not_a_report is None))
            reports.append(output)
    ranked, apart = rankings(entries, together)
    return BatchReport(RuleSetRef(id=ruleset.id, version=ruleset.version, sha256=ruleset.digest), ruleset.title,
                       ranked, apart, tally.errors, tally.summary(), reports, baseline)


def _finished(args: argparse.Namespace, ruleset: RuleSet) -> tuple[dict[str, str], int]:
    """--resume: the report lines already written, by file, and how many were scored by another
    rule set (its digest, which --select and --ignore change too) or fzcheck version: those are
    scored again, as error rows are, so one output never mixes two scorings. A line cut off when
    the run was stopped is not a finished one."""
    if args.format != "jsonl" or args.output in (None, "-"):
        raise OutputError("--resume 只用于 --format jsonl -o FILE")
    lines: dict[str, str] = {}
    stale: set[str] = set()
    for candidate in (Path(args.output), partial_path(args.output)):
        try:
            text = candidate.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            continue
        except OSError as problem:
            raise OutputError(f"{candidate}：无法读取：{explain(problem)}") from None
        for line in text.splitlines():
            with suppress(ValueError):
                data = json.loads(line)
                if isinstance(data, dict) and isinstance(data.get("file"), str) and "score" in data:
                    scored_alike = (isinstance(data.get("ruleset"), dict) and data["ruleset"].get("sha256") == ruleset.digest
                                    and data.get("fzcheck") == __version__)
                    if scored_alike:
                        lines.setdefault(data["file"], line)
                    else:
                        stale.add(data["file"])
    return lines, len(stale - set(lines))


def _stream(args: argparse.Namespace, finished: Iterable[Finished], tally: Tally,
            render: JsonLines | csv_format.CsvRows | csv_format.CsvWideRows, kept: Iterable[str] = ()) -> None:
    with open_output(args.output, BY_NAME[args.format].encoding, keep_partial=True) as stream:
        stream.writelines(line + "\n" for line in kept)
        stream.write(render.header())
        for record, output in finished:
            tally.add(record)
            stream.write(output)
            stream.flush()  # a reader of the pipe sees each report as soon as it is scored
    if args.resume:
        partial_path(args.output).unlink(missing_ok=True)  # now all in the output


def _table_document(args: argparse.Namespace, report: BatchReport, ruleset: RuleSet) -> None:
    if not report.summary.files:
        return  # the note on stderr says there was nothing to check; an empty table adds nothing
    with _document_output(args.output) as stream:
        console = output_console(None) if stream is sys.stdout else pipe_console(file=stream, width=output_width(),
                                                                                 color_system=None)
        render_batch(report, console, args.by_rule)


def _json_document(args: argparse.Namespace, report: BatchReport, ruleset: RuleSet) -> None:
    with _document_output(args.output) as stream:
        for piece in batch_json(report):
            stream.write(piece)


def _html_document(args: argparse.Namespace, report: BatchReport, ruleset: RuleSet) -> None:
    with _document_output(args.output) as stream:
        for piece in batch_html(report, ruleset, datetime.now().astimezone(), args.title):
            stream.write(piece)


def _xlsx_document(args: argparse.Namespace, report: BatchReport, ruleset: RuleSet) -> None:
    with open_output(args.output) as stream:
        write_xlsx(report, ruleset, stream.buffer)
        stream.buffer.flush()


DOCUMENT_WRITERS = {"table": _table_document, "json": _json_document, "html": _html_document, "xlsx": _xlsx_document}
"""How each ranked format (not `streamed`) is written once every report is scored and ranked."""


@contextmanager
def _document_output(destination: str | None) -> Iterator[TextIO]:
    """stdout itself (a caller that redirected it to a StringIO gets the text), or `open_output`."""
    if destination is None or destination == "-":
        yield sys.stdout
        sys.stdout.flush()
        return
    with open_output(destination) as stream:
        yield stream


def _note_unused(args: argparse.Namespace, waivers: Waivers, tally: Tally) -> None:
    """A waiver that excused nothing in a whole batch: mistyped selectors, or no longer needed."""
    if args.quiet:
        return
    for entry in waivers.unused(tally.waivers_used):
        stderr.print(shown_name(f"豁免 {entry.waiver.source}（规则 {entry.spec.rule}）没有用于任何报告：没有符合条件的报告，"
                                "或符合的报告该项没有不足，或该规则未检查"), markup=False, highlight=False, soft_wrap=True)


def _report_to_stderr(args: argparse.Namespace, tally: Tally) -> None:
    """Bugs always, with their traceback; the summary when stdout carries something else."""
    for problem in tally.errors:
        if problem.traceback:
            error(f"{problem.file}：{problem.error}（这是 fzcheck 的缺陷，报告问题时请附上以下信息）")
            stderr.print(problem.traceback, markup=False, highlight=False)
    if args.quiet or (args.format == "table" and not args.output):
        return
    summary = tally.summary()
    stderr.print(summary_text(summary), soft_wrap=True)  # one line, whatever the width: a log reads it whole
    if args.by_rule and BY_NAME[args.format].streamed:
        stderr.print(by_rule_table(summary))
