"""What the traffic rules (T3xx) share: the menu's exact analysis, once per run.

The rules use ``ivrlint.analysis.analyze_menu`` (the caller model's chains
and Erlang A), which costs milliseconds, never a simulation.
"""

from __future__ import annotations

from ivrlint.errors import InputError


def expected(ctx) -> dict | None:
    """The analysis of ctx.menu; None without traffic, or when the menu
    cannot be analysed (the structural rules say why)."""
    if ctx.menu.traffic is None:
        return None
    if "analysis" not in ctx.cache:
        from ivrlint.analysis import analyze_menu

        try:
            ctx.cache["analysis"] = analyze_menu(ctx.menu, paths=False)
        except (InputError, ArithmeticError):
            ctx.cache["analysis"] = None
    return ctx.cache["analysis"]


def used_pools(menu) -> dict[str, list[str]]:
    """Pool name -> the queue nodes that send callers to it."""
    out: dict[str, list[str]] = {}
    for node in menu.nodes.values():
        if node.type == "queue" and node.queue in menu.queues:
            out.setdefault(node.queue, []).append(node.id)
    return out
