"""per-file-ignores: rules not reported in some files, or at one node of them (JSON has no comments)."""

from __future__ import annotations

import json

import pytest
from conftest import MENUS, ROOT, run_cli

from ivrlint.lint.config import load_config
from ivrlint.lint.ignores import matches_file
from ivrlint.lint.settings import FileIgnore

HELPDESK = (MENUS / "bad" / "platforms" / "connect" / "Helpdesk.json").read_text(encoding="utf-8")
FREESWITCH = (MENUS / "bad" / "platforms" / "freeswitch" / "ivr.conf.xml").read_text(encoding="utf-8")


def rules_by_file(out: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for line in out.splitlines()[:-1]:
        found.setdefault(line.split(":")[0], []).append(line.split(" ")[2])
    return found


@pytest.fixture
def project(write, tmp_path):
    """flows/Helpdesk.json (Amazon Connect) and ivr/ivr.conf.xml (FreeSWITCH), each a phone line of its own."""
    write("flows/Helpdesk.json", HELPDESK)
    write("ivr/ivr.conf.xml", FREESWITCH)
    return tmp_path


def check(project, *args):
    return run_cli("check", *args, "flows", "ivr", cwd=project)


def test_a_glob_ignores_rules_in_the_files_it_matches_only(project, write):
    before = rules_by_file(check(project).out)
    assert "opaque-step" in before["flows/Helpdesk.json"] and "opaque-step" in before["ivr/ivr.conf.xml"]
    write("pyproject.toml", '[tool.ivrlint.per-file-ignores]\n"flows/*.json" = ["opaque-step", "I402"]\n')
    after = rules_by_file(check(project).out)
    assert not {"opaque-step", "broken-entry"} & set(after["flows/Helpdesk.json"])
    assert after["ivr/ivr.conf.xml"] == before["ivr/ivr.conf.xml"]


def test_a_pattern_without_a_folder_matches_the_file_name_anywhere(project, write):
    write(".ivrlint.yaml", "per-file-ignores:\n  '*.xml': [opaque-step]\n")
    assert "opaque-step" not in rules_by_file(check(project).out)["ivr/ivr.conf.xml"]


def test_a_node_entry_covers_that_node_and_the_parts_made_for_it(project, write):
    write("setup.cfg", "[ivrlint]\nper-file-ignores =\n    flows/Helpdesk.json#Helpdesk/menu: no-repeat, no-zero-out\n"
                       "    ivr/*.xml#main: broken-entry\n")
    found = rules_by_file(check(project).out)
    assert not {"no-repeat", "no-zero-out"} & set(found["flows/Helpdesk.json"])
    assert "broken-entry" in found["flows/Helpdesk.json"]  # other nodes keep theirs
    # menu 'main''s broken entry is covered (its finding is on the menu); menu 'support''s is not
    broken = [line for line in check(project).out.splitlines() if line.startswith("ivr/") and " broken-entry " in line]
    assert len(broken) == 1 and "menu 'support'" in broken[0]


def test_an_entry_that_silences_nothing_is_reported_at_its_rule_in_the_configuration(project, write):
    write("pyproject.toml", '[tool.ivrlint]\nselect = ["ALL"]\n\n[tool.ivrlint.per-file-ignores]\n'
                            '"flows/*.json" = ["opaque-step", "long-prompt"]\n"elsewhere/*.json" = ["no-repeat"]\n')
    result = check(project)
    [unused] = [line for line in result.out.splitlines() if "unused-suppression" in line]
    assert unused.startswith("pyproject.toml:5:35: warning unused-suppression per-file-ignores ignores 'long-prompt' in "
                             "'flows/*.json', but it finds nothing there; remove it from the configuration")


def test_an_unused_entry_for_a_rule_the_run_does_not_apply_is_not_reported(project, write):
    write("pyproject.toml", '[tool.ivrlint.per-file-ignores]\n"flows/*.json" = ["long-prompt"]\n')
    # long-prompt did not run, so nothing says the entry is not needed
    assert "unused-suppression" not in check(project, "--select", "no-repeat,unused-suppression").out
    assert "unused-suppression" in check(project, "--select", "long-prompt,unused-suppression").out


@pytest.mark.parametrize("config, text, where, words", [
    ("pyproject.toml", '[tool.ivrlint.per-file-ignores]\n"flows/*.json" = ["no-such-rule"]\n', ":2:",
     "'per-file-ignores' names unknown rule 'no-such-rule' for 'flows/*.json'"),
    ("pyproject.toml", '[tool.ivrlint.per-file-ignores]\n"flows/a.json#" = ["no-repeat"]\n', ":2:", "a node after '#'"),
    ("setup.cfg", "[ivrlint]\nper-file-ignores =\n    flows/*.json no-repeat\n", ":", "needs the form GLOB: RULE[, RULE]"),
    (".ivrlint.yaml", "per-file-ignores: [flows/*.json]\n", ":", "'per-file-ignores' must map a file pattern to rules"),
    ("pyproject.toml", '[tool.ivrlint.per-file-ignores]\n"flows/*.json" = []\n', ":2:", "gives 'flows/*.json' no rules"),
])
def test_a_wrong_entry_is_one_error_at_the_configuration(project, write, config, text, where, words):
    write(config, text)
    result = check(project)
    assert result.code == 2
    [line] = result.err.splitlines()[-1:]
    assert line.startswith(str(project / config) + where) and words in line, line


def test_matching_is_relative_to_the_configuration_and_star_crosses_folders(tmp_path):
    ignore = FileIgnore("flows/*.json", "flows/*.json", None, (("no-repeat", None),), str(tmp_path))
    assert matches_file(ignore, str(tmp_path / "flows" / "a.json"))
    assert matches_file(ignore, str(tmp_path / "flows" / "old" / "a.json"))
    assert not matches_file(ignore, str(tmp_path / "other" / "flows" / "a.json"))
    by_name = FileIgnore("Helpdesk.json", "Helpdesk.json", None, (("no-repeat", None),), str(tmp_path))
    assert matches_file(by_name, str(tmp_path / "deep" / "er" / "Helpdesk.json"))


def test_json_output_keeps_the_ignored_findings_out_too(project, write):
    write("pyproject.toml", '[tool.ivrlint.per-file-ignores]\n"flows/Helpdesk.json" = ["retries"]\n')
    found = json.loads(check(project, "--format", "json").out)
    assert [f for f in found if f["file"].endswith("Helpdesk.json") and f["rule"] == "retries"] == []


@pytest.mark.parametrize("name, first_line", [("pyproject.toml", "[tool.ivrlint.per-file-ignores]"),
                                              ("setup.cfg", "[ivrlint]\nper-file-ignores ="),
                                              (".ivrlint.yaml", "per-file-ignores:")])
def test_the_readme_samples_are_configurations_ivrlint_reads(write, name, first_line):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = [block.split("```")[0] for block in readme.split("```")[1::2]]
    [sample] = [block for block in (b.split("\n", 1)[1] for b in blocks if "\n" in b)
                if block.startswith(f"# {name}") and first_line in block]
    settings, _ = load_config(str(write(name, sample)))
    assert settings.per_file_ignores and all(ignore.rules for ignore in settings.per_file_ignores)
