"""index.html of a report: one page, no scripts, nothing loaded from the network.

Menu text is untrusted (a menu file may come from anyone), so every string
that comes from the menu, the findings or the metrics goes through
``html.escape`` before it reaches the page, attributes included; a
Content-Security-Policy forbids scripts and remote loads besides. Prompts
carry ``lang`` and ``dir="auto"``, so Arabic runs right to left and
Lithuanian, Latvian or Russian text is hyphenated and voiced correctly by
screen readers.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import Any

from ivrlint import __version__
from ivrlint.lint.findings import Finding
from ivrlint.menu.model import Menu
from ivrlint.report.rows import metric_names, show, split
from ivrlint.report.style import fonts_note
from ivrlint.report.summary import INTENT_COLUMNS, OVERALL_ROWS, QUEUE_COLUMNS, with_agent_range

#: The page's only style. Every table sits in a .wide box that scrolls sideways on its own, its
#: first column held in view, so no table widens the page, at 1280 px or on a 390 px phone;
#: on paper nothing scrolls, so there tables shrink and wrap instead.
CSS = """
*,*::before,*::after{box-sizing:border-box}
body{font-family:system-ui,-apple-system,"Segoe UI","DejaVu Sans","Noto Sans",sans-serif;margin:0 auto;
max-width:1180px;padding:1.5rem;color:#1d1d1d;line-height:1.45;overflow-wrap:break-word}
h1{margin-bottom:.2rem;font-size:clamp(1.5rem,5vw,2rem)}h2{margin-top:2.2rem;border-bottom:2px solid #d6e6f5;padding-bottom:.2rem}
.sub{color:#555;margin-top:0}table{border-collapse:collapse;margin:.6rem 0;font-size:.92rem}
th,td{border:1px solid #d9d9d9;padding:.3rem .55rem;text-align:left;vertical-align:top}
th{background:#f3f6f9;font-weight:600}th.metric{font-weight:normal;min-width:10rem;max-width:15rem}
td.n{text-align:right;white-space:nowrap}small{color:#666}abbr[title]{text-decoration:underline dotted #888;cursor:help}
.wide{overflow-x:auto;max-width:100%}.wide tr>:first-child{position:sticky;left:0}.wide td:first-child{background:#fff}
th.path{min-width:13rem;max-width:24rem;font-weight:normal}.where,.long{overflow-wrap:anywhere;min-width:8rem}
.error{color:#b00020;font-weight:bold}.warning{color:#a35c00;font-weight:bold}.info{color:#2b5d8a}
figure{margin:1.2rem 0}figure img{max-width:100%;height:auto;border:1px solid #eee}
figcaption{color:#444;font-size:.92rem}pre{background:#f5f5f5;padding:.7rem;overflow-x:auto;white-space:pre-wrap;
overflow-wrap:anywhere}.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(12rem,1fr));gap:.8rem}
.card{border:1px solid #d9d9d9;border-radius:6px;padding:.5rem .75rem}.card b{display:block;font-size:1.3rem}
.card small{display:block}.ci{white-space:nowrap}
.flag{color:#b00020;font-weight:bold}
@media (max-width:640px){body{padding:.8rem}table{font-size:.85rem}th,td{padding:.25rem .4rem}
.cards{grid-template-columns:repeat(auto-fill,minmax(10rem,1fr));gap:.5rem}.card{padding:.4rem .5rem}
th.metric{min-width:8rem}th.path{min-width:10rem}}
@media print{body{max-width:none;padding:0;font-size:10pt}.wide{overflow:visible}.wide tr>:first-child{position:static}
table{font-size:7.5pt}th,td{padding:.15rem .3rem;overflow-wrap:anywhere}td.n{white-space:normal}th.metric,th.path{min-width:0}
h2{break-after:avoid}figure,tr,.card{break-inside:avoid}a{color:inherit}}
"""
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' file:"
DATA_FILES = (
    ("metrics.json", "every metric with its 95% confidence interval, the parameters and the command"),
    ("metrics.csv", "the same metrics, one per row"),
    ("records.csv", "one row per simulated call"),
    ("samples.csv", "queue length and busy agents over time (first replication)"),
    ("edges.csv", "calls that took each move of the menu"),
    ("findings.json", "the lint findings"),
    ("analysis.json", "the analysis without simulation (Markov chains; queue models, exact or approximate as each pool says), when it ran"),
)
SUMMARY = ("calls", "p_goal", "p_person", "p_abandon", "p_disconnected", "p_closed", "ivr_seconds", "mean_wait",
           "service_level")
#: Cards of a whole day, after those: per caller when callers redial, callbacks when a pool offers them.
REDIAL_SUMMARY = ("first_contact_resolution", "calls_per_caller", "callers_never_served", "redial_calls")
CALLBACK_SUMMARY = ("p_callback",)
#: Per-caller figures: without redials they are the per-call ones, so the page leaves them out.
CALLER_METRICS = ("callers", "first_contact_resolution", "calls_per_caller", "callers_never_served")
#: Words for the figures no text table names, and whole phrases for the text rows that go on
#: from the row above them ("  ...the wrong person" under "talked to a person").
PAGE_WORDS = {
    "p_misrouted": "talked to the wrong person",
    "p_closed": "disconnected at a closed pool",
    "share": "share of calls",
    "closed": "calls while closed",
    "p_wait": "waited in the queue",
    "mean_talk": "mean talk time",
    "calls_per_hour": "calls per hour",
    "open_calls_per_hour": "calls per hour while open",
    "offered_load": "offered load (Erlangs)",
    "peak_load": "busiest hour's load (Erlangs)",
    "p_queue": "reached a queue",
    "overloaded": "overloaded",
    "exact": "exact",
    "approximation": "why approximate",
    "callers": "callers",
    "first_contact_resolution": "first-contact resolution",
    "calls_per_caller": "calls per caller",
    "callers_never_served": "callers never served",
    "redial_calls": "calls that were redials",
    "redial_load": "load of redials (Erlangs)",
    "callbacks_offered": "callbacks offered",
    "callbacks_taken": "callbacks taken",
    "p_callback": "calls that took a callback",
    "p_callback_offered": "calls offered a callback",
    "callback_wait": "wait until called back",
    "abandonment_avoided": "abandonment avoided by callbacks",
    "p_left_at_announcement": "left on hearing the expected wait",
    "p_overflow": "waited long enough to overflow",
    "overflow_answered": "calls taken from another pool's line",
    "agents_by_hour": "agents on duty by the hour (00:00 first)",
    "redial_calls_per_hour": "redials per hour",
}
#: A pool's table words where the overall ones would read as a share of all calls.
POOL_WORDS = {
    "p_callback": "took a callback, of the pool's calls",
    "p_callback_offered": "offered a callback, of the pool's calls",
    "abandonment_avoided": "abandonment avoided by callbacks, of the pool's calls",
}
#: What the page calls each metric: the text tables' words (summary.py), so a figure reads the
#: same in the terminal and the browser, without their "(s)" (every value here carries its unit).
#: The metric's own name, as metrics.json and metrics.csv spell it, is the label's tooltip.
LABELS = {
    **{metric: title for metric, title, _ in (*QUEUE_COLUMNS, *INTENT_COLUMNS)},
    **{metric: title.removesuffix(" (s)") for metric, title, _ in OVERALL_ROWS if not title.startswith(" ")},
    **PAGE_WORDS,
}
#: The run's parameters as the Run table names them (metrics.json "params" as the tooltip).
PARAMETERS = {"seed": "random seed", "hours": "simulated hours per replication", "replications": "replications",
              "warmup": "warm-up hours, not counted", "jobs": "parallel processes",
              "start_hour": "clock at the start (hour of the day)"}
#: Counts of calls: in simulated figures, the mean over replications of each replication's count.
PER_REPLICATION = ("calls", "closed", "callers", "redial_calls", "callbacks_offered", "callbacks_taken",
                   "overflow_answered")
#: The order of the figures in a table: counts and rates, then the text tables' order.
ORDER = tuple(dict.fromkeys(("calls", "share", "closed", "calls_per_hour", "open_calls_per_hour", "agents",
                             "offered_load", "peak_load", "p_wait", *(m for m, _, _ in OVERALL_ROWS), *LABELS)))


def e(value: Any) -> str:
    """Escape anything for HTML text or a quoted attribute."""
    return escape(str(value), quote=True)


def render_page(*, menu: Menu, findings: Sequence[Finding], metrics: dict, analysis: dict | None, params: dict,
                overrides: Sequence[str], command: str, figures: Sequence[tuple[str, str]]) -> str:
    parts = [
        "<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{e(CSP)}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>ivrlint report: {e(menu.ivr)}</title>", f"<style>{CSS}</style>", "</head>", "<body>",
        f"<h1>Menu <bdi>{e(menu.ivr)}</bdi></h1>",
        f'<p class="sub">{e(menu.file)} · simulated by ivrlint {e(__version__)} · '
        f"{e(_run_line(params))}</p>",
        _summary(metrics.get("overall") or {}, params),
        _findings(findings),
        "<h2>Figures</h2>", *(_figure(stem, caption) for stem, caption in figures),
        "<h2>Per intent</h2>", _table(metrics.get("intents") or {}, "intent", ci=True,
                                      hidden=() if _redials(metrics) else CALLER_METRICS),
        "<h2>Per queue</h2>", _table(metrics.get("queues") or {}, "pool", ci=True, words=POOL_WORDS),
        _paths(metrics.get("paths") or {}),
        _analysis(analysis),
        _prompts(menu),
        _parameters(params, overrides, command, with_analysis=analysis is not None),
        "</body>", "</html>",
    ]
    return "\n".join(p for p in parts if p) + "\n"


def _run_line(params: dict) -> str:
    runs, hours = params.get("replications"), params.get("hours")
    bits = []
    if runs is not None:
        bits.append(f"{runs} replication{'' if runs == 1 else 's'}" + (f" of {hours:g} h" if hours is not None else ""))
    elif hours is not None:
        bits.append(f"{hours:g} h")
    if params.get("seed") is not None:
        bits.append(f"seed {params['seed']}")
    return ", ".join(bits)


def label(metric: str, per_replication: bool = True, words: dict | None = None) -> str:
    """What the page calls `metric` (`words` first: a table's own); a count of calls says it is per
    replication when it is (simulated)."""
    text = (words or {}).get(metric) or LABELS.get(metric, metric.replace("_", " "))
    return f"{text} per replication" if per_replication and metric in PER_REPLICATION else text


def _name(metric: str, per_replication: bool = True, words: dict | None = None) -> str:
    """A metric's label, its name in metrics.json as the tooltip."""
    return f'<abbr title="{e(metric)}">{e(label(metric, per_replication, words))}</abbr>'


def _units(params: dict) -> str:
    """The sentence that says what the counts count."""
    runs, hours = params.get("replications"), params.get("hours")
    run = f"{hours:g} simulated hour{'' if hours == 1 else 's'}" if hours is not None else "a simulated run"
    if runs == 1:
        counts = f"Counts of calls are of the one replication ({run})."
    else:
        over = f"the {runs} replications" if runs else "the replications"
        counts = (f"Counts of calls are per replication ({run}): the mean over {over}, like every figure here, "
                  "with its 95% confidence interval below.")
    return (f"<p>{e(counts)} The figures that count the calls of all replications together say so. "
            "Hover a label for the figure's name in metrics.json and metrics.csv.</p>")


def _redials(metrics: dict) -> bool:
    """Do callers redial (the overall figures count the redials)?"""
    return "redial_calls" in (metrics.get("overall") or {})


def _summary(overall: dict, params: dict) -> str:
    cards = []
    shown = SUMMARY + (REDIAL_SUMMARY if "redial_calls" in overall else ()) + CALLBACK_SUMMARY
    for metric in shown:
        if metric in overall:
            mean, low, high = split(overall[metric])
            ci = (f'<small>95% CI <span class="ci">{e(show(metric, low))} – {e(show(metric, high))}</span></small>'
                  if low is not None else "")
            cards.append(f'<div class="card">{_name(metric)}<b>{e(show(metric, mean))}</b>{ci}</div>')
    return f'<h2>Overall</h2>{_units(params)}<div class="cards">{"".join(cards)}</div>' if cards else ""


def _findings(findings: Sequence[Finding]) -> str:
    if not findings:
        return "<h2>Lint findings</h2><p>No lint findings.</p>"
    rows = "".join(
        f'<tr><td class="{e(f.severity)}">{e(f.severity)}</td><td>{e(f.code)} {e(f.rule)}</td>'
        f'<td class="where">{e(f.file)}:{e(f.line)}:{e(f.column)}</td><td><bdi>{e(f.node or "")}</bdi></td>'
        f'<td class="long" dir="auto">{e(f.message)}</td></tr>'
        for f in findings)
    return (f'<h2>Lint findings ({len(findings)})</h2><div class="wide"><table><tr><th>severity</th><th>rule</th>'
            f"<th>where</th><th>node</th><th>message</th></tr>{rows}</table></div>")


def _figure(stem: str, caption: str) -> str:
    return (f'<figure><a href="{e(stem)}.png"><img src="{e(stem)}.svg" alt="{e(caption)}"></a>'
            f'<figcaption>{e(caption)} <a href="{e(stem)}.png">PNG</a> · <a href="{e(stem)}.svg">SVG</a>'
            f"</figcaption></figure>")


def _cell(metric: str, value: Any, ci: bool) -> str:
    mean, low, high = split(value)
    if isinstance(mean, (list, tuple)):  # a figure per hour (agents by the hour): the values, spaced
        return f'<td class="long">{e(" ".join(show(metric, v) for v in mean))}</td>'
    if isinstance(mean, str) and metric == "agents":  # a range of agents by the hour ("2-8")
        return f'<td class="n">{e(mean)}</td>'
    if isinstance(mean, str):  # words (why a figure is approximate) wrap
        return f'<td class="long">{e(mean)}</td>'
    text = e(show(metric, mean))
    if metric == "overloaded" and mean:
        text = f'<span class="flag">{text}</span>'
    if ci and low is not None:
        text += f"<br><small>{e(show(metric, low))} – {e(show(metric, high))}</small>"
    return f'<td class="n">{text}</td>'


NOTE = "<p><small>Each cell: mean over replications, below it the 95% confidence interval.</small></p>"


def _ordered(block: dict) -> list[str]:
    """The metrics of a block of {name: {metric: value}}, in ORDER, any other after them by name."""
    rank = {metric: i for i, metric in enumerate(ORDER)}
    return sorted(metric_names(block), key=lambda metric: (rank.get(metric, len(rank)), metric))


def _table(block: dict, what: str, ci: bool, hidden: tuple[str, ...] = (), words: dict | None = None) -> str:
    """Intents or pools side by side, a row per figure: the labels read down the left edge, and a
    menu's handful of intents fits the page however many figures it has (a column each ran to 19).
    `ci`: simulated figures, each with its interval; else analysed ones, plain numbers."""
    names = [n for n, v in block.items() if isinstance(v, dict)]
    if not names:
        return "<p>Nothing to show.</p>"
    head = "".join(f'<th scope="col"><bdi>{e(n)}</bdi>{_approximate(block[n])}</th>' for n in names)
    rows = "".join(f'<tr><th scope="row" class="metric">{_name(m, ci, words)}</th>'
                   f"{''.join(_cell(m, block[n].get(m), ci) for n in names)}</tr>" for m in _ordered(block)
                   if m not in hidden)
    return (f'{NOTE if ci else ""}<div class="wide"><table><thead><tr><th>{e(what)}</th>{head}</tr></thead>'
            f"<tbody>{rows}</tbody></table></div>")


def _approximate(figures: dict) -> str:
    """The mark of analysed figures that are approximate (simulated ones carry no "exact")."""
    return ' <small class="flag">approximate</small>' if figures.get("exact") is False else ""


def _path_table(paths: dict) -> str:
    """A row per path, a column per figure; a path breaks after each '>' when its cell is narrow."""
    columns = _ordered(paths)
    head = "".join(f'<th scope="col">{_name(c)}</th>' for c in columns)
    rows = "".join(f'<tr><th scope="row" class="path"><bdi>{e(n).replace("&gt;", "&gt;<wbr>")}</bdi></th>'
                   f"{''.join(_cell(c, figures.get(c), True) for c in columns)}</tr>" for n, figures in paths.items())
    return (f'{NOTE}<div class="wide"><table><thead><tr><th>path (nodes and keys)</th>{head}</tr></thead>'
            f"<tbody>{rows}</tbody></table></div>")


def _paths(paths: dict, limit: int = 20) -> str:
    if not paths:
        return ""
    def weight(item) -> float:
        mean = split(item[1].get("share", item[1].get("calls", 0)) if isinstance(item[1], dict) else 0)[0]
        return float(mean or 0)
    top = dict(sorted(((n, v) for n, v in paths.items() if isinstance(v, dict)), key=weight, reverse=True)[:limit])
    more = f" (the {limit} most common of {len(paths)})" if len(paths) > limit else ""
    return f"<h2>Paths{e(more)}</h2>" + _path_table(top)


def _analysis(analysis: dict | None) -> str:
    if not analysis:
        return ""
    rough = [name for name, q in (analysis.get("queues") or {}).items() if q.get("exact") is False]
    if not rough:
        head = ("<h2>Exact analysis (no simulation)</h2><p>The same questions answered by an absorbing Markov chain "
                "per intent and each pool's queue model, all exact here; the simulation's figures should agree "
                "with them within their confidence intervals.</p>")
    else:
        head = ("<h2>Analysis (no simulation): approximate queue figures</h2><p>The same questions answered by an "
                "absorbing Markov chain per intent (exact) and each pool's queue model. The queue figures of "
                f"{e(', '.join(rough))} are approximate (talk time not exponential, or calls that vary over the day; "
                "the method and its measured error: docs/queue-approximation.md), and so are the waits, "
                "abandonment and answered share of the intents whose callers reach them: the columns marked "
                "approximate. Where a long simulation with a warm-up differs beyond its interval, it is the "
                "better guide.</p>")
    return (head
            + "".join(f"<p class=\"flag\">{e(note)}</p>" for note in analysis.get("notes") or [])
            + _table(analysis.get("intents") or {}, "intent", ci=False)
            + _table({name: with_agent_range(q) if isinstance(q, dict) else q
                      for name, q in (analysis.get("queues") or {}).items()}, "pool", ci=False, words=POOL_WORDS))


def _prompts(menu: Menu, limit: int = 500) -> str:
    languages = menu.languages()
    rows = []
    for node in list(menu.nodes.values())[:limit]:
        cells = "".join(f'<td lang="{e(lang)}" dir="auto">{e(node.prompt.get(lang, ""))}</td>' for lang in languages)
        rows.append(f"<tr><th><bdi>{e(node.id)}</bdi></th><td>{e(node.type)}</td>"
                    f'<td dir="auto">{e(node.label or "")}</td>{cells}</tr>')
    more = f"<p>The first {limit} of {len(menu.nodes)} nodes.</p>" if len(menu.nodes) > limit else ""
    head = "".join(f"<th>prompt ({e(lang)})</th>" for lang in languages)
    return (f"<h2>Nodes and prompts</h2>{more}<div class=\"wide\"><table><tr><th>node</th><th>type</th><th>label</th>"
            f"{head}</tr>{''.join(rows)}</table></div>")


def _parameters(params: dict, overrides: Sequence[str], command: str, with_analysis: bool) -> str:
    rows = "".join(f'<tr><th><abbr title="{e(k)}">{e(PARAMETERS.get(k, k.replace("_", " ")))}</abbr></th>'
                   f'<td class="long">{e(v)}</td></tr>' for k, v in params.items() if k != "overrides")
    rows += (f'<tr><th><abbr title="overrides">what-ifs (--set)</abbr></th>'
             f'<td class="long">{e(", ".join(overrides) or "none")}</td></tr>')
    files = "".join(f'<li><a href="{e(name)}">{e(name)}</a>: {e(what)}</li>' for name, what in DATA_FILES
                    if name != "analysis.json" or with_analysis)
    return (f'<h2>Run</h2><div class="wide"><table>{rows}</table></div><p>To repeat this run exactly:</p>'
            f"<pre>{e(command)}</pre>"
            f"<h2>Data</h2><ul>{files}</ul><p><small>{e(fonts_note())}</small></p>")

