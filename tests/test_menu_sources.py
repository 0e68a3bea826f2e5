"""Which files `ivrlint check DIR` reads as one phone line: a YAML file alone,
a platform's files by directory, and never a file its includer already reads."""

from __future__ import annotations

import json

from conftest import ROOT, run_cli

from ivrlint.importers import menu_sources, source_files

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


FREESWITCH_LINE = ROOT / "menus" / "platforms" / "freeswitch"


def test_one_named_platform_file_is_the_same_line_for_every_command(tmp_path):
    """main.xml's key 1 leads to the billing menu in billing.xml beside it: check, graph and import agree."""
    main = FREESWITCH_LINE / "main.xml"
    checked = run_cli("check", "--no-config", "--format", "json", main)
    assert checked.code == 0 and json.loads(checked.out) == []
    imported = run_cli("import", "freeswitch", main)
    assert imported.code == 0 and "unknown-target" not in imported.err and "\n  billing:" in imported.out
    graphed = run_cli("graph", main, "-o", tmp_path / "line.dot")
    assert graphed.code == 0 and "billing" in (tmp_path / "line.dot").read_text(encoding="utf-8")


def test_load_any_reads_a_named_file_first_then_its_siblings_of_the_same_format():
    from ivrlint.importers import line_files

    named = FREESWITCH_LINE / "billing.xml"
    assert [p.rsplit("/", 1)[1] for p in line_files(str(named), "freeswitch")] == ["billing.xml", "main.xml"]
    assert menu_sources([str(named)]) == [line_files(str(named), "freeswitch")]


def test_files_named_one_by_one_to_import_are_exactly_the_line(tmp_path):
    """Several files named on the command line are the line; the others beside them stay out."""
    for name in ("main.xml", "billing.xml"):
        (tmp_path / name).write_bytes((FREESWITCH_LINE / name).read_bytes())
    (tmp_path / "other.xml").write_text(
        '<include><menu name="other" greet-long="say:Other line."><entry action="menu-exit" digits="0"/></menu></include>\n',
        encoding="utf-8")
    both = run_cli("import", "freeswitch", tmp_path / "main.xml", tmp_path / "billing.xml")
    assert both.code == 0 and "other" not in both.out.split("nodes:")[1]
    alone = run_cli("import", "freeswitch", tmp_path / "main.xml")
    assert "\n  other:" in alone.out  # one file named: its directory is the line


def test_a_file_named_with_from_is_read_with_its_siblings_by_check_too():
    checked = run_cli("check", "--no-config", "--from", "freeswitch", FREESWITCH_LINE / "main.xml")
    assert checked.code == 0 and "2 files" in checked.out, checked.out


def test_naming_every_flow_of_a_directory_checks_the_line_once(tmp_path):
    """Two named flows used to become two lines, [a, b] and [b, a]: linted twice, with
    the second file taken as the entry the second time."""
    import shutil

    for flow in (ROOT / "menus" / "platforms" / "connect").glob("*.json"):
        shutil.copy(flow, tmp_path / flow.name)
    named = run_cli("check", "--format", "json", str(tmp_path / "Acme Support.json"), str(tmp_path / "Billing.json"))
    folder = run_cli("check", "--format", "json", str(tmp_path))
    assert named.code == folder.code == 0
    assert json.loads(named.out) == json.loads(folder.out)
    assert "in 2 files" in run_cli("check", str(tmp_path / "Acme Support.json"), str(tmp_path / "Billing.json")).out
