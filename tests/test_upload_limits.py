"""Files that would stall a worker are refused before any parser opens them.

The workbooks here are what an attacker with a valid account uploads: a 150 KB file whose
shared strings inflate to 63 MB, a file that declares a gigabyte, thousands of parts; the CSV
files have a line of 100 MB or 600 columns. Each path that reads uploads (data imports, the
catalog's Excel import and the service items built on it, the calendar's schedule file)
refuses them with a message, and openpyxl is never asked to open them.
"""

from __future__ import annotations

import io
import struct
import zipfile

import pytest
from openpyxl import Workbook

from catalog.excel import parse_workbook
from datasets.readers import FileUnreadable, read_table
from kernel.files import ArchiveLimits, UnsafeFile, check_text_lines, check_workbook_archive
from workcalendar.files import ScheduleFileError, read_schedule_file

MIB = 1 << 20


def _workbook_with(parts: dict[str, bytes]) -> bytes:
    """Return a zip with a genuine workbook's parts, plus or replacing ``parts``."""
    book = Workbook()
    book.active.append(["编号", "名称"])
    plain = io.BytesIO()
    book.save(plain)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(plain.getvalue())) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            if info.filename not in parts:
                target.writestr(info.filename, source.read(info.filename))
        for name, data in parts.items():
            target.writestr(name, data)
    return out.getvalue()


def shared_strings_bomb() -> bytes:
    """About 150 KB whose shared strings inflate to 63 MB (compression ratio over 400)."""
    strings = b"<si><t>" + b"A" * 1000 + b"</t></si>"
    body = strings * (63 * MIB // len(strings))
    sst = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' + body
    return _workbook_with({"xl/sharedStrings.xml": sst + b"</sst>"})


def declared_gigabyte() -> bytes:
    """A small workbook whose directory says one part inflates to 1 GB."""
    data = bytearray(_workbook_with({"xl/extra.xml": b"<x/>" * 1000}))
    # Central directory entries: signature PK\1\2, uncompressed size at offset 24.
    at = data.find(b"PK\x01\x02")
    while at != -1:
        name_length = struct.unpack_from("<H", data, at + 28)[0]
        if bytes(data[at + 46 : at + 46 + name_length]) == b"xl/extra.xml":
            struct.pack_into("<I", data, at + 24, 1 << 30)
        at = data.find(b"PK\x01\x02", at + 4)
    return bytes(data)


def many_parts() -> bytes:
    return _workbook_with({f"xl/media/p{n}.bin": b"x" for n in range(1500)})


BOMBS = {"shared strings": shared_strings_bomb, "declared 1 GB": declared_gigabyte}


@pytest.fixture
def openpyxl_untouched(monkeypatch):
    """Fail the test if any reader gets as far as openpyxl."""

    def refuse(*args, **kwargs):
        raise AssertionError("openpyxl was asked to open a file that should have been refused")

    monkeypatch.setattr("openpyxl.load_workbook", refuse)
    monkeypatch.setattr("catalog.excel.load_workbook", refuse)


# --- the check itself -------------------------------------------------------------------------


@pytest.mark.parametrize("make", [shared_strings_bomb, declared_gigabyte, many_parts])
def test_the_zip_directory_check_refuses_each_bomb(make):
    data = make()
    assert len(data) < 400 * 1024  # small files, every one
    with pytest.raises(UnsafeFile):
        check_workbook_archive(io.BytesIO(data))


def test_a_genuine_workbook_and_a_non_zip_pass_the_check():
    check_workbook_archive(io.BytesIO(_workbook_with({})))
    check_workbook_archive(io.BytesIO(b"not a zip at all"))  # the parser reports it as damaged


def test_each_limit_is_the_setting(settings):
    data = _workbook_with({"xl/big.xml": b"<r/>" * (600 * 1024)})  # 2.4 MB, compresses ~1000x
    with pytest.raises(UnsafeFile, match=r"\b100\b"):  # the ratio: at most 100 (the default)
        check_workbook_archive(io.BytesIO(data))
    settings.PORTAL_XLSX_MAX_RATIO = 5000
    check_workbook_archive(io.BytesIO(data))
    settings.PORTAL_XLSX_MAX_INFLATED_BYTES = MIB
    with pytest.raises(UnsafeFile):
        check_workbook_archive(io.BytesIO(data))
    limits = ArchiveLimits(parts=3, part_bytes=10 * MIB, total_bytes=10 * MIB, ratio=5000)
    with pytest.raises(UnsafeFile):
        check_workbook_archive(io.BytesIO(data), limits)


def test_a_long_line_is_refused_in_chunks():
    check_text_lines(io.BytesIO(b"a,b\n" * 1000), max_line_bytes=10)
    with pytest.raises(UnsafeFile):
        check_text_lines(io.BytesIO(b"a,b\n" + b"x" * 11 + b"\n"), max_line_bytes=10)
    with pytest.raises(UnsafeFile):  # the last line, without a newline
        check_text_lines(io.BytesIO(b"a,b\n" + b"x" * 11), max_line_bytes=10)
    with pytest.raises(UnsafeFile):  # a line across two chunks of the reader
        check_text_lines(io.BytesIO(b"a\n" + b"x" * (3 * MIB) + b"\nb\n"), max_line_bytes=2 * MIB)


# --- every path that reads uploads ------------------------------------------------------------


@pytest.mark.parametrize("bomb", sorted(BOMBS))
def test_data_imports_refuse_bombs_unopened(bomb, openpyxl_untouched):
    with pytest.raises(FileUnreadable):
        read_table(io.BytesIO(BOMBS[bomb]()), "data.xlsx")


def test_data_imports_refuse_a_100_mb_line_and_too_many_columns():
    with pytest.raises(FileUnreadable, match="1024"):  # the limit, 1024 KB
        read_table(io.BytesIO(b"a,b\n" + b"x" * (100 * MIB) + b"\n"), "data.csv")
    table = read_table(io.BytesIO(b"a,b\n" + b",".join([b"1"] * 600) + b"\n"), "data.csv")
    with pytest.raises(FileUnreadable, match="600"):
        list(table.rows)


@pytest.mark.parametrize("bomb", sorted(BOMBS))
def test_the_catalog_import_refuses_bombs_unopened(bomb, openpyxl_untouched):
    parsed = parse_workbook(BOMBS[bomb](), max_bytes=5 * MIB)
    assert [p.sheet for p in parsed.problems] == [""]  # one problem, of the file itself


@pytest.mark.parametrize("bomb", sorted(BOMBS))
def test_the_calendar_import_refuses_bombs_unopened(bomb, openpyxl_untouched):
    with pytest.raises(ScheduleFileError):
        read_schedule_file(BOMBS[bomb](), "2027.xlsx")
