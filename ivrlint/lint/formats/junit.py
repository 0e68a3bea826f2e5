"""JUnit XML output, for CI servers that show test reports (GitLab, Jenkins).

One test suite. Each finding is a test case of its own, with one
<failure>: CI viewers show only the first failure of a case, so a case
per finding is the form in which every finding is seen. The case's
classname is the file's path (viewers group by it) and its name says where
and which rule (``menus/bank.yaml:12:7 U201 no-zero-out``). A file with
no finding is one passing case named by its path; a file that could not
be read is one case with an <error>. The suite's counts are of cases, as
JUnit readers count. The elements and attributes are those of the JUnit
schema Jenkins' xUnit plugin validates with (junit-10.xsd,
docs/sources.md#junit-xml).
"""

from __future__ import annotations

import os
import re
import xml.etree.ElementTree as ET

from ivrlint.lint.formats.paths import relative_path

#: Characters XML 1.0 cannot hold even escaped; a menu's double-quoted
#: strings can contain them ("\a"), so they are written as \xNN.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _xml_text(text: str) -> str:
    return _NOT_XML.sub(lambda m: f"\\x{ord(m.group(0)):02x}", text)


def _error_case(suite: ET.Element, path: str, unreadable) -> None:
    case = ET.SubElement(suite, "testcase", classname=path, name=path)
    message = _xml_text(unreadable.problems[0][1] if unreadable.problems else "cannot be read")
    error = ET.SubElement(case, "error", type="unreadable", message=message)
    error.text = _xml_text("\n".join(unreadable.lines))


def render(report, stream, color: bool = False) -> None:
    suite = ET.Element("testsuite", name="ivrlint")
    found: dict[str, list] = {os.path.abspath(file): [] for file in report.files}
    for f in report.findings:
        found.setdefault(os.path.abspath(f.file), []).append(f)
    unreadable = {os.path.abspath(file): u for u in report.unreadable for file in u.files}
    names = {os.path.abspath(file): file for file in [*report.files, *(f.file for f in report.findings), *unreadable]}
    for key, file in names.items():
        path = _xml_text(relative_path(file))
        if key in unreadable:
            _error_case(suite, path, unreadable[key])
        elif not found.get(key):
            ET.SubElement(suite, "testcase", classname=path, name=path)
        for f in found.get(key, []):
            where = f"{path}:{f.line}:{f.column}"
            case = ET.SubElement(suite, "testcase", classname=path, name=f"{where} {f.code} {f.rule}")
            failure = ET.SubElement(case, "failure", type=f"{f.code} {f.rule}", message=_xml_text(f"{f.severity}: {f.message}"))
            failure.text = _xml_text(f"{where}: {f.severity} {f.rule} {f.message}")
    cases = suite.findall("testcase")
    counts = {
        "tests": len(cases),
        "failures": sum(1 for c in cases if c.find("failure") is not None),
        "errors": sum(1 for c in cases if c.find("error") is not None),
        "skipped": 0,
    }
    suite.attrib.update({name: str(value) for name, value in counts.items()})
    root = ET.Element("testsuites", {"name": "ivrlint", **{k: str(v) for k, v in counts.items() if k != "skipped"}})
    root.append(suite)
    ET.indent(root)
    stream.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    stream.write(ET.tostring(root, encoding="unicode"))
    stream.write("\n")
