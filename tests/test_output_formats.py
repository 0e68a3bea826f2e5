"""Output formats for CI: SARIF, GitHub annotations, JUnit XML, and the text view's colour."""

from __future__ import annotations

import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import run_cli

from ivrlint import __version__
from ivrlint.lint.findings import Finding
from ivrlint.lint.formats import FORMATS, Report
from ivrlint.lint.formats.github import command
from ivrlint.lint.formats.paths import file_uri, relative_path
from ivrlint.lint.formats.sarif import sarif_log
from ivrlint.lint.formats.text import use_color
from ivrlint.lint.rules import all_rules

# Node names in Lithuanian, Russian and Arabic, and one with a newline, a
# percent sign, a comma, a colon and a bell: what a menu's text can hold.
LANGUAGES = """\
ivr: t
start: main
nodes:
  main:
    type: menu
    prompt: "Norėdami mokėti, spauskite 1. Для оплаты нажмите 2."
    options: {1: mokėjimai, 2: оплата, 0: agent}
    on_failure: agent
  agent: {type: queue, queue: q}
  "الفواتير": {type: hangup}
  "odd\\nname 100%, a:b\\a": {type: hangup}
queues:
  q: {agents: 1, handle_time: 60}
"""
CLEAN = LANGUAGES.replace("mokėjimai", "agent").replace("оплата", "agent").split('  "الفواتير"')[0] + "queues:\n  q: {agents: 1, handle_time: 60}\n"
NAMES = ("mokėjimai", "оплата", "الفواتير")
ODD = "odd\nname 100%, a:b\a"
RULES = "unknown-target,unreachable"


@pytest.fixture
def project(tmp_path):
    """A checkout with a menu that has four findings, a clean one and an unreadable one."""
    (tmp_path / "menus").mkdir()
    (tmp_path / "menus" / "kalbos.yaml").write_text(LANGUAGES, encoding="utf-8")
    (tmp_path / "menus" / "clean.yaml").write_text(CLEAN, encoding="utf-8")
    (tmp_path / "menus" / "broken.yaml").write_text("ivr: [\n", encoding="utf-8")
    return tmp_path


def check(project: Path, fmt: str):
    return run_cli("check", "--select", RULES, "--format", fmt, "menus/kalbos.yaml", "menus/clean.yaml", "menus/broken.yaml", cwd=project)


def test_every_format_is_offered():
    assert set(FORMATS) == {"text", "json", "sarif", "github", "junit"}


def test_the_clean_menu_has_no_findings_and_the_other_four(project):
    result = check(project, "json")
    assert result.code == 2  # the unreadable file
    assert sorted((f["code"], f["line"]) for f in json.loads(result.out)) == [("S101", 7), ("S101", 7), ("S104", 10), ("S104", 11)]


# -- SARIF ---------------------------------------------------------------------

def sarif(project: Path) -> dict:
    return json.loads(check(project, "sarif").out)


def test_sarif_validates_against_the_schema_github_reads(project):
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((Path(__file__).parent / "sarif-2.1.0-github.schema.json").read_text())
    jsonschema.Draft7Validator.check_schema(schema)
    jsonschema.validate(sarif(project), schema)


def test_sarif_schema_rejects_what_github_would_reject(project):
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((Path(__file__).parent / "sarif-2.1.0-github.schema.json").read_text())
    log = sarif(project)
    del log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(log, schema)


def test_sarif_driver_describes_every_rule_with_its_page(project):
    log = sarif(project)
    assert log["version"] == "2.1.0" and len(log["runs"]) == 1
    driver = log["runs"][0]["tool"]["driver"]
    assert (driver["name"], driver["version"]) == ("ivrlint", __version__)
    assert driver["informationUri"].startswith("https://")
    by_id = {r["id"]: r for r in driver["rules"]}
    assert list(by_id) == [rule.code for rule in all_rules()]
    dead_end = by_id["S103"]
    assert dead_end["name"] == "dead-end"
    assert dead_end["shortDescription"]["text"] == "a node that does not end the call yet leads nowhere"
    assert dead_end["fullDescription"]["text"].startswith("A menu with no options")
    assert dead_end["help"]["text"].startswith("dead-end (S103)") and "Why it matters" in dead_end["help"]["text"]
    assert "**Why it matters**" in dead_end["help"]["markdown"] and "```yaml\nivr: shop\n" in dead_end["help"]["markdown"]
    assert dead_end["defaultConfiguration"]["level"] == "error"
    assert by_id["L001"]["defaultConfiguration"]["level"] == "warning"


