"""Write a new Ed25519 private key for the audit chain's anchors and print its public key."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from audit.anchors import key_id, keygen, public_key_text


class Command(BaseCommand):
    help = (
        "Write a new Ed25519 private key (PEM, mode 0600) for manage.py audit_anchor and print "
        "the public key to add to PORTAL_AUDIT_ANCHOR_PUBLIC_KEYS."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("path", help="the new key file (must not exist)")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"])
        try:
            key = keygen(path)
        except FileExistsError as exc:
            raise CommandError(f"{path} exists: a key in use is never overwritten") from exc
        except OSError as exc:
            raise CommandError(f"cannot write {path}: {exc.strerror}") from exc
        public = key.public_key()
        self.stdout.write(f"Private key written to {path} (mode 0600).")
        self.stdout.write(f"Key id: {key_id(public)}")
        self.stdout.write("Public key (add it to PORTAL_AUDIT_ANCHOR_PUBLIC_KEYS):")
        self.stdout.write(public_key_text(public))
