"""SARIF 2.1.0 output, as GitHub code scanning reads it.

One run: the tool (ivrlint, its version, every rule with its page as help),
one result per finding (rule, level, message, file, line and column), and
one invocation that says whether every file could be read; an unreadable
file is a tool execution notification at the place the error points to.
File URIs are relative to the current directory (the checkout, in CI),
with %SRCROOT% naming that directory for tools that want it absolute.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from ivrlint import __version__
from ivrlint.lint.formats.paths import file_uri, relative_path
from ivrlint.lint.formats.rule_help import markdown, section
from ivrlint.lint.rules import Rule, all_rules

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
#: The project's home, as in the menu schema's id (ivrlint/menu/schema.py).
INFORMATION_URI = "https://ivrlint.dev"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
#: Rule families by the first letter of the code, as tags for filtering.
FAMILIES = {"S": "structure", "U": "usability", "T": "traffic", "I": "import", "L": "suppression"}
SRCROOT = "%SRCROOT%"


def render(report, stream, color: bool = False) -> None:
    json.dump(sarif_log(report), stream, indent=2, ensure_ascii=False)
    stream.write("\n")


def sarif_log(report) -> dict:
    rules = all_rules()
    index = {rule.slug: i for i, rule in enumerate(rules)}
    notifications = [
        _notification(message, loc.file if loc else u.file, loc.line if loc else None, loc.column if loc else None)
        for u in report.unreadable for loc, message in u.problems
    ]
    run = {
        "tool": {"driver": {
            "name": "ivrlint",
            "version": __version__,
            "semanticVersion": __version__,
            "informationUri": INFORMATION_URI,
            "rules": [_descriptor(rule) for rule in rules],
        }},
        "invocations": [{"executionSuccessful": not report.unreadable, "toolExecutionNotifications": notifications}],
        "originalUriBaseIds": {SRCROOT: {"uri": Path(os.getcwd()).as_uri().rstrip("/") + "/"}},
        "columnKind": "unicodeCodePoints",  # ivrlint counts columns in characters
        "results": [_result(f, index) for f in report.findings],
    }
    return {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}


def _descriptor(rule: Rule) -> dict:
    level = LEVELS.get(rule.severity, "error")
    return {
        "id": rule.code,
        "name": rule.slug,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": section(rule.doc, "What it checks") or rule.summary},
        "help": {"text": rule.doc, "markdown": markdown(rule.doc)},
        "defaultConfiguration": {"level": level},
        "properties": {"tags": [FAMILIES.get(rule.code[:1], "other")]},
    }


def _location(file: str, line, column) -> dict:
    uri = file_uri(file)
    artifact = {"uri": uri} if uri.startswith("file:") else {"uri": uri, "uriBaseId": SRCROOT}
    physical: dict = {"artifactLocation": artifact}
    if line:
        physical["region"] = {"startLine": line, **({"startColumn": column} if column else {})}
    return {"physicalLocation": physical}


def _result(finding, index: dict) -> dict:
    result = {
        "ruleId": finding.code,
        "level": LEVELS.get(finding.severity, "error"),
        "message": {"text": finding.message},
        "locations": [_location(finding.file, finding.line, finding.column)],
    }
    if finding.rule in index:
        result["ruleIndex"] = index[finding.rule]
    if finding.node:
        result["properties"] = {"node": finding.node}
    return result


def _notification(message: str, file: str, line, column) -> dict:
    return {
        "level": "error",
        "message": {"text": f"{relative_path(file)}: {message}"},
        "locations": [_location(file, line, column)],
    }
