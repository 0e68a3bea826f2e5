"""JSON output: a list of findings, each a flat object."""

from __future__ import annotations

import json


def render(report, stream, color: bool = False) -> None:
    json.dump([f.as_dict() for f in report.findings], stream, indent=2, ensure_ascii=False)
    stream.write("\n")
