"""Configuration: found by walking up from each menu file; flags on top; errors that say where."""

from __future__ import annotations

import pytest
from conftest import run_cli

# One unknown-target error (line 7). Every configuration below selects the
# structural rules only, so that the usability rules' findings stay out.
MENU = """\
ivr: t
start: main
nodes:
  main:
    type: menu
    prompt: For sales, press 1. For an agent, press 0.
    options: {1: agnet, 0: agent}
    on_failure: agent
  agent: {type: queue, queue: q}
queues:
  q: {agents: 1, handle_time: 60}
"""
STRUCTURE = "unknown-target,dead-end"
SELECT = {"cfg": "select = unknown-target, dead-end\n", "toml": "select = ['unknown-target', 'dead-end']\n",
          "yaml": "select: [unknown-target, dead-end]\n"}


def rules_in(out: str) -> list[str]:
    """The rule of each finding line of text output."""
    return [line.split(" ")[2] for line in out.splitlines()[:-1]]


def files_in(out: str) -> list[str]:
    """The file of each finding line of text output."""
    return sorted(line.split(":")[0].removeprefix("./") for line in out.splitlines()[:-1])


@pytest.fixture
def tree(write, tmp_path):
    """a/ with a configuration, a/deep/er/ below it with the same menu, and b/ with its own."""
    for folder in ("a", "a/deep/er", "b"):
        write(f"{folder}/m.yaml", MENU)
    return tmp_path


def test_each_menu_gets_the_nearest_configuration_above_it(tree, write):
    write("a/setup.cfg", "[ivrlint]\nignore = unknown-target\n" + SELECT["cfg"])
    write("b/.ivrlint.yaml", "rules:\n  unknown-target: {severity: warning}\n" + SELECT["yaml"])
    result = run_cli("check", "a/m.yaml", "a/deep/er/m.yaml", "b/m.yaml", cwd=tree)
    assert result.out.splitlines() == [
        "b/m.yaml:7:18: warning unknown-target key 1 of 'main' goes to 'agnet', which does not exist; did you mean 'agent'?",
        "1 warning in 3 files",
    ]


def test_the_nearer_configuration_wins_over_one_further_up(tree, write):
    write("pyproject.toml", "[tool.ivrlint]\nignore = ['unknown-target']\n" + SELECT["toml"])
    write("a/deep/.ivrlint.yaml", "fail-on: error\n" + SELECT["yaml"])
    result = run_cli("check", "a/m.yaml", "a/deep/er/m.yaml", cwd=tree)
    assert files_in(result.out) == ["a/deep/er/m.yaml"]
    assert result.code == 1


def test_files_without_an_ivrlint_section_are_passed_over(tree, write):
    write("a/setup.cfg", "[flake8]\nignore = E1\n")
    write("a/deep/pyproject.toml", "[tool.ruff]\nignore = ['E1']\n")
    write(".ivrlint.yaml", "ignore: [unknown-target]\n" + SELECT["yaml"])
    result = run_cli("check", "a/deep/er/m.yaml", cwd=tree)
    assert result.code == 0 and result.out == "no problems in 1 file\n"


def test_directories_use_the_configuration_of_each_file_found(tree, write):
    write(".ivrlint.yaml", SELECT["yaml"])
    write("b/.ivrlint.yaml", "ignore: [unknown-target]\n" + SELECT["yaml"])
    result = run_cli("check", ".", cwd=tree)
    assert files_in(result.out) == ["a/deep/er/m.yaml", "a/m.yaml"]


def test_hidden_yaml_files_are_never_taken_for_menus(tree, write):
    write(".gitlab-ci.yml", "test:\n  script: make test\n")
    write("a/.pre-commit-config.yaml", "repos: []\n")
    write(".ivrlint.yaml", "ignore: [unknown-target]\n" + SELECT["yaml"])
    result = run_cli("check", ".", cwd=tree)
    assert result.code == 0 and result.out == "no problems in 3 files\n"


