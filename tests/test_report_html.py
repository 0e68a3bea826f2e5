"""The report folder: well-formed files, offline links, escaped menu text, atomic writes."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import textwrap
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from types import SimpleNamespace

import pytest
from conftest import menu

from ivrlint.common.atomic import MARKER
from ivrlint.errors import UsageError
from ivrlint.lint.run import lint_document
from ivrlint.menu.loader import read_text
from ivrlint.report import html as report_html
from ivrlint.report.html import write_report
from ivrlint.sim.records import ABANDONED, CONTAINED, SERVED, CallRecord, QueueSample, Step

#: Prompts in Lithuanian, Latvian, Russian and Arabic; names that try to break out of HTML and CSV.
MULTILINGUAL = """\
ivr: "daugiakalbis <script>alert(1)</script> & co"
start: kalba
language: lt
nodes:
  kalba:
    type: menu
    label: "Kalba <script>alert('x')</script> & Ко"
    prompt:
      lt: "Lietuviškai spauskite 1. Žvaigždutė & <b>"
      lv: "Latviski spiediet 2. Ā ē ī ū"
      ru: "Для русского языка нажмите 3."
      ar: "للعربية اضغط 4."
    options:
      1: {goto: "pagrindinis meniu", label: "Lietuvių <i>"}
      2: {goto: "pagrindinis meniu", label: Latviešu}
      3: {goto: "агент \\"главный\\"", label: Русский}
      4: {goto: "агент \\"главный\\"", label: العربية}
    on_failure: "агент \\"главный\\""
  "pagrindinis meniu":
    type: self_service
    prompt: {lt: "Sąskaita & mokėjimai"}
    duration: 30
    success: 0.8
    next: viso
    on_failure: "агент \\"главный\\""
  "агент \\"главный\\"":
    type: queue
    queue: "bendras <q>"
  viso: {type: hangup}
  "sena <script>":
    type: message
    prompt: "Senas </td><script>x</script>"
    next: viso
queues:
  "bendras <q>": {agents: 2, handle_time: 60}
traffic:
  calls_per_hour: 60
  patience: 60
  intents:
    "sąskaita <script>": {share: 0.6, goal: "pagrindinis meniu"}
    "=cmd|' /C calc'!A0": {share: 0.4, goal: "агент \\"главный\\""}
