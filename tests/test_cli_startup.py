"""A command imports what it runs, not what the other commands run.

Each command module imports its own machinery (the simulator, the exact
analysis and scipy...), so the command line registers only the command it
is given: `ivrlint --version` and a `check` from pre-commit do not pay for
the simulator. Help, or a word that is no command, still lists them all.
"""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import ROOT, run_cli

from ivrlint import __version__
from ivrlint.cli import COMMANDS, needed_commands


@pytest.mark.parametrize("argv, needed", [
    (["check", "menus/"], ("check",)),
    (["import", "connect", "flow.json"], ("import_",)),
    (["simulate", "--hours", "2", "menus/bank.yaml"], ("simulate",)),
    (["--version"], ()),
    (["--help"], COMMANDS),
    (["--version", "--help"], COMMANDS),
    (["chek", "menus/"], COMMANDS),
    ([], COMMANDS),
])
def test_only_the_named_command_is_registered(argv, needed):
    assert needed_commands(argv) == needed


def _modules_after(*argv: str) -> set[str]:
    code = ("import sys; from ivrlint.cli import main\n"
            "try:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
            "print(' '.join(sorted(m for m in sys.modules if m.startswith(('ivrlint.', 'scipy', 'simpy')))), file=sys.stderr)")
    done = subprocess.run([sys.executable, "-c", code, *argv], cwd=ROOT, capture_output=True, text=True, check=True)
    return set(done.stderr.split())


def test_checking_a_menu_without_traffic_loads_neither_the_simulator_nor_scipy(write):
    menu = write("small.yaml", """
        ivr: small
        start: main
        nodes:
          main: {type: menu, prompt: "For an agent, press 0.", options: {0: agent}, on_failure: agent}
          agent: {type: queue, queue: general}
        queues:
          general: {agents: 2, handle_time: 120}
        """)
    loaded = _modules_after("check", "--no-config", str(menu))
    assert "ivrlint.lint.run" in loaded
    assert not {m for m in loaded if m.startswith(("ivrlint.sim", "ivrlint.analysis", "scipy", "simpy"))}


def test_the_version_loads_no_command():
    loaded = _modules_after("--version")
    assert not {m for m in loaded if m.startswith(("ivrlint.lint", "ivrlint.importers", "ivrlint.sim"))}


def test_the_version_and_the_commands_still_answer():
    result = run_cli("--version")
    assert result.code == 0 and result.out == f"ivrlint {__version__}\n"
    result = run_cli("chek", "menus/")
    assert result.code == 2 and "invalid choice: 'chek'" in result.err and "'simulate'" in result.err
