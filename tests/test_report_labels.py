"""The report's page read as HTML (no browser): human labels with the metric's name as tooltip,
the words of the text tables, one stated unit of counts, every table in its own scrolling box.
tests/test_report_browser.py checks the same pages laid out in Chromium."""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser

import pytest
from conftest import MENUS

from ivrlint.analysis import analyze_menu
from ivrlint.menu.loader import load_menu
from ivrlint.report.html import FIGURES, figure_caption
from ivrlint.report.page import CSS, LABELS, SUMMARY, label, render_page
from ivrlint.report.summary import OVERALL_ROWS, render_text
from ivrlint.sim.runner import run_simulation


class Page(HTMLParser):
    """The parts of a page these tests read: cards, table header cells, tables and the boxes they sit in."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, dict]] = []
        self.cards: list[dict] = []  # {"title", "label", "value"}
        self.headers: list[dict] = []  # th: {"text", "titles", "section"}
        self.tables: list[list[str]] = []  # each table's ancestors, as "tag.class"
        self.section = ""
        self.events: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.events += [name for name in attrs if name.startswith("on")]
        if tag in ("br", "wbr", "meta", "img", "link"):
            return
        if tag == "table":
            self.tables.append([f"{t}.{a.get('class', '')}" for t, a in self.stack])
        if tag == "div" and attrs.get("class") == "card":
            self.cards.append({"title": None, "label": "", "value": ""})
        if tag == "th":
            self.headers.append({"text": "", "titles": [], "section": self.section})
        if tag == "abbr":
            if self._inside("div", "card"):
                self.cards[-1]["title"] = attrs.get("title")
            if self._inside("th"):
                self.headers[-1]["titles"].append(attrs.get("title"))
        self.stack.append((tag, attrs))

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        if self._inside("h2"):
            self.section = data.split(" (")[0]
        if self._inside("div", "card"):
            self.cards[-1]["label" if self._inside("abbr") else "value" if self._inside("b") else "small"] = data
        if self._inside("th"):
            self.headers[-1]["text"] += data

    def _inside(self, tag: str, cls: str | None = None) -> bool:
        return any(t == tag and (cls is None or a.get("class") == cls) for t, a in self.stack)


def analysed(header: dict) -> bool:
    """Whether a header cell is in the analysis section ("Exact analysis", or "Analysis" when approximate)."""
    return header["section"].lower().endswith("analysis")


@pytest.fixture(scope="module")
def bank():
    """A small real run of the bundled bank menu, with its exact analysis."""
    menu = load_menu(str(MENUS / "bank.yaml"))
    result = run_simulation(menu, hours=1, replications=2, seed=1, jobs=1)
    return menu, result, analyze_menu(menu)


@pytest.fixture(scope="module")
def page(bank):
    menu, result, analysis = bank
    return render_page(menu=menu, findings=[], metrics=result.metrics, analysis=analysis, params=result.params,
                       overrides=[], command="ivrlint simulate menus/bank.yaml", figures=[])


def test_every_figure_a_run_reports_has_words_of_its_own(bank):
    _, result, analysis = bank
    metrics = {m for source in (result.metrics, analysis) for section in ("intents", "queues", "paths")
               for figures in source[section].values() for m in figures} | set(result.metrics["overall"])
    assert metrics - set(LABELS) == set()
    assert all("_" not in LABELS[m] for m in metrics)
    assert label("p_goal") == "reached their goal" and label("a_new_metric") == "a new metric"  # the fallback


def test_labels_are_the_text_tables_words_without_their_unit():
    text = {metric: title for metric, title, _ in OVERALL_ROWS}
    assert label("p_person") == text["p_person"] == "talked to a person"
    assert label("ivr_seconds") == "seconds in the menu"
    assert text["mean_wait"] == "mean queue wait (s)" and label("mean_wait") == "mean queue wait"  # values carry "s"
    # a text row that goes on from the one above it is written out whole
    assert text["p_closed"].startswith("  ...") and label("p_closed") == "disconnected at a closed pool"


def test_cards_show_labels_with_the_metric_as_tooltip_disconnected_and_closed_among_them(page, bank):
    cards = Page(page).cards
    assert [c["title"] for c in cards] == [m for m in SUMMARY if m in bank[1].metrics["overall"]]
    assert {"p_disconnected", "p_closed"} <= {c["title"] for c in cards}
    for card in cards:
        assert card["label"] == label(card["title"]) and "_" not in card["label"]
        assert card["value"]
    assert cards[0]["label"] == "calls per replication"


def test_the_cards_use_the_words_of_the_text_table(bank):
    _, result, _ = bank
    out = io.StringIO()
    render_text(result.metrics, "bank", out)
    overall = out.getvalue().split("\noverall\n")[1]
    for metric in SUMMARY:
        if metric != "p_closed":  # "  ...at a closed pool" in the text table, under "disconnected by the menu"
            assert f"  {label(metric, per_replication=False)}" in overall, metric


def test_every_figure_row_and_column_is_labelled_with_its_name_as_tooltip(page):
    headers = [h for h in Page(page).headers if h["titles"]]
    sections = {"analysis" if analysed(h) else h["section"] for h in headers}
    assert {"Per intent", "Per queue", "Paths", "analysis", "Run"} <= sections
    for header in headers:
        [title] = header["titles"]
        if header["section"] != "Run":
            assert header["text"] == label(title, per_replication=not analysed(header)), header
    names = {h["titles"][0] for h in headers}
    assert {"p_goal", "ivr_seconds", "p_person", "p_wait", "share", "offered_load"} <= names
    # no table shows a metric's bare name where its label belongs
    assert {h["text"].strip() for h in Page(page).headers} & {m for m in LABELS if "_" in m} == set()


def test_counts_say_per_replication_where_simulated_and_not_in_the_analysis(page):
    headers = [h for h in Page(page).headers if h["titles"] and h["titles"][0] in ("calls", "closed")]
    assert {h["section"] for h in headers} == {"Per intent", "Per queue", "Paths"}
    assert all(h["text"].endswith(" per replication") for h in headers)
    words = [h["text"] for h in Page(page).headers if analysed(h) and h["titles"]]
    assert "calls per hour" in words and not [t for t in words if "replication" in t]
    assert "Counts of calls are per replication (1 simulated hour): the mean over the 2 replications" in page


def test_figures_that_count_all_replications_together_say_so():
    captions = {stem: figure_caption(stem, caption, 3) for stem, caption in FIGURES}
    for stem in ("menu", "outcomes", "queue-waits"):
        assert captions[stem].endswith("of all 3 replications together: 3 times the calls per replication in the "
                                       "cards and tables."), stem
    assert "replications together" not in captions["time-per-intent"]  # it counts no calls
    assert "first replication" in captions["queues-over-time"]
    assert figure_caption("outcomes", "How calls ended.", 1) == "How calls ended."  # one replication: one unit


def test_every_table_sits_in_a_box_that_scrolls_sideways_on_its_own(page):
    tables = Page(page).tables
    assert len(tables) >= 7  # intents, queues, paths, the analysis' two, prompts, run
    assert all(ancestors and ancestors[-1] == "div.wide" for ancestors in tables)
    assert re.search(r"\.wide\{overflow-x:auto;max-width:100%\}", CSS)
    assert re.search(r"figure img\{max-width:100%", CSS)


def test_a_table_outside_its_box_is_caught():
    assert Page('<div class="wide"><table><tr><td>1</td></tr></table></div>').tables == [["div.wide"]]
    assert Page("<div><table><tr><td>1</td></tr></table></div>").tables == [["div."]]


def test_the_page_needs_no_script_and_answers_no_event(page):
    parsed = Page(page)
    assert "<script" not in page and "<noscript" not in page and "javascript:" not in page
    assert parsed.events == []
    assert Page('<p onclick="x()">hi</p>').events == ["onclick"]
