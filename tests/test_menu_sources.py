"""Which files `ivrlint check DIR` reads as one phone line: a YAML file alone,
a platform's files by directory, and never a file its includer already reads."""

from __future__ import annotations

import json

from ivrlint.importers import menu_sources, source_files

from conftest import ROOT, run_cli

FIXTURES = ROOT / "tests" / "fixtures"


def test_yaml_menus_are_each_a_line_and_platform_files_group_by_directory():
    groups = menu_sources([str(ROOT / "menus")], [str(ROOT / "menus" / "bad")])
    names = [sorted(p.rsplit("/", 1)[1] for p in group) for group in groups]
    assert ["bank.yaml"] in names and ["telecom.yaml"] in names
    assert ["billing.xml", "main.xml"] in names  # FreeSWITCH menus that link across files
    assert ["Acme Support.json", "Billing.json"] in names  # Connect flows that transfer to each other


def test_files_an_asterisk_dialplan_includes_are_not_a_line_of_their_own():
    groups = menu_sources([str(FIXTURES / "asterisk" / "handwritten")])
    assert [[p.rsplit("/", 1)[1] for p in group] for group in groups] == [["extensions.conf"]]
    assert sorted(p.rsplit("/", 1)[1] for p in source_files(groups[0])) == ["extensions.conf", "main.conf", "sales.conf"]


def test_files_a_freeswitch_configuration_includes_are_read_once():
    groups = menu_sources([str(FIXTURES / "freeswitch" / "stock")])
    assert [[p.rsplit("/", 1)[1] for p in group] for group in groups] == [["ivr.conf.xml"]]


def test_check_reports_each_finding_of_an_included_file_once():
    result = run_cli("check", "--format", "json", str(FIXTURES / "asterisk" / "handwritten"))
    findings = [(f["file"], f["line"], f["rule"]) for f in json.loads(result.out)]
    assert findings and len(findings) == len(set(findings))
    assert any(f[0].endswith("menus/sales.conf") for f in findings)


def test_a_named_flow_brings_the_flows_beside_it_so_its_links_resolve():
    """pre-commit names only the changed file; its transfers to other flows must still resolve."""
    one = ROOT / "menus" / "platforms" / "connect" / "Acme Support.json"
    groups = menu_sources([str(one)])
    assert [sorted(p.rsplit("/", 1)[1] for p in g) for g in groups] == [["Acme Support.json", "Billing.json"]]
    result = run_cli("check", str(one))
    assert result.code == 0 and "broken-entry" not in result.out


def test_two_named_flows_of_one_directory_are_one_line():
    folder = ROOT / "menus" / "platforms" / "connect"
    groups = menu_sources([str(folder / "Acme Support.json"), str(folder / "Billing.json")])
    assert len(groups) == 1


def test_simulating_a_platform_file_says_how_to_add_traffic():
    result = run_cli("analyze", str(ROOT / "menus" / "platforms" / "freeswitch" / "main.xml"))
    assert result.code == 2
    assert "ivrlint import freeswitch" in result.err and "traffic" in result.err
    assert len(result.err.strip().splitlines()) == 1
