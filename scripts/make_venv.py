"""Create the project's virtual environment, even where Debian's python3-venv is missing.

    python3 scripts/make_venv.py DIR [REQUIREMENTS]

The environment is created without pip. pip, run from its wheel (the one bundled with this
Python's ensurepip -- Debian and Ubuntu ship it in python3-venv, under /usr/share/python-wheels
-- or else the current one from PyPI), then installs REQUIREMENTS, a hashed lock file, into it:
the project's environment gets uv that way, which installs and compiles the rest
(docs/decisions.md, "Installing with uv"). Without REQUIREMENTS, pip installs itself (the lock
environment's pip-tools needs it). Nothing is byte-compiled.
"""

from __future__ import annotations

import glob
import json
import os
import subprocess
import sys
import tempfile
import urllib.request
import venv
from pathlib import Path


def _bundled_pip_wheel() -> Path | None:
    places = ["/usr/share/python-wheels"]  # Debian's python3-venv keeps its wheels here
    try:
        import ensurepip

        places.insert(0, str(Path(ensurepip.__file__).parent / "_bundled"))
    except ImportError:
        pass
    for place in places:
        wheels = sorted(glob.glob(f"{place}/pip-*.whl"))
        if wheels:
            return Path(wheels[-1])
    return None


def _pip_wheel() -> Path:
    wheel = _bundled_pip_wheel()
    if wheel is not None:
        return wheel
    print("ensurepip is missing; using pip from PyPI instead.", file=sys.stderr)
    with urllib.request.urlopen("https://pypi.org/pypi/pip/json", timeout=60) as response:
        release = json.load(response)
    url = next(u for u in release["urls"] if u["packagetype"] == "bdist_wheel")
    wheel_path = Path(tempfile.mkdtemp()) / url["filename"]
    urllib.request.urlretrieve(url["url"], wheel_path)
    return wheel_path


def _pip_install(python: Path, wheel: Path, *args: str) -> None:
    # A wheel is a zip that Python can run from: pip, run from its wheel by the environment's
    # Python, installs into the environment.
    subprocess.run(
        [
            python,
            f"{wheel}/pip",
            "install",
            "--quiet",
            "--no-compile",
            "--disable-pip-version-check",
            *args,
        ],
        check=True,
        env={**os.environ, "PIP_NO_INPUT": "1"},
    )


def main(target: str, requirements: str | None = None) -> None:
    """Create the environment at ``target`` if it is missing, then install ``requirements``
    (a hashed lock file) into it, or, without them, pip itself."""
    path = Path(target)
    python = path / "bin" / "python"
    if not python.exists():
        venv.EnvBuilder(with_pip=False, clear=True).create(path)
    if requirements:
        _pip_install(python, _pip_wheel(), "--require-hashes", "-r", requirements)
    elif subprocess.run([python, "-m", "pip", "--version"], capture_output=True).returncode:
        wheel = _pip_wheel()
        _pip_install(python, wheel, "--no-index", str(wheel))


if __name__ == "__main__":
    main(*(sys.argv[1:3] or [".venv"]))