def test_sarif_results_point_at_relative_files_with_line_and_column(project):
    run = sarif(project)["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    results = sorted(run["results"], key=lambda r: (r["locations"][0]["physicalLocation"]["region"]["startLine"],
                                                    r["locations"][0]["physicalLocation"]["region"]["startColumn"]))
    assert [(r["ruleId"], r["level"]) for r in results] == [("S101", "error")] * 2 + [("S104", "error")] * 2
    for result in results:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"] == {"uri": "menus/kalbos.yaml", "uriBaseId": "%SRCROOT%"}
    assert results[0]["locations"][0]["physicalLocation"]["region"] == {"startLine": 7, "startColumn": 18}
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == project.resolve().as_uri() + "/"


def test_sarif_keeps_names_in_any_script(project):
    texts = [r["message"]["text"] for r in sarif(project)["runs"][0]["results"]]
    for name in NAMES + (ODD,):
        assert any(f"'{name}'" in text for text in texts), name


def test_sarif_reports_an_unreadable_file_as_a_failed_execution(project):
    [invocation] = sarif(project)["runs"][0]["invocations"]
    assert invocation["executionSuccessful"] is False
    [note] = invocation["toolExecutionNotifications"]
    assert note["level"] == "error" and note["message"]["text"].startswith("menus/broken.yaml: invalid YAML")
    assert note["locations"][0]["physicalLocation"]["region"]["startLine"] == 2


def test_sarif_levels_and_a_run_that_read_everything():
    finding = Finding("unreachable", "S104", "info", "m", "a.yaml", 3, 1)
    run = sarif_log(Report([finding], [], ["a.yaml"]))["runs"][0]
    assert run["results"][0]["level"] == "note"
    assert run["invocations"][0] == {"executionSuccessful": True, "toolExecutionNotifications": []}


