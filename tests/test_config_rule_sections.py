"""A rule's options and severity in each configuration file, as the README
shows them, and a setup.cfg section meant for ivrlint but misspelt is an
error at its line that says what to write."""

from __future__ import annotations

import pytest
from conftest import run_cli

# a menu of six choices: too-many-options fires at its default max_options 5
MENU = """\
ivr: t
start: main
nodes:
  main:
    type: menu
    prompt: For a, press 1. For b, press 2. For c, press 3. For d, press 4. For e, press 5. For f, press 6. For an agent, press 0. To hear this again, press 9.
    options: {1: x, 2: x, 3: x, 4: x, 5: x, 6: x, 0: agent, 9: {action: repeat}}
    on_failure: agent
  x: {type: message, prompt: Bye., next: bye}
  agent: {type: queue, queue: general}
  bye: {type: hangup}
queues:
  general: {agents: 2, handle_time: 120}
"""

# as the README writes them, with MAX for the option's value
RULE_SETTINGS = {
    "setup.cfg": "[ivrlint:too-many-options]\nmax_options = MAX\nseverity = error\n",
    "pyproject.toml": '[tool.ivrlint.rules.too-many-options]\nmax_options = MAX\nseverity = "error"\n',
    ".ivrlint.yaml": "rules:\n  too-many-options: {max_options: MAX, severity: error}\n",
}


@pytest.mark.parametrize("name", RULE_SETTINGS)
def test_a_rules_option_and_severity_are_read_from_each_configuration_file(write, name):
    menu = write("menu.yaml", MENU)
    write(name, RULE_SETTINGS[name].replace("MAX", "7"))
    assert run_cli("check", menu).code == 0
    write(name, RULE_SETTINGS[name].replace("MAX", "5"))
    result = run_cli("check", menu)
    assert result.code == 1 and " error too-many-options " in result.out


@pytest.mark.parametrize("section", ["ivrlint.too-many-options", "ivrlint too-many-options", "ivrlint-too-many-options"])
def test_a_misspelt_rule_section_in_setup_cfg_is_an_error_saying_what_to_write(write, section):
    menu = write("menu.yaml", MENU)
    config = write("setup.cfg", f"[metadata]\nname = x\n\n[{section}]\nmax_options = 7\n")
    result = run_cli("check", menu)
    assert result.code == 2 and result.out == ""
    assert result.err.startswith(f"{config}:4:1: error: section [{section}] is not read by ivrlint; "
                                 "write [ivrlint:too-many-options] for the settings of rule too-many-options"), result.err


@pytest.mark.parametrize("section, instead", [("IVRLINT", "[ivrlint]"), ("ivrlint:", "[ivrlint:RULE]"),
                                              ("ivrlint.nonsense", "[ivrlint:RULE]")])
def test_other_sections_that_look_meant_for_ivrlint_are_errors_too(write, section, instead):
    menu = write("menu.yaml", MENU)
    write("setup.cfg", f"[ivrlint]\nignore = no-repeat\n[{section}]\nx = 1\n")
    result = run_cli("check", menu)
    assert result.code == 2 and f"section [{section}] is not read by ivrlint; write {instead}" in result.err


def test_sections_of_other_tools_are_left_alone(write):
    menu = write("menu.yaml", MENU)
    write("setup.cfg", "[ivrlint]\nignore = too-many-options\n[flake8]\nmax-line-length = 120\n[ivrlinter]\nx = 1\n")
    assert run_cli("check", menu).code == 0
