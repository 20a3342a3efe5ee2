"""Word 97–2003 .doc and WPS Office .wps, read through a converter installed on the machine.

What these files are, from their first bytes (the suffix is only a hint):

* An OLE compound file (D0 CF 11 E0 …) with a `WordDocument` stream: Word 97–2003, and what
  Kingsoft WPS Writer saves as .wps (the Word binary format plus extensions of its own, which
  the converters skip). Read by LibreOffice, antiword or catdoc.
* An OLE file with a `CONTENTS` stream and no `WordDocument`: a Microsoft Works 4–9 .wps. Only
  LibreOffice reads it (libwps); antiword and catdoc do not.
* A zip with `word/document.xml` (a .docx renamed .doc) or an HTML page saved as .doc, as
  portals serve them: read by the .docx or HTML reader. RTF or Word 2003 XML under a .doc name:
  LibreOffice when it is installed. Anything else (a spreadsheet, a DOS-era file, a damaged or
  password-protected one) is refused in one line that says what to do.

The converters, best first, as measured on Chinese reports (LibreOffice 7.4, antiword 0.37,
catdoc 0.95):

1. LibreOffice (`soffice --headless --convert-to docx`), its .docx then read by the .docx
   reader: heading styles, Word's automatic numbering (一、（一）) and tables come through as
   they do from a .docx, so the verdicts are the same. About a second a file.
2. antiword `-m UTF-8.txt` (without it the output follows the locale: "?" for every Chinese
   character under LANG=C; catdoc's `-d utf-8` likewise): the text exact, tables as
   "|cell |cell |" rows, headers and footers left out; automatic numbers are lost, and some
   files it refuses ("text stream … too small").
3. catdoc `-d utf-8`: the text exact, but headers and footers come at the end of the text and
   automatic numbers are lost.

antiword and catdoc write a character outside the BMP (生僻字 such as 𡒄) as two UTF-8-encoded
surrogates (CESU-8); those are joined back into the character.

Every converter runs without a shell, on an absolute path (a name starting with "-" cannot be
taken for an option), with the input's remaining time as its timeout, its output held to the
text limit, in a private temporary folder that is always removed, in a process group of its
own that is killed when the read ends, however it ends (the per-file alarm of
`checker.pipeline` included). LibreOffice gets a copy of the input in that folder and
a user profile of its own, so nothing is written beside the user's file and a LibreOffice the
user has open is not disturbed.
"""
from __future__ import annotations

import os
import re
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, replace
from pathlib import Path

from checker.readers import ReadError, ReadLimits, Source, over_limit
from checker.readers.text import tidy_text

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
CELL_SEPARATOR = " | "  # as the .docx and HTML readers join a table row
_STDERR_KEPT = 64 * 1024
_POLL_SECONDS = 0.05
_RESAVE = "用 WPS/Word 另存为 .docx"


# --- what the file is ----------------------------------------------------------------------


@dataclass(frozen=True)
class Kind:
    name: str
    """word | works | rtf | wordxml (read by converters) | docx | html (by those readers) | unknown"""
    encrypted: bool = False
    note: str = ""
    """What the bytes show, for the message."""


def sniff(path: Path, name: str) -> Kind:
    with path.open("rb") as handle:
        head = handle.read(4096)
        if head.startswith(OLE_MAGIC[:4]):  # the rest of the signature is checked with the header
            try:
                streams = _ole_streams(handle)
            except (ValueError, struct.error, OSError) as exc:
                raise ReadError(name, f"文件已损坏或不完整（OLE 复合文档：{exc}）；请{_RESAVE} / damaged OLE file") from None
            return _ole_kind(handle, streams, name)
    if head.startswith(b"PK\x03\x04"):
        if b"word/" in head or _zip_has(path, "word/document.xml"):
            return Kind("docx")
        return Kind("unknown", note="zip 压缩包，不是 Word 文件")
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith(b"{\\rtf"):
        return Kind("rtf", note="RTF 文件")
    if start.startswith((b"<!doctype html", b"<html")) or (start.startswith(b"<?xml") and b"<html" in start):
        return Kind("html")
    if start.startswith(b"<?xml"):
        return Kind("wordxml", note="XML 文件（Word 2003 XML）") if b"wordDocument" in head else Kind("unknown", note="XML 文件")
    if start.startswith(b"mime-version:"):
        return Kind("unknown", note="MHT 网页存档")
    return Kind("unknown", note="不是 OLE 复合文档")


