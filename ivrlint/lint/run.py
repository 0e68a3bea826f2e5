"""Run the rules over a menu and collect findings.

The rules about the linter itself (codes L0xx) run last, after the menu's
suppression comments have dropped the findings they cover: they report what
the suppressions left unused.
"""

from __future__ import annotations

from typing import Optional

from ivrlint.lint import suppressions
from ivrlint.lint.config import Settings
from ivrlint.lint.findings import Finding
from ivrlint.menu.model import Location, Menu
from ivrlint.lint.rules import Context, Rule, all_rules, find_rule
from ivrlint.lint.rules.unused_suppression import LEFTOVERS

#: Code prefix of the rules that check the linter's own comments; they run last.
LINTER_ITSELF = "L"


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
        if rule.code.startswith(LINTER_ITSELF):
            continue
        options = {**rule.options, **settings.options.get(rule.slug, {})}
        chosen = settings.severity.get(rule.slug)
        for loc, node_id, message, *own in rule.check(ctx, options):
            # a rule may rate one finding above its default (retries: 0 is an
            # error, 5 a warning); a severity the user configured wins
            severity = chosen or (own[0] if own else rule.severity)
            findings.append(_finding(rule, severity, message, loc or menu.loc, menu.file, node_id))
    active_slugs = {r.slug for r in active}
    for slug, message, loc, node_id in menu.import_notes:
        rule = find_rule(slug)
        if rule is not None and rule.slug in active_slugs:
            findings.append(_finding(rule, settings.severity.get(slug, rule.severity), message, loc, menu.file, node_id))
    findings = _suppress(ctx, _without_stand_in_findings(menu, findings), active)
    return sorted(findings, key=Finding.sort_key)


def _without_stand_in_findings(menu: Menu, findings: list[Finding]) -> list[Finding]:
    """Drop what other rules say about a key an importer reported broken.

    The importer keeps such a key as an option that repeats the menu (what
    the platform does); that option is a stand-in, not what the author
    wrote, so 'key 0 repeats the menu, not a person' and the like only
    restate the broken entry. An option stands in for one when its target
    is written where a broken-entry note points.
    """
    broken = {loc for slug, _, loc, _ in menu.import_notes if slug == "broken-entry"}
    if not broken:
        return findings
    places = {(loc.file, loc.line, loc.column) for node in menu.nodes.values() for option in node.options.values()
              if option.target_loc in broken for loc in (option.loc, option.target_loc) if loc is not None}
    return [f for f in findings if f.rule == "broken-entry" or (f.file, f.line, f.column) not in places]


def _suppress(ctx: Context, findings: list[Finding], active: list[Rule]) -> list[Finding]:
    """Drop what suppression comments cover, then run the L0xx rules on what they left."""
    menu, settings = ctx.menu, ctx.settings
    if not menu.suppressions:
        return findings

    def resolve(name: str) -> Optional[str]:
        rule = find_rule(name)
        return rule.slug if rule else None

    menu_rules = {r.slug for r in active if not r.code.startswith(LINTER_ITSELF)}
    kept, ctx.cache[LEFTOVERS] = suppressions.apply(findings, menu.suppressions, menu_rules, resolve)
    own = [
        _finding(rule, settings.severity.get(rule.slug, rule.severity), message, loc, menu.file, node_id)
        for rule in active if rule.code.startswith(LINTER_ITSELF)
        for loc, node_id, message in rule.check(ctx, {**rule.options, **settings.options.get(rule.slug, {})})
    ]
    # `disable=unused-suppression` may silence these too; it is never itself reported unused
    own, _ = suppressions.apply(own, menu.suppressions, set(), resolve)
    return kept + own


def _finding(rule: Rule, severity: str, message: str, loc: Optional[Location], file: str, node_id) -> Finding:
    loc = loc or Location(file, 1, 1)
    return Finding(rule.slug, rule.code, severity, message, loc.file, loc.line, loc.column, node_id)