def test_flags_override_the_configuration(tree, write):
    write("a/.ivrlint.yaml", "select: [dead-end]\nfail-on: warning\n")
    assert run_cli("check", "a/m.yaml", cwd=tree).code == 0
    result = run_cli("check", "--select", "unknown-target", "--fail-on", "error", "a/m.yaml", cwd=tree)
    assert result.code == 1 and rules_in(result.out) == ["unknown-target"]
    assert run_cli("check", "--no-config", "--ignore", "unknown-target", "--select", STRUCTURE, "a/m.yaml", cwd=tree).code == 0


def test_config_flag_names_one_file_for_every_menu(tree, write):
    write("a/.ivrlint.yaml", "ignore: [unknown-target]\n" + SELECT["yaml"])
    write("strict.yaml", "select: [unknown-target]\n")
    result = run_cli("check", "--config", "strict.yaml", "a/m.yaml", "b/m.yaml", cwd=tree)
    assert rules_in(result.out) == ["unknown-target", "unknown-target"]


def test_exclude_applies_under_directories_and_with_force_exclude_to_named_files(tree, write):
    write(".ivrlint.yaml", "exclude: [b]\nselect: [unknown-target]\n")
    assert files_in(run_cli("check", ".", cwd=tree).out) == ["a/deep/er/m.yaml", "a/m.yaml"]
    assert files_in(run_cli("check", "b/m.yaml", cwd=tree).out) == ["b/m.yaml"]  # named: checked, as ruff does
    result = run_cli("check", "--force-exclude", "b/m.yaml", "a/m.yaml", cwd=tree)
    assert files_in(result.out) == ["a/m.yaml"]
    only_excluded = run_cli("check", "--force-exclude", "b/m.yaml", cwd=tree)
    assert only_excluded.code == 0 and only_excluded.out == "no problems in 0 files\n"


@pytest.mark.parametrize("name, text, where, message", [
    ("setup.cfg", "[flake8]\nignore = E1\n\n[ivrlint]\nignroe = dead-end\n", "5:1",
     "unknown setting 'ignroe' in the ivrlint configuration"),
    ("setup.cfg", "[ivrlint]\nselect = dead-end\n[ivrlint:dead-end]\nmax = 3\n", "4:1",
     "rule 'dead-end' has no option 'max'"),
    ("setup.cfg", "[ivrlint:dead-ends]\nseverity = info\n", "1:10",
     "configuration for unknown rule 'dead-ends'"),
    ("pyproject.toml", "[tool.ruff]\nignore = ['E1']\n\n[tool.ivrlint]\nignore = ['dead-end', 'trap-lop']\n", "5:24",
     "'ignore' names unknown rule 'trap-lop'"),
    ("pyproject.toml", "[tool.ivrlint.rules.dead-end]\nseverity = 'high'\n", "2:13",
     "severity of 'dead-end' must be one of info, warning, error; got 'high'"),
    (".ivrlint.yaml", "rules:\n  trap-loop: {severity: info}\n  dead-end:\n    limit: 2\n", "4:5",
     "rule 'dead-end' has no option 'limit'"),
    (".ivrlint.yaml", "select: [dead-end, unknown-targt]\n", "1:20",
     "'select' names unknown rule 'unknown-targt'"),
])
def test_an_unknown_rule_or_option_is_an_error_at_its_line(tree, write, name, text, where, message):
    write(f"a/{name}", text)
    result = run_cli("check", "a/m.yaml", cwd=tree)
    assert result.code == 2 and result.out == ""
    [line] = result.err.splitlines()
    assert line.startswith(f"{tree / 'a' / name}:{where}: error: {message}"), line


def test_a_configuration_error_without_a_findable_place_still_names_the_file(tree, write):
    write("a/pyproject.toml", "[tool.ivrlint]\nrules = 3\n")
    [line] = run_cli("check", "a/m.yaml", cwd=tree).err.splitlines()
    assert line.startswith(f"{tree / 'a' / 'pyproject.toml'}") and "'rules' must map a rule's slug to its settings" in line