def _zip_has(path: Path, member: str) -> bool:
    import zipfile

    try:
        with zipfile.ZipFile(path) as package:
            return member in package.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False


_NOT_DOCUMENTS = {"workbook": "Excel 或 WPS 表格文件", "book": "Excel 表格文件",
                  "powerpoint document": "PowerPoint 或 WPS 演示文件"}


def _ole_kind(handle, streams: dict[str, tuple[int, int]], name: str) -> Kind:
    lowered = {stream.lower() for stream in streams}
    if "worddocument" in lowered:
        start, size = next(value for key, value in streams.items() if key.lower() == "worddocument")
        encrypted = _fib_encrypted(handle, start, size)
        if encrypted is None:
            raise ReadError(name, f"文件已损坏：Word 文件头（FIB）无效；请{_RESAVE} / damaged .doc")
        return Kind("word", encrypted=encrypted)
    if "encryptedpackage" in lowered:  # a password-protected .docx is an OLE file too
        return Kind("word", encrypted=True)
    if "contents" in lowered:
        return Kind("works", note="Microsoft Works 文档")
    for stream, what in _NOT_DOCUMENTS.items():
        if stream in lowered:
            raise ReadError(name, f"这是{what}，不是文字报告 / not a word-processor document")
    return Kind("unknown", note="OLE 复合文档中没有 WordDocument")


def _fib_encrypted(handle, start: int, size: int) -> bool | None:
    """The FIB's fEncrypted (or fObfuscated) flag, at the start of the WordDocument stream when it
    lies in ordinary sectors (it is never shorter than 4096 bytes in a real Word file); None when
    the FIB is not there (its wIdent is 0xA5EC from Word 97 on, WPS included, 0xA5DC in Word 6–95)."""
    if size < 4096:
        return False
    handle.seek(0)
    header = handle.read(512)
    shift = struct.unpack_from("<H", header, 30)[0]
    handle.seek((start + 1) << shift)
    fib = handle.read(12)
    if len(fib) < 12 or fib[:2] not in (b"\xec\xa5", b"\xdc\xa5"):
        return None
    flags = struct.unpack_from("<H", fib, 10)[0]
    return bool(flags & 0x0100) or bool(flags & 0x8000)