def test_file_uris_are_relative_and_encoded_or_absolute_outside(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert relative_path(str(tmp_path / "menus" / "a.yaml")) == "menus/a.yaml"
    assert file_uri("menus/meniu ąčę.yaml") == "menus/meniu%20%C4%85%C4%8D%C4%99.yaml"
    outside = tmp_path.parent / "elsewhere.yaml"
    assert file_uri(str(outside)) == outside.as_uri()


# -- GitHub annotations ----------------------------------------------------------

ANNOTATION = re.compile(r"^::(error|warning|notice) file=([^,:]+),line=(\d+),col=(\d+),title=([^,:]+)::(.+)$")


def test_github_annotations_have_the_workflow_command_syntax(project):
    *lines, summary = check(project, "github").out.splitlines()
    annotations = [ANNOTATION.match(line) for line in lines]
    assert all(annotations), lines
    assert [(m[1], m[2], m[3], m[5]) for m in annotations[:2]] == [
        ("error", "menus/kalbos.yaml", "7", "S101 unknown-target"), ("error", "menus/kalbos.yaml", "7", "S101 unknown-target"),
    ]
    assert annotations[-1][2] == "menus/broken.yaml" and annotations[-1][5] == "unreadable menu"
    assert summary == "4 errors in 2 files; 1 file could not be read"


def test_github_messages_keep_names_in_any_script_and_escape_newlines_and_percent(project):
    out = check(project, "github").out
    for name in NAMES:
        assert f"'{name}'" in out
    [odd] = [line for line in out.splitlines() if "odd" in line]
    assert odd.endswith("::hangup 'odd%0Aname 100%25, a:b\\x07' cannot be reached from menu 'main'; link to it or remove it")


def test_github_properties_escape_colon_and_comma():
    line = command("warning", "50% done\r\nnext", file="a,b:c.yaml", line=1, col=2, title="U201 x")
    assert line == "::warning file=a%2Cb%3Ac.yaml,line=1,col=2,title=U201 x::50%25 done%0D%0Anext"


def test_github_info_findings_are_notices():
    stream = io.StringIO()
    from ivrlint.lint.formats import render
    render(Report([Finding("unreachable", "S104", "info", "m", "a.yaml", 3, 1)], [], ["a.yaml"]), "github", stream)
    assert stream.getvalue().startswith("::notice file=a.yaml,line=3,col=1,title=S104 unreachable::m\n")


# -- JUnit -----------------------------------------------------------------------

#: What the JUnit schema Jenkins' xUnit plugin validates with (junit-10.xsd,
#: docs/sources.md#junit-xml) allows: each element's attributes (required ones
#: True) and children. A case may hold several failures there, but CI viewers
#: show only the first, so ivrlint's cases hold at most one.
JUNIT_SCHEMA = {
    "testsuites": ({"name": False, "time": False, "tests": False, "failures": False, "errors": False}, {"testsuite"}),
    "testsuite": ({"name": True, "tests": True, "failures": True, "errors": True, "group": False, "time": False,
                   "skipped": False, "timestamp": False, "hostname": False, "id": False, "package": False,
                   "file": False, "log": False, "url": False},
                  {"testsuite", "properties", "testcase", "system-out", "system-err"}),
    "testcase": ({"name": True, "time": False, "classname": False, "group": False},
                 {"skipped", "error", "failure", "system-out", "system-err"}),
    "failure": ({"type": False, "message": False}, set()),
    "error": ({"type": False, "message": False}, set()),
}


def _conforms(element) -> None:
    attributes, children = JUNIT_SCHEMA[element.tag]
    assert set(element.attrib) <= set(attributes), (element.tag, set(element.attrib) - set(attributes))
    assert all(name in element.attrib for name, required in attributes.items() if required), element.tag
    for child in element:
        assert child.tag in children, (element.tag, child.tag)
        _conforms(child)


def test_junit_follows_the_schema_with_one_case_per_finding_and_right_counts(project):
    out = check(project, "junit").out
    assert out.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    root = ET.fromstring(out.encode("utf-8"))
    assert root.tag == "testsuites"
    _conforms(root)
    [suite] = root.findall("testsuite")
    cases = suite.findall("testcase")
    assert [c.get("classname") for c in cases] == ["menus/kalbos.yaml"] * 4 + ["menus/clean.yaml", "menus/broken.yaml"]
    assert all(len(c.findall("failure")) <= 1 for c in cases)
    assert [c.get("name") for c in cases[:4]] == ["menus/kalbos.yaml:7:18 S101 unknown-target", "menus/kalbos.yaml:7:32 S101 unknown-target",
                                                  "menus/kalbos.yaml:10:3 S104 unreachable", "menus/kalbos.yaml:11:3 S104 unreachable"]
    assert list(cases[4]) == [] and cases[4].get("name") == "menus/clean.yaml"
    [error] = cases[5].findall("error")
    assert error.get("message").startswith("invalid YAML") and error.text.startswith("menus/broken.yaml:2:1: error:")
    for element in (root, suite):
        assert (element.get("tests"), element.get("failures"), element.get("errors")) == ("6", "4", "1")


def test_junit_keeps_names_in_any_script_and_writes_control_characters_visibly(project):
    root = ET.fromstring(check(project, "junit").out.encode("utf-8"))
    failures = root.findall(".//failure")
    messages = [f.get("message") for f in failures]
    for name in NAMES:
        assert any(f"'{name}'" in m for m in messages), name
    assert any("'odd\nname 100%, a:b\\x07'" in m for m in messages)
    first = failures[0]
    assert first.get("type") == "S101 unknown-target"
    assert first.text == "menus/kalbos.yaml:7:18: error unknown-target key 1 of 'main' goes to 'mokėjimai', which does not exist"


# -- text --------------------------------------------------------------------------

class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_colour_only_on_a_terminal_and_no_color_wins():
    assert use_color(Terminal(), {}) is True
    assert use_color(io.StringIO(), {}) is False
    assert use_color(Terminal(), {"NO_COLOR": "1"}) is False
    assert use_color(Terminal(), {"NO_COLOR": ""}) is True  # no-color.org: set and not empty
    assert use_color(io.StringIO(), {"FORCE_COLOR": "1"}) is True
    assert use_color(Terminal(), {"NO_COLOR": "1", "FORCE_COLOR": "1"}) is False
    assert use_color(Terminal(), {"TERM": "dumb"}) is False


def test_force_color_colours_text_output_in_a_pipe_and_never_json(project, monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert "\033[31merror\033[0m" in check(project, "text").out
    assert "\033[" not in check(project, "json").out
    monkeypatch.delenv("FORCE_COLOR")
    assert "\033[" not in check(project, "text").out


def test_text_keeps_one_finding_per_line_whatever_the_names_hold(project):
    out = check(project, "text").out
    assert "menus/kalbos.yaml:11:3: error unreachable hangup 'odd\\nname 100%, a:b\\x07' cannot be reached" in out
    assert len(out.splitlines()) == 5
