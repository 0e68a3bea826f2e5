"""JUnit XML output, for CI servers that show test reports (GitLab, Jenkins).

One test suite; one test case per file checked, named by its path. Each
finding is a <failure> of its file's case; a file that could not be read
has an <error>. The suite's counts are of cases, as JUnit readers count:
`failures` cases with a finding, `errors` cases that could not be read.
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


def render(report, stream, color: bool = False) -> None:
    cases: dict[str, ET.Element] = {}
    suite = ET.Element("testsuite", name="ivrlint")

    def case(file: str) -> ET.Element:
        key = os.path.abspath(file)
        if key not in cases:
            path = _xml_text(relative_path(file))
            cases[key] = ET.SubElement(suite, "testcase", classname="ivrlint", name=path, file=path)
        return cases[key]

    for file in report.files:
        case(file)
    for f in report.findings:
        failure = ET.SubElement(case(f.file), "failure", type=f"{f.code} {f.rule}",
                                message=_xml_text(f"{f.severity}: {f.message}"))
        failure.text = _xml_text(f"{relative_path(f.file)}:{f.line}:{f.column}: {f.severity} {f.rule} {f.message}")
    for u in report.unreadable:
        for file in u.files:
            message = _xml_text(u.problems[0][1] if u.problems else "cannot be read")
            error = ET.SubElement(case(file), "error", type="unreadable", message=message)
            error.text = _xml_text("\n".join(u.lines))
    counts = {
        "tests": len(cases),
        "failures": sum(1 for c in cases.values() if c.find("failure") is not None),
        "errors": sum(1 for c in cases.values() if c.find("error") is not None),
        "skipped": 0,
    }
    suite.attrib.update({name: str(value) for name, value in counts.items()})
    root = ET.Element("testsuites", {"name": "ivrlint", **{k: str(v) for k, v in counts.items() if k != "skipped"}})
    root.append(suite)
    ET.indent(root)
    stream.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    stream.write(ET.tostring(root, encoding="unicode"))
    stream.write("\n")