"""
AGENT = 'агент "главный"'
POOL = "bendras <q>"


def hand_made_result():
    """A small result with the shape run_simulation returns, built by hand."""
    records = [
        CallRecord(1, 0, 5.0, "sąskaita <script>", "lt", steps=[Step("kalba", 5, 12, "1"), Step("pagrindinis meniu", 12, 40)],
                   outcome=CONTAINED, keypresses=1, menus_heard=1, reached_goal=True, end=40.0),
        CallRecord(2, 0, 9.0, "=cmd|' /C calc'!A0", "ar", steps=[Step("kalba", 9, 15, "4"), Step(AGENT, 15, 15)],
                   outcome=SERVED, queue=POOL, queue_enter=15.0, queue_wait=12.0, talk_time=50.0, end=77.0),
        CallRecord(3, 1, 2.0, "=cmd|' /C calc'!A0", "ru", steps=[Step("kalba", 2, 8, "3"), Step(AGENT, 8, 8)],
                   outcome=ABANDONED, queue=POOL, queue_enter=8.0, queue_wait=40.0, end=48.0),
    ]
    metric = {"mean": 0.5, "ci95": [0.25, 0.75]}
    metrics = {
        "intents": {"sąskaita <script>": {"ivr_seconds": {"mean": 35.0, "ci95": [30.0, 40.0]}, "p_goal": metric},
                    "=cmd|' /C calc'!A0": {"ivr_seconds": {"mean": 6.0, "ci95": [5.0, 7.0]}, "p_goal": metric}},
        "queues": {POOL: {"p_wait": metric, "service_level": metric, "mean_wait": {"mean": 26.0, "ci95": [10, 42]}}},
        "paths": {"kalba>1>pagrindinis meniu": {"calls": {"mean": 1.0, "ci95": [1.0, 1.0]}, "share": metric}},
        "overall": {"calls": {"mean": 1.5, "ci95": [1.0, 2.0]}, "p_goal": metric},
    }
    samples = {POOL: [QueueSample(0.0, 0, 0), QueueSample(15.0, 0, 1), QueueSample(65.0, 0, 0)]}
    params = {"seed": 7, "hours": 1.0, "replications": 2, "warmup": 0.0, "jobs": 1}
    return SimpleNamespace(records=records, samples=samples, metrics=metrics, params=params)


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.scripts = 0
        self.prompt_dirs: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.scripts += tag == "script"
        self.links += [attrs[a] for a in ("href", "src") if a in attrs]
        if tag == "td" and "lang" in attrs:
            self.prompt_dirs.append(attrs.get("dir"))


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    document = read_text(textwrap.dedent(MULTILINGUAL), "menu.yaml")
    m = document.menu
    out = tmp_path_factory.mktemp("reports") / "multi"
    write_report(hand_made_result(), m, lint_document(document), str(out), overrides=["queues.bendras <q>.agents=3"])
    return out


def test_report_has_every_file_well_formed(report):
    names = set(os.listdir(report))
    for stem in ("menu", "outcomes", "queue-waits", "time-per-intent", "queues-over-time"):
        assert (report / f"{stem}.png").read_bytes().startswith(b"\x89PNG\r\n\x1a\n"), stem
        assert ET.parse(report / f"{stem}.svg").getroot().tag == "{http://www.w3.org/2000/svg}svg"
    assert {"index.html", "metrics.json", "metrics.csv", "records.csv", "samples.csv", "edges.csv", "findings.json"} <= names
    assert not any(n.startswith(".") and n != MARKER for n in names)
    assert not [p for p in report.parent.iterdir() if p.name != "multi"]  # no temporary folder left beside it


def test_every_link_resolves_inside_the_report_and_nothing_is_external(report):
    page = (report / "index.html").read_text(encoding="utf-8")
    parser = Links()
    parser.feed(page)
    assert parser.links and parser.scripts == 0
    for link in parser.links:
        assert (report / link).is_file() and os.path.dirname(link) == "", link
    assert not re.search(r"https?:|//|url\(", page.replace("</", "")), "external resource"


def test_menu_text_is_escaped_and_prompts_read_in_their_own_direction(report):
    page = (report / "index.html").read_text(encoding="utf-8")
    assert "<script>" not in page and "</td><script>" not in page
    assert "Kalba &lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; Ко" in page
    assert "агент &quot;главный&quot;" in page and "bendras &lt;q&gt;" in page
    assert '<meta charset="utf-8">' in page
    assert '<td lang="ar" dir="auto">للعربية اضغط 4.</td>' in page
    assert "Для русского языка нажмите 3." in page and "Ā ē ī ū" in page
    parser = Links()
    parser.feed(page)
    assert set(parser.prompt_dirs) == {"auto"}


def test_page_shows_findings_tables_with_intervals_and_how_to_repeat_the_run(report):
    page = (report / "index.html").read_text(encoding="utf-8")
    assert "unreachable" in page and "sena &lt;script&gt;" in page
    assert "35.0 s<br><small>30.0 s – 40.0 s</small>" in page
    assert "50.0%<br><small>25.0% – 75.0%</small>" in page
    assert "--seed 7" in page and "--replications 2" in page and "--set" in page
    assert "queues.bendras &lt;q&gt;.agents=3" in page


def test_data_behind_the_figures_parses(report):
    metrics = json.loads((report / "metrics.json").read_text(encoding="utf-8"))
    assert metrics["params"]["seed"] == 7 and metrics["queues"][POOL]["p_wait"]["mean"] == 0.5
    assert metrics["command"].startswith("ivrlint simulate ")
    rows = list(csv.DictReader(io.StringIO((report / "records.csv").read_text(encoding="utf-8"))))
    assert [r["outcome"] for r in rows] == ["contained", "served", "abandoned"]
    assert rows[1]["intent"] == "'=cmd|' /C calc'!A0"  # a spreadsheet shows it, never runs it
    assert rows[1]["path"] == f"kalba>4>{AGENT}"
    flat = list(csv.DictReader(io.StringIO((report / "metrics.csv").read_text(encoding="utf-8"))))
    assert {"section": "queues", "name": POOL, "metric": "p_wait", "mean": "0.5", "ci95_low": "0.25",
            "ci95_high": "0.75"} in flat
    edges = list(csv.DictReader(io.StringIO((report / "edges.csv").read_text(encoding="utf-8"))))
    assert {"source": "kalba", "target": AGENT, "calls": "2", "share": "0.666667"} in edges
    findings = json.loads((report / "findings.json").read_text(encoding="utf-8"))
    # the structural finding; usability rules also have things to say about this bare menu
    assert [f["rule"] for f in findings if f["code"].startswith("S")] == ["unreachable"]


def test_an_interrupted_write_leaves_no_report_that_looks_complete(tmp_path, monkeypatch):
    m = menu(MULTILINGUAL)

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(report_html, "render_page", broken)
    with pytest.raises(UsageError, match="cannot write .*/r: disk full"):  # one line for the user, exit 2
        write_report(hand_made_result(), m, [], str(tmp_path / "r"))
    assert list(tmp_path.iterdir()) == []  # neither the report nor a half-built folder


def test_an_interrupted_rewrite_keeps_the_previous_report_whole(tmp_path, monkeypatch):
    m = menu(MULTILINGUAL)
    out = tmp_path / "r"
    write_report(hand_made_result(), m, [], str(out))
    before = (out / "index.html").read_bytes()
    monkeypatch.setattr(report_html.figures, "outcomes", lambda records: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        write_report(hand_made_result(), m, [], str(out))
    assert (out / "index.html").read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["r"]


def test_a_new_report_replaces_an_old_one_but_never_a_folder_of_other_files(tmp_path):
    m = menu(MULTILINGUAL)
    out = tmp_path / "r"
    write_report(hand_made_result(), m, [], str(out))
    (out / "stale.txt").write_text("from before")
    write_report(hand_made_result(), m, [], str(out))
    assert not (out / "stale.txt").exists() and (out / "index.html").exists()
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "thesis.tex").write_text("precious")
    with pytest.raises(UsageError, match="not an ivrlint report"):
        write_report(hand_made_result(), m, [], str(mine))
    assert (mine / "thesis.tex").read_text() == "precious"