def _ole_streams(handle) -> dict[str, tuple[int, int]]:
    """The stream names of an OLE compound file (MS-CFB), each with its first sector and size.

    Only the header, the FAT and the directory are read, each sector once, every chain held to
    the sectors the file has: a damaged or hostile file raises ValueError, never loops."""
    handle.seek(0, 2)
    file_size = handle.tell()
    handle.seek(0)
    header = handle.read(512)
    if len(header) < 512 or not header.startswith(OLE_MAGIC):
        raise ValueError("文件头不完整")
    shift = struct.unpack_from("<H", header, 30)[0]
    if shift not in (9, 12):
        raise ValueError(f"扇区大小 2^{shift}")
    sector = 1 << shift
    sectors = max(0, (file_size - sector) // sector + (1 if (file_size - sector) % sector else 0))
    fat_count, first_dir = struct.unpack_from("<II", header, 44)
    first_difat, difat_count = struct.unpack_from("<II", header, 68)
    if fat_count > sectors:
        raise ValueError("FAT 扇区数超出文件")

    def read_sector(number: int) -> bytes:
        if number >= sectors:
            raise ValueError(f"扇区 {number} 超出文件")
        handle.seek((number + 1) << shift)
        data = handle.read(sector)
        if len(data) < sector:
            data += b"\0" * (sector - len(data))  # a last sector cut short
        return data

    fat_sectors = [n for n in struct.unpack_from("<109I", header, 76) if n < 0xFFFFFFFA]
    next_difat, seen = first_difat, 0
    while next_difat < 0xFFFFFFFA and len(fat_sectors) < fat_count:
        seen += 1
        if seen > difat_count or seen > sectors:
            raise ValueError("DIFAT 链循环")
        entries = struct.unpack(f"<{sector // 4}I", read_sector(next_difat))
        fat_sectors += [n for n in entries[:-1] if n < 0xFFFFFFFA]
        next_difat = entries[-1]
    fat: list[int] = []
    for number in fat_sectors[:fat_count]:
        fat += struct.unpack(f"<{sector // 4}I", read_sector(number))

    streams: dict[str, tuple[int, int]] = {}
    current, visited = first_dir, set()
    while current < 0xFFFFFFFA:
        if current in visited or current >= len(fat):
            raise ValueError("目录链损坏")
        visited.add(current)
        data = read_sector(current)
        for offset in range(0, sector, 128):
            entry = data[offset:offset + 128]
            length = struct.unpack_from("<H", entry, 64)[0]
            kind = entry[66]
            if kind == 2 and 2 <= length <= 64:
                stream = entry[:length - 2].decode("utf-16-le", errors="replace")
                start, size = struct.unpack_from("<IQ", entry, 116)
                streams.setdefault(stream, (start, size))
        current = fat[current]
    if not visited:
        raise ValueError("没有目录")
    return streams


# --- the converters ------------------------------------------------------------------------


@dataclass(frozen=True)
class Converter:
    name: str
    program: str
    kinds: frozenset[str]


def _find_soffice() -> str | None:
    for program in ("soffice", "libreoffice"):
        found = shutil.which(program)
        if found:
            return found
    if sys.platform == "darwin":
        candidates = ["/Applications/LibreOffice.app/Contents/MacOS/soffice"]
    elif os.name == "nt":
        candidates = [os.path.join(os.environ.get(var, ""), "LibreOffice", "program", "soffice.exe")
                      for var in ("ProgramFiles", "ProgramFiles(x86)") if os.environ.get(var)]
    else:
        candidates = []
    return next((candidate for candidate in candidates if os.path.isfile(candidate)), None)


def available_converters() -> list[Converter]:
    """The converters installed here, best first (see the module's docstring)."""
    found: list[Converter] = []
    soffice = _find_soffice()
    if soffice:
        found.append(Converter("LibreOffice", soffice, frozenset({"word", "works", "rtf", "wordxml"})))
    for program in ("antiword", "catdoc"):
        path = shutil.which(program)
        if path:
            found.append(Converter(program, path, frozenset({"word"})))
    return found


def install_hint(libreoffice: bool = False) -> str:
    """The command that installs a converter on this system."""
    if os.name == "nt":
        return "安装 LibreOffice"
    if sys.platform == "darwin":
        return "brew install --cask libreoffice" if libreoffice else "brew install antiword"
    return "sudo apt install libreoffice-writer" if libreoffice else "sudo apt install antiword"


# --- reading -------------------------------------------------------------------------------


def read(path: Path, limits: ReadLimits = ReadLimits()) -> Source:
    name = str(path)
    suffix = path.suffix.lower()
    label = suffix.lstrip(".") or "doc"
    end = time.monotonic() + limits.max_seconds
    kind = sniff(path, name)
    if kind.encrypted:
        raise ReadError(name, "文件设有打开密码，无法读取：请在 WPS/Word 中取消密码后另存为 .docx / password-protected")
    if kind.name == "docx":
        from checker.readers import docx

        return docx.read(path, limits)
    if kind.name == "html":
        from checker.readers import html

        if path.stat().st_size > limits.max_text:
            raise over_limit(name, "文件大小", limits.max_text / 1_000_000, "MB ", "MB")
        return html.read(path, limits)

    converters = [c for c in available_converters() if kind.name in c.kinds]
    if not converters:
        raise ReadError(name, _no_converter(kind, suffix))
    failures: list[str] = []
    with tempfile.TemporaryDirectory(prefix="fzcheck-", ignore_cleanup_errors=True) as private:
        for converter in converters:
            work = Path(tempfile.mkdtemp(prefix=converter.name.lower() + "-", dir=private))
            try:
                if converter.name == "LibreOffice":
                    source = _via_libreoffice(converter, path, work, name, limits, end)
                else:
                    source = _via_text_converter(converter, path, work, name, limits, end)
            except _ConverterFailed as failed:
                failures.append(failed)
                continue
            return replace(source, path=name, format=label)
    if all(failed.empty for failed in failures):
        raise ReadError(name, _NO_TEXT)
    listed = "，".join(f"{failed.tool}（{failed}）" for failed in failures)
    raise ReadError(name, f"无法转换：{listed}；文件可能已损坏，请{_RESAVE} / conversion failed")


def _no_converter(kind: Kind, suffix: str) -> str:
    if kind.name == "works":
        return (f"这是 Microsoft Works 的 .wps 文件，只有 LibreOffice 能读：请安装（{install_hint(True)}）"
                f"或{_RESAVE} / Microsoft Works file: needs LibreOffice")
    if kind.name in ("rtf", "wordxml"):
        return (f"内容是{kind.note}，不是 Word 97–2003 格式，只有 LibreOffice 能读：请安装（{install_hint(True)}），"
                f"或{_RESAVE} / {kind.name} under a {suffix} name: needs LibreOffice")
    if kind.name == "unknown":
        what = "WPS 文字或 Word 97–2003 格式" if suffix == ".wps" else "Word 97–2003 格式"
        return f"内容不是 {what}（{kind.note}），无法读取：请{_RESAVE} / not a Word 97-2003 file"
    return (f"读取 {suffix} 需要 antiword、catdoc 或 LibreOffice，本机都没有：请安装（{install_hint()}），"
            f"或{_RESAVE} / no {suffix} converter installed")


class _ConverterFailed(Exception):
    """This converter could not read the file; the next one may."""

    def __init__(self, tool: str, message: str, empty: bool = False) -> None:
        super().__init__(message)
        self.tool = tool
        self.empty = empty
        """It ran to the end without an error and found no text: the file may be pictures only."""


_NO_TEXT = "Word 文件中没有文字（只有图片或扫描件？），无法检查 / no text in the file (pictures only?)"


def _via_text_converter(converter: Converter, path: Path, work: Path, name: str,
                        limits: ReadLimits, end: float) -> Source:
    target = os.path.abspath(path)  # absolute: a name starting with "-" stays a file name
    if converter.name == "antiword":
        argv = [converter.program, "-m", "UTF-8.txt", "-w", "0", target]
    else:
        argv = [converter.program, "-d", "utf-8", "-w", target]
    out, err, code = run_converter(argv, work, name, converter.name, limits, end, max_stdout=4 * limits.max_text + 4)
    text, replaced = decode_utf8(out)
    if code != 0:
        raise _ConverterFailed(converter.name, _first_line(err, target) or f"退出码 {code}")
    lines = antiword_lines(text) if converter.name == "antiword" else catdoc_lines(text)
    if not any(line.strip() for line in lines):
        problem = _first_line(err, target)
        raise _ConverterFailed(converter.name, problem or "没有输出文字", empty=not problem)
    return Source(path=name, text=tidy_text("\n".join(lines)), format="doc", replaced_characters=replaced)


def _via_libreoffice(converter: Converter, path: Path, work: Path, name: str,
                     limits: ReadLimits, end: float) -> Source:
    from checker.readers import docx

    inbox, outbox, profile = work / "in", work / "out", work / "profile"
    for folder in (inbox, outbox, profile):
        folder.mkdir()
    copy = inbox / ("input" + path.suffix.lower())  # a plain name: no lock file beside the user's, no odd characters
    shutil.copyfile(path, copy)
    argv = [converter.program, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--invisible",
            "--norestore", "--nologo", "--nolockcheck", "--convert-to", "docx:MS Word 2007 XML",
            "--outdir", str(outbox), str(copy)]
    _, err, code = run_converter(argv, work, name, converter.name, limits, end, max_stdout=None,
                                 watch=(outbox, limits.max_bytes))
    result = outbox / "input.docx"
    if not result.is_file():
        problem = _first_line(err, str(copy), skip=("javaldx", "warning")) or f"没有生成 .docx（退出码 {code}）"
        raise _ConverterFailed(converter.name, problem)
    if result.stat().st_size > limits.max_bytes:
        raise over_limit(name, "转换结果", limits.max_bytes / 1_000_000, "MB ", "MB converted")
    try:
        _name_chinese_numbering(result, limits)
        source = docx.read(result, replace(limits, max_seconds=max(end - time.monotonic(), 0.001)))
    except ReadError as exc:
        raise ReadError(name, exc.reason) from None
    return source


# LibreOffice writes its Chinese numbering (一、二、…, what Word calls chineseCounting) into a
# .docx as w:numFmt "taiwaneseCountingThousand", which the .docx reader does not know and shows
# as 1、2、; the digits are the same for any outline number, so the converted file says so.
_TAIWANESE_COUNTING = re.compile(rb'(w:numFmt w:val=")taiwaneseCounting(?:Thousand)?(")')


def _name_chinese_numbering(result: Path, limits: ReadLimits) -> None:
    import zipfile

    with zipfile.ZipFile(result) as package:
        names = package.namelist()
        if "word/numbering.xml" not in names:
            return
        info = package.getinfo("word/numbering.xml")
        if sum(item.file_size for item in package.infolist()) > result.stat().st_size + limits.max_unzipped:
            return  # left to the .docx reader to refuse
        numbering = package.read(info)
        fixed = _TAIWANESE_COUNTING.sub(rb"\1chineseCounting\2", numbering)
        if fixed == numbering:
            return
        parts = [(item, fixed if item.filename == info.filename else package.read(item)) for item in package.infolist()]
    with zipfile.ZipFile(result, "w", zipfile.ZIP_DEFLATED) as package:
        for item, data in parts:
            package.writestr(item, data)


# --- running one converter -----------------------------------------------------------------


def run_converter(argv: list[str], work: Path, name: str, tool: str, limits: ReadLimits, end: float,
                  max_stdout: int | None, watch: tuple[Path, int] | None = None) -> tuple[bytes, bytes, int]:
    """Run `argv` (no shell) in `work` until it exits or the time `end` (time.monotonic()) is
    reached; return (stdout, stderr, exit code).

    Past `end` the process is killed and the read is a ReadError; so it is when its output
    passes `max_stdout` bytes (None: the output is not the text, only its first 64 KB are kept)
    or the files it writes into the folder `watch[0]` pass `watch[1]` bytes. However this
    returns or raises (an alarm from the caller's time limit too), the converter's process group
    is killed before the converter is reaped: what it started goes with it, and while the
    unreaped converter holds its process id no other process can have that group id."""
    if time.monotonic() >= end:
        raise _time_up(name, limits, tool)
    env = dict(os.environ)
    env["TMPDIR"] = env["TMP"] = env["TEMP"] = str(work)  # its temporary files go where they are removed
    env.setdefault("HOME", str(work))  # antiword complains on stderr without one
    posix = os.name == "posix"
    process = subprocess.Popen(
        argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=work, env=env,
        shell=False, start_new_session=posix,
        creationflags=0 if posix else getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0),
    )
    out = _Drain(process.stdout, max_stdout or _STDERR_KEPT, overflow_ok=max_stdout is None)
    err = _Drain(process.stderr, _STDERR_KEPT, overflow_ok=True)
    try:
        delay = 0.001  # antiword takes milliseconds, LibreOffice a second
        while not _exited(process, posix):
            if time.monotonic() >= end:
                raise _time_up(name, limits, tool)
            if out.overflowed:
                raise over_limit(name, "文字", limits.max_text, "字", "characters")
            if watch and _folder_bytes(watch[0]) > watch[1]:
                raise over_limit(name, "转换结果", watch[1] / 1_000_000, "MB ", "MB converted")
            time.sleep(delay)
            delay = min(2 * delay, _POLL_SECONDS)
    finally:
        _kill(process, posix)
        code = process.wait()
        grace = time.monotonic() + 5
        out.join(grace)
        err.join(grace)
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                stream.close()
    if out.overflowed:
        raise over_limit(name, "文字", limits.max_text, "字", "characters")
    return out.data(), err.data(), code


