"""Compare two versions of a menu: structure, findings, measures, verdict.

The result is one plain dictionary (what ``--format json`` prints), so every
view (text, Markdown for a pull-request comment) renders the same facts and
a CI script can read them without parsing text.
"""

from __future__ import annotations

from dataclasses import dataclass

from ivrlint.lint.run import lint_document
from ivrlint.lint.settings import Settings
from ivrlint.menu.document import Document
from ivrlint.menu.model import Menu
from ivrlint.whatif.findings_diff import diff_findings
from ivrlint.whatif.measures import analysed_measures, deltas, merged_approximate, simulated_measures
from ivrlint.whatif.regressions import DEFAULT_THRESHOLDS, WORSE, Threshold, finding_regressions, measure_regressions
from ivrlint.whatif.structure import POOL_KINDS, SETTING_KINDS, STRUCTURE_KINDS, TRAFFIC_KINDS, diff_menus


@dataclass
class SimulationSettings:
    """How ``--simulate`` runs both sides: the same seed for both (common random numbers)."""

    hours: float = 8.0
    replications: int = 10
    seed: int = 1
    jobs: int | None = None


def compare_menus(base_document: Document, head_document: Document, settings: Settings | None = None,
                  thresholds: dict[str, Threshold] | None = None,
                  simulate: SimulationSettings | None = None) -> dict:
    """Everything a reviewer needs to judge the change from `base` to `head`."""
    thresholds = DEFAULT_THRESHOLDS if thresholds is None else thresholds
    base, head = base_document.menu, head_document.menu
    changes = diff_menus(base, head)
    new, fixed = diff_findings(lint_document(base_document, settings), lint_document(head_document, settings))
    before, after = analysed_measures(base), analysed_measures(head)
    moved = deltas(before, after)
    regressions = finding_regressions(new) + measure_regressions(moved, thresholds)
    if after.get("error") and not before.get("error"):
        regressions.append({"scope": "analysis", "name": None, "measure": "analysis", "before": None,
                            "after": None, "message": f"the analysis cannot run on the new version: {after['error']}"})
    report = {
        "base": base.file,
        "head": head.file,
        "ivr": head.ivr,
        "changes": [dict(c.as_dict(), text=c.describe()) for c in changes],
        "change_groups": _group_counts(c.kind for c in changes),
        "findings": {"new": [f.as_dict() for f in new], "fixed": [f.as_dict() for f in fixed]},
        "measures": moved,
        "approximate": merged_approximate(before, after),  # analysed figure sets that are approximate on a side
        "simulated": None,
        "notes": _notes(base, head) + [f"not analysed: {side['error']}" for side in (before, after)
                                       if side.get("error") and not any(r["scope"] == "analysis" for r in regressions)],
        "thresholds": {name: t.describe(name, "+" if WORSE[name] == "up" else "-") for name, t in thresholds.items()},
        "regressions": regressions,
        "regressed": bool(regressions),
    }
    if simulate is not None:
        report["simulated"] = _simulated(base, head, simulate)
    return report


def _simulated(base: Menu, head: Menu, sim: SimulationSettings) -> dict:
    """Both sides simulated with the same seed; deltas of the means, and whether the CIs are apart."""
    if base.traffic is None or head.traffic is None:
        return {"skipped": "a menu without a traffic section cannot be simulated"}
    b = simulated_measures(base, sim.hours, sim.replications, sim.seed, sim.jobs)
    a = simulated_measures(head, sim.hours, sim.replications, sim.seed, sim.jobs)
    return {"params": {"hours": sim.hours, "replications": sim.replications, "seed": sim.seed},
            "measures": deltas(b, a)}


def _notes(base: Menu, head: Menu) -> list[str]:
    missing = [m.file for m in (base, head) if m.traffic is None]
    if not missing:
        return []
    which = "neither menu has" if len(missing) == 2 else f"{missing[0]} has"
    return [f"{which} a traffic section, so per-intent and per-pool measures are not compared "
            "(only the seconds to a person)"]


def _group_counts(kinds) -> dict[str, int]:
    groups = {"structure": STRUCTURE_KINDS, "settings": SETTING_KINDS, "queues": POOL_KINDS, "traffic": TRAFFIC_KINDS}
    counts = dict.fromkeys(groups, 0)
    for kind in kinds:
        for group, members in groups.items():
            if kind in members:
                counts[group] += 1
    return counts

