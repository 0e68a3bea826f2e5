"""What every command prints on the bundled menus, pinned to the letter.

The outputs under tests/golden/ were written before the packages were laid out
by layer (issue 11) and must not change with a refactoring. A change that means
to change an output regenerates them on purpose:

    IVRLINT_UPDATE_GOLDEN=1 python -m pytest tests/test_golden_outputs.py

and the diff of tests/golden/ in that commit shows what users will see change.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from conftest import ROOT, run_cli

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("IVRLINT_UPDATE_GOLDEN") == "1"

# name -> the command's arguments, run from the repository's root. Simulations
# are short and serial (--jobs 1) so the suite stays quick; the seed fixes them.
COMMANDS: dict[str, list[str]] = {
    "check-menus": ["check", "menus/"],
    "check-bad": ["check", "--no-config", "menus/bad/"],
    "check-bad-json": ["check", "--no-config", "--format", "json", "menus/bad/"],
    "check-bad-sarif": ["check", "--no-config", "--format", "sarif", "menus/bad/"],
    "check-bad-github": ["check", "--no-config", "--format", "github", "menus/bad/"],
    "check-bad-junit": ["check", "--no-config", "--format", "junit", "menus/bad/"],
    "check-platforms": ["check", "--no-config", "menus/platforms/", "menus/bad/platforms/"],
    "rules": ["rules"],
    "rules-no-zero-out": ["rules", "no-zero-out"],
    "import-freeswitch": ["import", "freeswitch", "menus/platforms/freeswitch"],
    "import-asterisk": ["import", "asterisk", "menus/platforms/asterisk"],
    "import-connect": ["import", "connect", "menus/platforms/connect"],
    "graph-dot-bank": ["graph", "menus/bank.yaml", "-o", "-"],
    "graph-dot-baltic": ["graph", "menus/baltic-energy.yaml", "-o", "-"],
    "analyze-bank": ["analyze", "menus/bank.yaml"],
    "analyze-telecom-json": ["analyze", "--format", "json", "menus/telecom.yaml"],
    "analyze-baltic": ["analyze", "menus/baltic-energy.yaml"],
    "simulate-bank": ["simulate", "menus/bank.yaml", "--hours", "2", "--replications", "3", "--jobs", "1", "--quiet"],
    "simulate-telecom-json": ["simulate", "menus/telecom.yaml", "--hours", "1", "--replications", "2", "--jobs", "1",
                              "--quiet", "--format", "json"],
    "simulate-baltic-csv": ["simulate", "menus/baltic-energy.yaml", "--hours", "1", "--replications", "2",
                            "--jobs", "1", "--quiet", "--format", "csv"],
    "compare-bank-telecom": ["compare", "menus/bank.yaml", "menus/telecom.yaml"],
    "compare-bank-telecom-markdown": ["compare", "--format", "markdown", "menus/bank.yaml", "menus/telecom.yaml"],
    "staff-bank": ["staff", "menus/bank.yaml", "--target", "service_level>=0.8", "--target", "p_abandon<=0.05",
                   "--hours", "1", "--replications", "2", "--jobs", "1"],
    "staff-bank-erlang-c-json": ["staff", "menus/bank.yaml", "--model", "erlang-c", "--target", "mean_wait<=30s",
                                 "--no-confirm", "--format", "json"],
}


def _normalise(text: str, tmp: Path | None = None) -> str:
    """Stable across machines: where the checkout or a temporary folder is, and the version, are not the output's meaning."""
    if tmp is not None:
        text = text.replace(str(tmp), "TMP")
    text = text.replace(ROOT.as_uri() + "/", "file:///ROOT/")  # SARIF's originalUriBaseIds
    return re.sub(r'"version": "[^"]*"', '"version": "X"', text)


def _check(name: str, produced: str) -> None:
    path = GOLDEN / f"{name}.txt"
    if UPDATE:
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(produced, encoding="utf-8")
        return
    expected = path.read_text(encoding="utf-8")
    assert produced == expected, (
        f"{name}: output changed; if on purpose, regenerate with IVRLINT_UPDATE_GOLDEN=1 and review the diff")


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_command_output_is_unchanged(name):
    result = run_cli(*COMMANDS[name], cwd=ROOT)
    _check(name, f"exit {result.code}\n--- stdout\n{_normalise(result.out)}--- stderr\n{_normalise(result.err)}")


def test_sweep_output_is_unchanged(tmp_path):
    out = tmp_path / "sweep"
    result = run_cli("sweep", "menus/bank.yaml", "--vary", "queues.general.agents=10,12", "--hours", "1",
                     "--replications", "2", "--jobs", "1", "--no-plots", "--quiet", "--out", str(out), cwd=ROOT)
    files = "".join(f"--- {path.name}\n{_normalise(path.read_text(encoding='utf-8'), tmp_path)}"
                    for path in sorted(out.iterdir()) if path.suffix in (".csv", ".json"))
    _check("sweep-bank", f"exit {result.code}\n--- stdout\n{_normalise(result.out, tmp_path)}"
                         f"--- stderr\n{_normalise(result.err, tmp_path)}{files}")


def test_import_to_a_file_round_trips(tmp_path):
    target = tmp_path / "acme.yaml"
    result = run_cli("import", "connect", "menus/platforms/connect", "-o", str(target), cwd=ROOT)
    assert result.code == 0, result.err
    shutil.copy(target, tmp_path / "copy.yaml")
    _check("import-connect-file", target.read_text(encoding="utf-8"))