def _time_up(name: str, limits: ReadLimits, tool: str) -> ReadError:
    seconds = f"{limits.max_seconds:g}"
    return ReadError(name, f"读取超过 {seconds} 秒上限（{tool} 未完成，已终止） / {tool} took longer than {seconds} s")


def _exited(process: subprocess.Popen, posix: bool) -> bool:
    """Whether the converter has ended, without reaping it (POSIX), so its id stays its own."""
    if not posix:
        return process.poll() is not None
    try:
        return os.waitid(os.P_PID, process.pid, os.WEXITED | os.WNOWAIT | os.WNOHANG) is not None
    except ChildProcessError:
        return True


def _kill(process: subprocess.Popen, posix: bool) -> None:
    """Kill the converter's process group (POSIX: soffice runs soffice.bin under it, and a
    converter that has ended leaves nothing running); elsewhere the converter and its children."""
    if posix:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
    elif process.poll() is None:
        subprocess.run(["taskkill", "/F", "/T", "/PID", str(process.pid)], stdin=subprocess.DEVNULL,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        if process.poll() is None:
            process.kill()


def _folder_bytes(folder: Path) -> int:
    total = 0
    for root, _, files in os.walk(folder):
        for file in files:
            try:
                total += os.lstat(os.path.join(root, file)).st_size
            except OSError:
                pass
    return total


class _Drain:
    """Read a pipe on a thread of its own, keeping at most `limit` bytes; more is an overflow
    (or, for stderr, dropped), and the pipe is read on to its end so the process never blocks."""

    def __init__(self, stream, limit: int, overflow_ok: bool = False) -> None:
        self._chunks: list[bytes] = []
        self._size = 0
        self._limit = limit
        self._overflow_ok = overflow_ok
        self.overflowed = False
        self._thread = threading.Thread(target=self._run, args=(stream,), daemon=True)
        self._thread.start()

    def _run(self, stream) -> None:
        try:
            while chunk := stream.read1(65536):
                if self._size + len(chunk) > self._limit:
                    chunk = chunk[: max(0, self._limit - self._size)]
                    if not self._overflow_ok:
                        self.overflowed = True
                if chunk:
                    self._chunks.append(chunk)
                    self._size += len(chunk)
                if self.overflowed:
                    return
        except (OSError, ValueError):  # the pipe closed under us: the process was killed
            return

    def join(self, end: float) -> None:
        self._thread.join(max(0.0, end - time.monotonic()))

    def data(self) -> bytes:
        return b"".join(self._chunks)


# --- what the converters print -------------------------------------------------------------


_CESU_PAIR = re.compile(rb"\xed([\xa0-\xaf])([\x80-\xbf])\xed([\xb0-\xbf])([\x80-\xbf])")


def _join_surrogates(match: re.Match[bytes]) -> bytes:
    high = 0xD000 | ((match[1][0] & 0x3F) << 6) | (match[2][0] & 0x3F)
    low = 0xD000 | ((match[3][0] & 0x3F) << 6) | (match[4][0] & 0x3F)
    return chr(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)).encode("utf-8")


