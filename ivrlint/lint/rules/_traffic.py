"""What the traffic rules (T3xx) share: the menu's analysis, once per run.

The rules use ``ivrlint.analysis.analyze_menu`` (the caller model's chains
and each pool's queue model), which costs milliseconds, never a simulation.
A pool's queue figures are exact or approximate (the analysis says which);
a rule that quotes approximate figures says so (``approximate_note``).
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


def approximate_note(pool: dict) -> str:
    """" (approximate figures: why)" for a pool whose queue figures are approximate, else ""."""
    if pool.get("exact", True):
        return ""
    return f" (approximate figures: {pool.get('approximation') or 'not exact'})"


def used_pools(menu) -> dict[str, list[str]]:
    """Pool name -> the queue nodes that send callers to it."""
    out: dict[str, list[str]] = {}
    for node in menu.nodes.values():
        if node.type == "queue" and node.queue in menu.queues:
            out.setdefault(node.queue, []).append(node.id)
    return out
