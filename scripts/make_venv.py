"""Create the project's virtual environment, even where Debian's python3-venv is missing.

``python3 -m venv`` needs ensurepip, which Debian and Ubuntu ship separately. Without it, the
environment is created without pip and pip is installed from its wheel on PyPI.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import urllib.request
import venv
from pathlib import Path


def main(target: str) -> None:
    path = Path(target)
    python = path / "bin" / "python"
    if (
        python.exists()
        and subprocess.run([python, "-m", "pip", "--version"], capture_output=True).returncode == 0
    ):
        return
    try:
        venv.EnvBuilder(with_pip=True, clear=True).create(path)
        return
    except subprocess.CalledProcessError:
        print("ensurepip is missing; installing pip from PyPI instead.", file=sys.stderr)
    venv.EnvBuilder(with_pip=False, clear=True).create(path)
    with urllib.request.urlopen("https://pypi.org/pypi/pip/json", timeout=60) as response:
        release = json.load(response)
    wheel = next(u for u in release["urls"] if u["packagetype"] == "bdist_wheel")
    with tempfile.TemporaryDirectory() as tmp:
        wheel_path = Path(tmp) / wheel["filename"]
        urllib.request.urlretrieve(wheel["url"], wheel_path)
        subprocess.run(
            [python, f"{wheel_path}/pip", "install", "--quiet", str(wheel_path)], check=True
        )


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else ".venv")
