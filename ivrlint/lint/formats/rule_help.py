"""A rule's page (its module docstring) cut into parts for CI tools.

A page is a headline ("dead-end (S103): a node that ..."), then sections:
a title at the margin and its text indented, and the literal menu snippets
``Fails::`` and ``Passes::`` (see ivrlint/lint/rules/__init__.py). SARIF wants a
short and a full description and the help as text and as Markdown.
"""

from __future__ import annotations

import re
import textwrap

_LITERAL = "::"
_DOUBLE_BACKTICKS = re.compile(r"``(.+?)``")


def sections(doc: str) -> list[tuple[str, str]]:
    """(title, dedented body) of each section after the headline, in order."""
    out: list[tuple[str, list[str]]] = []
    for line in doc.splitlines()[1:]:
        if line and not line[0].isspace():
            out.append((line.strip(), []))
        elif out:
            out[-1][1].append(line)
    return [(title, textwrap.dedent("\n".join(body)).strip("\n")) for title, body in out]


def section(doc: str, title: str) -> str:
    """One section's body as a single paragraph of plain text ('' when absent)."""
    for name, body in sections(doc):
        if name == title:
            return " ".join(_DOUBLE_BACKTICKS.sub(r"\1", body).split())
    return ""


def _language(snippet: str) -> str:
    """The fence's language of an example: a platform's file (the I4xx rules) or an ivrlint YAML menu."""
    head = snippet.lstrip()
    if head.startswith("<"):
        return "xml"
    if head.startswith("{"):
        return "json"
    if head.startswith("["):  # an Asterisk context
        return "ini"
    return "yaml"


def markdown(doc: str) -> str:
    """The page in Markdown: bold section titles, snippets fenced in their language."""
    lines = doc.splitlines()
    parts = [_DOUBLE_BACKTICKS.sub(r"`\1`", lines[0].strip()) if lines else ""]
    for title, body in sections(doc):
        if title.endswith(_LITERAL):
            parts.append(f"**{title[:-len(_LITERAL)]}:**\n\n```{_language(body)}\n{body}\n```")
        else:
            paragraphs = [" ".join(p.split()) for p in body.split("\n\n") if p.strip()]
            text = "\n\n".join(_DOUBLE_BACKTICKS.sub(r"`\1`", p) for p in paragraphs)
            parts.append(f"**{title}**\n\n{text}")
    return "\n\n".join(parts) + "\n"
