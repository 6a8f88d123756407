"""Create the project's virtual environment, even where Debian's python3-venv is missing.

The environment is created without pip, then pip installs itself from its wheel: the one
bundled with this Python's ensurepip (Debian and Ubuntu ship it in python3-venv, under
/usr/share/python-wheels), or else the current one from PyPI. Unlike ``python3 -m venv``
(ensurepip), pip is installed without byte-compiling its ~700 modules: it is used once, to
install uv, which installs and compiles the rest (docs/decisions.md, "Installing with uv").
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


def _install_pip(python: Path, wheel: Path) -> None:
    # A wheel is a zip that Python can run from: pip installs itself into the environment.
    subprocess.run(
        [
            python,
            f"{wheel}/pip",
            "install",
            "--quiet",
            "--no-compile",
            "--no-index",
            "--disable-pip-version-check",
            str(wheel),
        ],
        check=True,
        env={**os.environ, "PIP_NO_INPUT": "1"},
    )


def main(target: str) -> None:
    path = Path(target)
    python = path / "bin" / "python"
    if (
        python.exists()
        and subprocess.run([python, "-m", "pip", "--version"], capture_output=True).returncode == 0
    ):
        return
    venv.EnvBuilder(with_pip=False, clear=True).create(path)
    wheel = _bundled_pip_wheel()
    if wheel is not None:
        _install_pip(python, wheel)
        return
    print("ensurepip is missing; installing pip from PyPI instead.", file=sys.stderr)
    with urllib.request.urlopen("https://pypi.org/pypi/pip/json", timeout=60) as response:
        release = json.load(response)
    url = next(u for u in release["urls"] if u["packagetype"] == "bdist_wheel")
    with tempfile.TemporaryDirectory() as tmp:
        wheel_path = Path(tmp) / url["filename"]
        urllib.request.urlretrieve(url["url"], wheel_path)
        _install_pip(python, wheel_path)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else ".venv")