def decode_utf8(data: bytes) -> tuple[str, int]:
    """UTF-8 with surrogate pairs encoded one by one (CESU-8, as antiword and catdoc write a
    character outside the BMP) joined into the character; what still does not decode becomes
    U+FFFD, counted."""
    data = _CESU_PAIR.sub(_join_surrogates, data)
    text = data.decode("utf-8", errors="replace")
    return text, text.count("\ufffd") - data.count(b"\xef\xbf\xbd")


_ANTIWORD_ROW = re.compile(r"^\|(.*)\|\s*$")


def antiword_lines(text: str) -> list[str]:
    """antiword -w 0 writes a paragraph a line with blank lines of layout between (two before a
    heading): those go, as a .docx reads. A table row "|cell   |cell   |" becomes
    "cell | cell", as the .docx reader writes it."""
    lines = []
    for line in text.replace("\r\n", "\n").split("\n"):
        row = _ANTIWORD_ROW.match(line)
        if row:
            line = CELL_SEPARATOR.join(cell.strip() for cell in row[1].split("|") if cell.strip())
        if line.strip():
            lines.append(line)
    return lines


def catdoc_lines(text: str) -> list[str]:
    """catdoc -w writes a paragraph a line, table cells separated by tabs."""
    lines = []
    for line in text.replace("\r\n", "\n").split("\n"):
        if "\t" in line:
            line = CELL_SEPARATOR.join(cell.strip() for cell in line.split("\t") if cell.strip())
        lines.append(line)
    return lines


def _first_line(err: bytes, target: str, skip: tuple[str, ...] = ()) -> str:
    """The converter's first message, one short line, without the path it was given."""
    text, _ = decode_utf8(err)
    for line in text.splitlines():
        line = line.replace(target, "").replace(os.path.basename(target), "").strip(" :.")
        line = re.sub(r"[\x00-\x1f\x7f]", "", line)
        if line and not any(word in line.lower() for word in skip):
            return line[:100]
    return ""
