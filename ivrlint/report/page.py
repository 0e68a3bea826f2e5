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

CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI","DejaVu Sans","Noto Sans",sans-serif;margin:0 auto;
max-width:1180px;padding:1.5rem;color:#1d1d1d;line-height:1.45}
h1{margin-bottom:.2rem}h2{margin-top:2.2rem;border-bottom:2px solid #d6e6f5;padding-bottom:.2rem}
.sub{color:#555;margin-top:0}table{border-collapse:collapse;margin:.6rem 0;font-size:.92rem}
th,td{border:1px solid #d9d9d9;padding:.3rem .55rem;text-align:left;vertical-align:top}
th{background:#f3f6f9}td.n{text-align:right;white-space:nowrap}small{color:#666}
.error{color:#b00020;font-weight:bold}.warning{color:#a35c00;font-weight:bold}.info{color:#2b5d8a}
figure{margin:1.2rem 0}figure img{max-width:100%;height:auto;border:1px solid #eee}
figcaption{color:#444;font-size:.92rem}pre{background:#f5f5f5;padding:.7rem;overflow-x:auto;white-space:pre-wrap}
.cards{display:flex;flex-wrap:wrap;gap:.8rem}.card{border:1px solid #d9d9d9;border-radius:6px;padding:.5rem .9rem}
.card b{display:block;font-size:1.3rem}.wide{overflow-x:auto}.flag{color:#b00020;font-weight:bold}
"""
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' file:"
DATA_FILES = (
    ("metrics.json", "every metric with its 95% confidence interval, the parameters and the command"),
    ("metrics.csv", "the same metrics, one per row"),
    ("records.csv", "one row per simulated call"),
    ("samples.csv", "queue length and busy agents over time (first replication)"),
    ("edges.csv", "calls that took each move of the menu"),
    ("findings.json", "the lint findings"),
    ("analysis.json", "the exact analysis (Markov chain and Erlang A), when it ran"),
)
SUMMARY = ("calls", "p_goal", "p_person", "p_abandon", "p_disconnected", "p_closed", "ivr_seconds", "mean_wait",
           "service_level")


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
        _summary(metrics.get("overall") or {}),
        _findings(findings),
        "<h2>Figures</h2>", *(_figure(stem, caption) for stem, caption in figures),
        "<h2>Per intent</h2>", _table(metrics.get("intents") or {}, "intent", ci=True),
        "<h2>Per queue</h2>", _table(metrics.get("queues") or {}, "pool", ci=True),
        _paths(metrics.get("paths") or {}),
        _analysis(analysis),
        _prompts(menu),
        _parameters(params, overrides, command, with_analysis=analysis is not None),
        "</body>", "</html>",
    ]
    return "\n".join(p for p in parts if p) + "\n"


def _run_line(params: dict) -> str:
    bits = [f"{params[k]} {label}" for k, label in (("hours", "hours"), ("replications", "replications"))
            if params.get(k) is not None]
    if params.get("seed") is not None:
        bits.append(f"seed {params['seed']}")
    return ", ".join(bits)


def _summary(overall: dict) -> str:
    cards = []
    for metric in SUMMARY:
        if metric in overall:
            mean, low, high = split(overall[metric])
            ci = f"<small>95% CI {e(show(metric, low))} – {e(show(metric, high))}</small>" if low is not None else ""
            cards.append(f'<div class="card">{e(metric)}<b>{e(show(metric, mean))}</b>{ci}</div>')
    return f'<h2>Overall</h2><div class="cards">{"".join(cards)}</div>' if cards else ""


def _findings(findings: Sequence[Finding]) -> str:
    if not findings:
        return "<h2>Lint findings</h2><p>No lint findings.</p>"
    rows = "".join(
        f'<tr><td class="{e(f.severity)}">{e(f.severity)}</td><td>{e(f.code)} {e(f.rule)}</td>'
        f"<td>{e(f.file)}:{e(f.line)}:{e(f.column)}</td><td><bdi>{e(f.node or '')}</bdi></td>"
        f'<td dir="auto">{e(f.message)}</td></tr>'
        for f in findings)
    return (f"<h2>Lint findings ({len(findings)})</h2><table><tr><th>severity</th><th>rule</th><th>where</th>"
            f"<th>node</th><th>message</th></tr>{rows}</table>")


def _figure(stem: str, caption: str) -> str:
    return (f'<figure><a href="{e(stem)}.png"><img src="{e(stem)}.svg" alt="{e(caption)}"></a>'
            f'<figcaption>{e(caption)} <a href="{e(stem)}.png">PNG</a> · <a href="{e(stem)}.svg">SVG</a>'
            f"</figcaption></figure>")


def _cell(metric: str, value: Any, ci: bool) -> str:
    mean, low, high = split(value)
    text = e(show(metric, mean))
    if metric == "overloaded" and mean:
        text = f'<span class="flag">{text}</span>'
    if ci and low is not None:
        text += f"<br><small>{e(show(metric, low))} – {e(show(metric, high))}</small>"
    return f'<td class="n">{text}</td>'


def _table(block: dict, what: str, ci: bool, limit: int | None = None) -> str:
    names = [n for n, v in block.items() if isinstance(v, dict)][:limit]
    if not names:
        return "<p>Nothing to show.</p>"
    columns = metric_names({n: block[n] for n in names})
    head = "".join(f"<th>{e(c)}</th>" for c in columns)
    rows = "".join(f"<tr><th><bdi>{e(n)}</bdi></th>{''.join(_cell(c, block[n].get(c), ci) for c in columns)}</tr>"
                   for n in names)
    note = "<p><small>Each cell: mean over replications, below it the 95% confidence interval.</small></p>" if ci else ""
    return f'{note}<div class="wide"><table><tr><th>{e(what)}</th>{head}</tr>{rows}</table></div>'


def _paths(paths: dict, limit: int = 20) -> str:
    if not paths:
        return ""
    def weight(item) -> float:
        mean = split(item[1].get("share", item[1].get("calls", 0)) if isinstance(item[1], dict) else 0)[0]
        return float(mean or 0)
    top = dict(sorted(paths.items(), key=weight, reverse=True)[:limit])
    more = f" (the {limit} most common of {len(paths)})" if len(paths) > limit else ""
    return f"<h2>Paths{e(more)}</h2>" + _table(top, "path (nodes and keys)", ci=True)


def _analysis(analysis: dict | None) -> str:
    if not analysis:
        return ""
    return ("<h2>Exact analysis (no simulation)</h2><p>The same questions answered by an absorbing Markov chain "
            "per intent and Erlang A per pool; where the two differ beyond the confidence interval, the model's "
            "assumptions (exponential times) matter.</p>"
            + "".join(f"<p class=\"flag\">{e(note)}</p>" for note in analysis.get("notes") or [])
            + _table(analysis.get("intents") or {}, "intent", ci=False)
            + _table(analysis.get("queues") or {}, "pool", ci=False))


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
    rows = "".join(f"<tr><th>{e(k)}</th><td>{e(v)}</td></tr>" for k, v in params.items() if k != "overrides")
    rows += f"<tr><th>overrides</th><td>{e(', '.join(overrides) or 'none')}</td></tr>"
    files = "".join(f'<li><a href="{e(name)}">{e(name)}</a>: {e(what)}</li>' for name, what in DATA_FILES
                    if name != "analysis.json" or with_analysis)
    return (f"<h2>Run</h2><table>{rows}</table><p>To repeat this run exactly:</p><pre>{e(command)}</pre>"
            f"<h2>Data</h2><ul>{files}</ul><p><small>{e(fonts_note())}</small></p>")

