"""Generate the Python client (clients/python) from the committed schema, docs/openapi.yaml.

``python scripts/generate_client.py`` rewrites the generated parts of clients/python (the
``portal_client`` package and the packaging files) and leaves the rest (examples, the generator's
settings) alone; ``--check`` generates into a temporary directory and fails, naming the files,
when the committed client differs from what the schema gives. The generated code is never edited
by hand: what it gets wrong is fixed in the schema (kernel/api/schema.py).
"""

from __future__ import annotations

import argparse
import filecmp
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = ROOT / "docs" / "openapi.yaml"
CLIENT = ROOT / "clients" / "python"
CONFIG = CLIENT / "generator.yaml"
# The generator's README template with the examples listed (the rest as it ships).
TEMPLATES = CLIENT / "templates"
# What the generator writes; everything else in clients/python is written by hand.
GENERATED = ("portal_client", "setup.py", "pyproject.toml", "README.md")


def generate(target: Path) -> None:
    """Write a freshly generated client project into ``target`` (which must not exist)."""
    # The generator formats its output with ruff (its post hooks): the pinned one of this venv.
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    subprocess.run(
        [
            Path(sys.executable).parent / "openapi-python-client",
            "generate",
            "--path",
            SCHEMA,
            "--config",
            CONFIG,
            "--custom-template-path",
            TEMPLATES,
            "--meta",
            "setup",
            "--fail-on-warning",
            "--output-path",
            target,
        ],
        check=True,
        env=env,
        stdout=subprocess.DEVNULL,
    )


def files(base: Path) -> set[str]:
    found: set[str] = set()
    for name in GENERATED:
        path = base / name
        if path.is_file():
            found.add(name)
        elif path.is_dir():
            found |= {
                str(p.relative_to(base))
                for p in path.rglob("*")
                if p.is_file() and "__pycache__" not in p.parts
            }
    return found


def differences(fresh: Path, committed: Path) -> list[str]:
    """The files that are missing, extra or different in ``committed``."""
    want, have = files(fresh), files(committed)
    changed = [
        name
        for name in sorted(want & have)
        if not filecmp.cmp(fresh / name, committed / name, shallow=False)
    ]
    return sorted(want ^ have) + changed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check", action="store_true", help="fail if the committed client is out of date"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / "client"
        generate(fresh)
        if args.check:
            stale = differences(fresh, CLIENT)
            if stale:
                print("clients/python is out of date with docs/openapi.yaml; run `make client`:")
                print("\n".join(f"  {name}" for name in stale))
                return 1
            return 0
        for name in GENERATED:
            old = CLIENT / name
            if old.is_dir():
                shutil.rmtree(old)
            elif old.exists():
                old.unlink()
            shutil.move(fresh / name, old)
    return 0


if __name__ == "__main__":
    sys.exit(main())
