"""What is wrong with a dataset: a bad cell, the capped report by row and column, and the error
that carries it to the page or the API."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class BadValue(Exception):
    """A cell value that does not fit its data item."""


@dataclass
class ErrorReport:
    """Errors by row and column, capped; ``total`` counts the ones left out too."""

    limit: int = 1000
    errors: list[dict[str, Any]] = field(default_factory=list)
    total: int = 0

    def add(self, row: int | None, column: str, message: str) -> None:
        self.total += 1
        if len(self.errors) < self.limit:
            self.errors.append({"row": row, "column": column, "message": message})

    def __bool__(self) -> bool:
        return self.total > 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "errors": self.errors,
            "total": self.total,
            "omitted": self.total - len(self.errors),
        }


class DatasetInvalid(ValidationError):
    """The data does not fit the data items; ``report`` names row, column and reason."""

    def __init__(self, report: ErrorReport):
        self.report = report
        first = report.errors[0] if report.errors else {"message": ""}
        summary = _("%(count)d problems found; nothing was stored. First: %(first)s") % {
            "count": report.total,
            "first": describe(first),
        }
        super().__init__(summary, code="dataset_invalid")


def describe(error: dict[str, Any]) -> str:
    """Return one error as a sentence: row, column, reason."""
    parts = []
    if error.get("row"):
        parts.append(_("row %(row)d") % {"row": error["row"]})
    if error.get("column"):
        parts.append(_("column “%(column)s”") % {"column": error["column"]})
    return ", ".join([*parts, error["message"]]) if parts else error["message"]


def error_limit() -> int:
    return int(getattr(settings, "PORTAL_DATA_ERROR_LIMIT", 1000))
