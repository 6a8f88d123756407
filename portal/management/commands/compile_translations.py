"""Compile every gettext catalog (.po → .mo) with Babel, so no system gettext is needed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


def locale_dirs() -> list[Path]:
    """Return the project's and the local apps' locale directories that exist."""
    dirs = [Path(p) for p in settings.LOCALE_PATHS]
    base = Path(settings.BASE_DIR)
    for config in apps.get_app_configs():
        path = Path(config.path)
        # A virtualenv inside the project (.venv) is under BASE_DIR too; its packages ship
        # their own compiled catalogs and are not ours to recompile.
        if path.is_relative_to(base) and "site-packages" not in path.parts:
            dirs.append(path / "locale")
    return [d for d in dirs if d.is_dir()]


class Command(BaseCommand):
    help = "Compile the gettext catalogs of the project and its apps with Babel."

    def handle(self, *args: Any, **options: Any) -> None:
        count = 0
        for directory in locale_dirs():
            for po_path in sorted(directory.glob("*/LC_MESSAGES/*.po")):
                mo_path = po_path.with_suffix(".mo")
                if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
                    continue
                with po_path.open("rb") as handle:
                    try:
                        catalog = read_po(handle, locale=po_path.parent.parent.name)
                    except Exception as exc:
                        raise CommandError(f"{po_path}: {exc}") from exc
                with mo_path.open("wb") as handle:
                    write_mo(handle, catalog, use_fuzzy=False)
                count += 1
        self.stdout.write(f"Compiled {count} translation catalog(s).")
