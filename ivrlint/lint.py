"""Run the rules over a menu and collect findings."""

from __future__ import annotations

from typing import Optional

from .config import Settings
from .findings import Finding
from .model import Location, Menu
from .rules import Context, Rule, all_rules, find_rule


def selected_rules(settings: Settings) -> list[Rule]:
    """The rules a run applies, after select and ignore."""
    def names(rule: Rule) -> set[str]:
        return {rule.slug, rule.code}

    rules = all_rules()
    if settings.select is not None:
        wanted = set(settings.select)
        rules = [r for r in rules if names(r) & wanted or "ALL" in wanted]
    ignored = set(settings.ignore)
    return [r for r in rules if not names(r) & ignored]


def lint_menu(menu: Menu, settings: Optional[Settings] = None) -> list[Finding]:
    """Every finding of the selected rules on `menu`, sorted by place."""
    settings = settings or Settings()
    ctx = Context(menu, settings)
    findings = []
    active = selected_rules(settings)
    for rule in active:
        options = {**rule.options, **settings.options.get(rule.slug, {})}
        severity = settings.severity.get(rule.slug, rule.severity)
        for loc, node_id, message in rule.check(ctx, options):
            findings.append(_finding(rule, severity, message, loc or menu.loc, menu.file, node_id))
    active_slugs = {r.slug for r in active}
    for slug, message, loc, node_id in menu.import_notes:
        rule = find_rule(slug)
        if rule is not None and rule.slug in active_slugs:
            findings.append(_finding(rule, settings.severity.get(slug, rule.severity), message, loc, menu.file, node_id))
    return sorted(findings, key=Finding.sort_key)


def _finding(rule: Rule, severity: str, message: str, loc: Optional[Location], file: str, node_id) -> Finding:
    loc = loc or Location(file, 1, 1)
    return Finding(rule.slug, rule.code, severity, message, loc.file, loc.line, loc.column, node_id)
