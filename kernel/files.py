"""Uploaded files checked before any parser opens them: workbooks' zip directories, CSV lines.

An XLSX workbook is a zip archive whose parts a parser inflates: a 157 KB file can hold shared
strings of 63 MB, and a few hundred KB can declare a gigabyte. Reading the zip's central
directory costs microseconds and tells every part's declared size, so the limits are checked
there, before openpyxl (or anything else) reads a byte of content. A part cannot inflate past
its declared size: Python's zipfile stops at it and fails the CRC, which the parsers report as
a damaged file. The limits are settings (docs/operations.md, "Uploaded files").
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.utils.translation import gettext as _

MIB = 1 << 20
# Parts smaller than this are never refused for their compression ratio: tiny XML parts of
# repeated markup compress well and cost nothing to inflate.
RATIO_FLOOR_BYTES = MIB
_CHUNK = 1 << 20


class UnsafeFile(ValueError):
    """The file is refused before parsing; the message says why, in the user's language."""


@dataclass(frozen=True)
class ArchiveLimits:
    parts: int
    part_bytes: int
    total_bytes: int
    ratio: int

    @classmethod
    def from_settings(cls, *, total_bytes: int | None = None) -> ArchiveLimits:
        """Return the configured limits; ``total_bytes`` lowers the total for a small import."""
        configured = int(settings.PORTAL_XLSX_MAX_INFLATED_BYTES)
        return cls(
            parts=int(settings.PORTAL_XLSX_MAX_PARTS),
            part_bytes=min(int(settings.PORTAL_XLSX_MAX_PART_BYTES), configured),
            total_bytes=min(configured, total_bytes) if total_bytes else configured,
            ratio=int(settings.PORTAL_XLSX_MAX_RATIO),
        )


def _megabytes(n: int) -> str:
    return f"{n / MIB:g}"


def check_workbook_archive(file: IO[bytes], limits: ArchiveLimits | None = None) -> None:
    """Raise ``UnsafeFile`` unless the zip directory is within the limits; rewind the file.

    A file that is not a zip archive at all passes: the parser then reports it as damaged.
    """
    limits = limits or ArchiveLimits.from_settings()
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        file.seek(0)
        return
    file.seek(0)
    if len(parts) > limits.parts:
        raise UnsafeFile(
            _("The workbook has %(count)s parts; at most %(limit)s are accepted.")
            % {"count": len(parts), "limit": limits.parts}
        )
    total = 0
    for part in parts:
        if part.file_size > limits.part_bytes:
            raise UnsafeFile(
                _(
                    "A part of the workbook (%(part)s) expands to %(size)s MB; at most "
                    "%(limit)s MB are accepted. Split the data into smaller files or use CSV."
                )
                % {
                    "part": part.filename,
                    "size": _megabytes(part.file_size),
                    "limit": _megabytes(limits.part_bytes),
                }
            )
        if part.file_size > RATIO_FLOOR_BYTES and part.file_size > limits.ratio * max(
            part.compress_size, 1
        ):
            raise UnsafeFile(
                _(
                    "A part of the workbook (%(part)s) expands %(ratio)s times; at most "
                    "%(limit)s times is accepted. The file was refused unopened."
                )
                % {
                    "part": part.filename,
                    "ratio": part.file_size // max(part.compress_size, 1),
                    "limit": limits.ratio,
                }
            )
        total += part.file_size
    if total > limits.total_bytes:
        raise UnsafeFile(
            _(
                "The workbook expands to %(size)s MB; at most %(limit)s MB are accepted. "
                "Split the data into smaller files or use CSV."
            )
            % {"size": _megabytes(total), "limit": _megabytes(limits.total_bytes)}
        )


def check_workbook_bytes(data: bytes, limits: ArchiveLimits | None = None) -> None:
    """``check_workbook_archive`` for a file already read into memory."""
    import io

    check_workbook_archive(io.BytesIO(data), limits)


def check_text_lines(file: IO[bytes], *, max_line_bytes: int | None = None) -> None:
    """Raise ``UnsafeFile`` if a line of the file is longer than the limit; rewind the file.

    Read in chunks, so a single line of 100 MB is refused without ever being held whole.
    """
    limit = int(max_line_bytes or settings.PORTAL_CSV_MAX_LINE_BYTES)
    file.seek(0)
    current = 0  # bytes of the line running into the next chunk
    while chunk := file.read(_CHUNK):
        pieces = chunk.split(b"\n")
        longest = current + len(pieces[0])
        if len(pieces) > 1:
            longest = max(longest, max(map(len, pieces[1:-1]), default=0))
            current = len(pieces[-1])
        else:
            current = longest
        if max(longest, current) > limit:
            file.seek(0)
            raise UnsafeFile(
                _("A line of the file is longer than %(limit)s KB; the file was refused.")
                % {"limit": f"{limit / 1024:g}"}
            )
    file.seek(0)
