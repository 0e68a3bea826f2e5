"""Command lines that cannot be carried out: one usage error, exit 2, nothing written."""

from __future__ import annotations

import pytest
from conftest import MENUS, run_cli

BANK = MENUS / "bank.yaml"


@pytest.mark.parametrize("command", [
    ["simulate", BANK],
    ["sweep", BANK, "--vary", "queues.general.agents=5,6"],
    ["staff", BANK, "--target", "service_level>=0.8"],
    ["compare", BANK, BANK, "--simulate"],
])
def test_a_negative_seed_is_a_usage_error_before_any_work(command, tmp_path):
    out = tmp_path / "sweep-out"
    extra = ["--out", out] if command[0] == "sweep" else []
    result = run_cli(*command, *extra, "--seed", "-5")
    assert result.code == 2
    assert "argument --seed: must be 0 or more, got -5" in result.err
    assert "Traceback" not in result.err and "ValueError" not in result.err
    assert not out.exists()  # sweep made no half-made output folder


TWO_FINDINGS = """\
ivr: t
start: main
nodes:
  main:
    type: menu
    prompt: For sales, press 1. For an agent, press 0. To hear this again, press 9.
    options: {1: agnet, 0: agent, 9: {action: repeat}}
    on_failure: agent
  agent: {type: queue, queue: q}
  spare: {type: hangup}
queues:
  q: {agents: 1, handle_time: 60}
"""


def test_ignore_given_twice_ignores_both(write):
    path = write("m.yaml", TWO_FINDINGS)
    rules = {line.split()[2] for line in run_cli("check", "--no-config", path).out.splitlines()[:-1]}
    assert {"unknown-target", "unreachable"} <= rules
    result = run_cli("check", "--no-config", path, *[f"--ignore={rule}" for rule in sorted(rules)])
    assert result.code == 0 and result.out.startswith("no problems")


def test_select_given_twice_runs_both(write):
    path = write("m.yaml", TWO_FINDINGS)
    result = run_cli("check", "--no-config", path, "--select", "unknown-target", "--select", "unreachable,dead-end")
    assert sorted(line.split()[2] for line in result.out.splitlines()[:-1]) == ["unknown-target", "unreachable"]


def test_every_use_of_ignore_is_checked_for_unknown_rules(write):
    result = run_cli("check", "--no-config", write("m.yaml", TWO_FINDINGS), "--ignore", "no-such", "--ignore", "no-repeat")
    assert result.code == 2
    assert "--ignore names unknown rule 'no-such'" in result.err


def test_a_bad_vary_value_is_reported_as_vary_not_set(tmp_path):
    result = run_cli("sweep", BANK, "--vary", "queues.general.agents=a:b", "--out", tmp_path / "sweep")
    assert result.code == 2
    assert result.err == ("ivrlint: error: --vary queues.general.agents=a:b: the agents of queue 'general' "
                          "must be a number; got 'a:b'\n")
    assert not (tmp_path / "sweep").exists()


def test_a_bad_set_value_on_a_sweep_is_still_reported_as_set(tmp_path):
    result = run_cli("sweep", BANK, "--vary", "queues.general.agents=5,6", "--set", "queues.general.handle_time=x",
                     "--out", tmp_path / "sweep")
    assert result.code == 2
    assert result.err.startswith("ivrlint: error: --set queues.general.handle_time=x: ")


def test_a_misspelt_option_shows_the_commands_usage():
    result = run_cli("check", "--formt", "json", BANK)
    assert result.code == 2
    assert result.err.startswith("usage: ivrlint check ")
    assert result.err.endswith("ivrlint check: error: unrecognized arguments: --formt\n")


def test_an_unknown_option_before_the_command_shows_the_top_level_usage():
    result = run_cli("--bogus", "check", BANK)
    assert result.code == 2
    assert result.err.startswith("usage: ivrlint [-h]")
    assert result.err.endswith("ivrlint: error: unrecognized arguments: --bogus\n")
