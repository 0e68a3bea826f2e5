"""The version, the CHANGELOG and the README's pre-commit example say the same thing."""

import re
import subprocess
import sys
from pathlib import Path

import ivrlint

ROOT = Path(__file__).resolve().parent.parent


def _released() -> list[str]:
    return re.findall(r"^## \[(\d+\.\d+\.\d+)\] - \d{4}-\d{2}-\d{2}$", (ROOT / "CHANGELOG.md").read_text(), re.M)


def test_the_package_version_is_the_newest_released_one():
    versions = _released()
    assert versions, "CHANGELOG.md has no released version"
    assert ivrlint.__version__ == versions[0]
    assert versions == sorted(versions, key=lambda v: tuple(map(int, v.split("."))), reverse=True)


def test_the_pre_commit_example_pins_the_current_version():
    [rev] = re.findall(r"^\s*rev: (\S+)", (ROOT / "README.md").read_text(), re.M)
    assert rev == f"v{ivrlint.__version__}"


def test_ivrlint_version_prints_it():
    out = subprocess.run([sys.executable, "-m", "ivrlint", "--version"], capture_output=True, text=True, cwd=ROOT)
    assert out.stdout.strip() == f"ivrlint {ivrlint.__version__}"
