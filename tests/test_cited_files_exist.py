"""Every repository path that the code, the tests, the benchmarks and the
documents cite exists, every ``docs/sources.md#...`` anchor names a heading of
docs/sources.md, and nothing cites research notes kept outside the repository
(RESEARCH.md, ../shared), which an installed copy cannot open."""

from __future__ import annotations

import glob
import re
import tokenize
from pathlib import Path

from conftest import ROOT

SOURCES = ROOT / "docs" / "sources.md"

#: A cited repository path: it starts with one of the repository's own
#: top-level folders or documents, its parts are plain file-name characters
#: (a glob ``*`` allowed), it names a file (it has an extension) or a folder
#: (it ends with /), and it is not the tail of a longer path or name
#: (``reports/bank/menus/x``, ``ivr_menus/*.xml``). Generated outputs
#: (``reports/``) are not cited: ``reports`` is no prefix here; and a path
#: that runs into ``<`` or ``{`` (``menus/<name>.yaml``) is a placeholder.
CITED = re.compile(
    r"(?<![\w./\\-])"
    r"(?P<path>(?:docs|ivrlint|tests|benchmarks|menus)/(?:[\w*.-]+/)*(?:[\w*-]+(?:\.[\w*-]+)*\.[A-Za-z]+)?"
    r"|MENU_FORMAT\.md|README\.md|MANIFEST\.in)"
    r"(?:#(?P<anchor>[\w-]+))?"
    r"(?![\w*/-])(?P<after>[<{]?)"
)
#: Cited documents, the only citations looked for in a Python string that is
#: not a docstring: there a menu or test path is data (often a path under
#: a test's temporary folder), while a message that sends the
#: user to a document cites it.
DOCUMENT = re.compile(r"docs/|MENU_FORMAT\.md|README\.md")
#: A relative Markdown link inside a document of docs/ ("](../MENU_FORMAT.md)", "](#anchor)").
LINK = re.compile(r"\]\((?P<target>[^)\s:]*)\)")
#: Citations of notes outside the repository.
OUTSIDE = re.compile(r"RESEARCH\.md|\.\./shared")


def _scanned() -> list[Path]:
    """ivrlint/, tests/ and benchmarks/ Python files (not tests/golden/), the
    README, MENU_FORMAT.md and the documents of docs/."""
    files = []
    for folder in ("ivrlint", "tests", "benchmarks"):
        files += sorted(p for p in (ROOT / folder).rglob("*.py")
                        if p.relative_to(ROOT).parts[:2] != ("tests", "golden") and "__pycache__" not in p.parts)
    files += [ROOT / "README.md", ROOT / "MENU_FORMAT.md"]
    files += sorted((ROOT / "docs").glob("*.md"))
    return files


def github_anchor(heading: str) -> str:
    """The anchor GitHub gives a Markdown heading: lower case, punctuation
    dropped (hyphens and underscores kept), spaces to hyphens."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    """The anchors of a Markdown file's headings (a repeated heading gets -1, -2...)."""
    found, seen = set(), {}
    for _, line in _markdown_prose(path):
        heading = re.match(r"#{1,6} (.+?)\s*#*\s*$", line)
        if heading:
            anchor = github_anchor(heading.group(1))
            count = seen.get(anchor, 0)
            seen[anchor] = count + 1
            found.add(anchor if count == 0 else f"{anchor}-{count}")
    return found


def _markdown_prose(path: Path):
    """(line number, line) outside fenced code blocks, which hold examples
    (commands, workflows, a reader's own paths), not citations."""
    fence = None
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        marker = re.match(r"\s*(```|~~~)", line)
        if marker:
            fence = None if fence == marker.group(1) else (fence or marker.group(1))
            continue
        if fence is None:
            yield number, line


def _python_prose(path: Path):
    """(line number, text, every kind of citation counts) of a Python file's
    comments and docstrings (True), and of its other strings (False)."""
    with tokenize.open(path) as source:
        tokens = list(tokenize.generate_tokens(source.readline))
    statement_start = True
    for token in tokens:
        if token.type == tokenize.COMMENT:
            yield token.start[0], token.string, True
        elif token.type == tokenize.STRING or token.type == getattr(tokenize, "FSTRING_MIDDLE", None):
            for offset, line in enumerate(token.string.split("\n")):
                yield token.start[0] + offset, line, statement_start and token.type == tokenize.STRING
        if token.type in (tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT):
            statement_start = True
        elif token.type not in (tokenize.NL, tokenize.COMMENT):
            statement_start = False


def _lines(path: Path):
    if path.suffix == ".py":
        yield from _python_prose(path)
    else:
        for number, line in _markdown_prose(path):
            yield number, line, True


def citations(path: Path) -> list[tuple[int, str, str | None]]:
    """(line, path, anchor) of every repository path the file cites."""
    out = []
    for number, line, prose in _lines(path):
        for m in CITED.finditer(line):
            if m.group("after") or not (prose or DOCUMENT.match(m.group("path"))):
                continue
            out.append((number, m.group("path"), m.group("anchor")))
    return out


def _exists(cited: str) -> bool:
    """The path is there, or a glob (``ivrlint/lint/rules/*.py``) matches something."""
    if "*" in cited:
        return bool(glob.glob(str(ROOT / cited), recursive=True))
    return (ROOT / cited).exists()


def test_the_scan_finds_the_citations_it_is_meant_to_check():
    cited = {c for path in _scanned() for _, c, _ in citations(path)}
    assert "docs/sources.md" in cited and "MENU_FORMAT.md" in cited
    assert any(c.startswith("menus/") for c in cited)


def test_every_cited_repository_path_exists():
    missing = [f"{path.relative_to(ROOT)}:{line}: {cited}"
               for path in _scanned() for line, cited, _ in citations(path) if not _exists(cited)]
    assert not missing, "cited paths that do not exist:\n" + "\n".join(missing)


def test_every_anchor_into_the_sources_is_a_heading_of_it():
    headings = anchors(SOURCES)
    wrong = [f"{path.relative_to(ROOT)}:{line}: docs/sources.md#{anchor}"
             for path in _scanned() for line, cited, anchor in citations(path)
             if cited == "docs/sources.md" and anchor and anchor not in headings]
    assert not wrong, "anchors docs/sources.md does not have:\n" + "\n".join(wrong)


def test_links_inside_the_documents_lead_somewhere():
    wrong = []
    for doc in sorted((ROOT / "docs").glob("*.md")):
        for number, line in enumerate(doc.read_text(encoding="utf-8").splitlines(), 1):
            for m in LINK.finditer(line):
                target, _, anchor = m.group("target").partition("#")
                file = (doc.parent / target).resolve() if target else doc
                if not file.exists():
                    wrong.append(f"{doc.relative_to(ROOT)}:{number}: {m.group('target')}")
                elif anchor and file.suffix == ".md" and anchor not in anchors(file):
                    wrong.append(f"{doc.relative_to(ROOT)}:{number}: {m.group('target')}")
    assert not wrong, "broken links:\n" + "\n".join(wrong)


def test_nothing_cites_notes_outside_the_repository():
    outside = [f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
               for path in _scanned() if path != Path(__file__).resolve()
               for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
               if OUTSIDE.search(line)]
    assert not outside, "citations of notes outside the repository:\n" + "\n".join(outside)


def test_the_anchors_follow_github():
    assert github_anchor("Design rules with numbers") == "design-rules-with-numbers"
    assert github_anchor("Menu effort (absorbing Markov chain)") == "menu-effort-absorbing-markov-chain"
    assert github_anchor("ISO/IEC 13714") == "isoiec-13714"
    assert github_anchor("vcc.live 2023") == "vcclive-2023"
