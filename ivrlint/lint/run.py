"""Run the rules over a document and collect findings.

Every finding comes from a rule's ``check()``: what the reader noted
(duplicate keys, an importer's notes) reaches its rule through the
Context's document. The rules about the linter itself (codes L0xx) run
last, after the document's suppression comments and the configuration's
per-file-ignores have dropped the findings they cover: they report what
the suppressions left unused.
"""

from __future__ import annotations

from dataclasses import replace

from ivrlint.common.gcpause import gc_paused
from ivrlint.lint import ignores, suppressions
from ivrlint.lint.findings import Finding
from ivrlint.lint.rules import Context, Rule, all_rules, closest_rule, find_rule
from ivrlint.lint.settings import Settings
from ivrlint.location import Location
from ivrlint.menu.document import Document

#: Code prefix of the rules that check the linter's own comments; they run last.
LINTER_ITSELF = "L"


def selected_rules(settings: Settings) -> list[Rule]:
    """The rules a run applies, after select and ignore.

    As in ruff, ``ignore = ALL`` turns every rule off but those `select`
    names one by one (``--ignore ALL --select no-zero-out`` runs that rule
    alone); ``select = ALL`` turns every rule on but those `ignore` names.
    """
    def names(rule: Rule) -> set[str]:
        return {rule.slug, rule.code}

    rules = all_rules()
    wanted = set(settings.select) if settings.select is not None else None
    ignored = set(settings.ignore)
    if "ALL" in ignored:
        named = (wanted or set()) - {"ALL"}
        return [r for r in rules if names(r) & named]
    if wanted is not None:
        rules = [r for r in rules if names(r) & wanted or "ALL" in wanted]
    return [r for r in rules if not names(r) & ignored]


def lint_document(document: Document, settings: Settings | None = None) -> list[Finding]:
    """Every finding of the selected rules on `document`, sorted by place."""
    settings = settings or Settings()
    ctx = Context(document, settings)
    active = selected_rules(settings)
    with gc_paused():  # the rules' facts (graphs, prompt readings) hold no cycles: collection passes only cost time
        found = [f for rule in active if not rule.code.startswith(LINTER_ITSELF) for f in _run(rule, ctx)]
        found = _suppress(ctx, _without_stand_in_findings(document, found), active)
    return sorted(found, key=Finding.sort_key)


def _run(rule: Rule, ctx: Context) -> list[Finding]:
    options = {**rule.options, **ctx.settings.options.get(rule.slug, {})}
    chosen = ctx.settings.severity.get(rule.slug)
    out = []
    for loc, node_id, message, *own in rule.check(ctx, options):
        # a rule may rate one finding above its default (retries: 0 is an
        # error, 5 a warning); a severity the user configured wins
        severity = chosen or (own[0] if own else rule.severity)
        loc = loc or ctx.menu.loc or Location(ctx.menu.file, 1, 1)
        out.append(Finding(rule.slug, rule.code, severity, message, loc.file, loc.line, loc.column, node_id))
    return out


def _without_stand_in_findings(document: Document, findings: list[Finding]) -> list[Finding]:
    """Drop what other rules say about a key an importer reported broken.

    The importer keeps such a key as an option that repeats the menu (what
    the platform does); that option is a stand-in, not what the author
    wrote, so 'key 0 repeats the menu, not a person' and the like only
    restate the broken entry. An option stands in for one when its target
    is written where a broken-entry note points.
    """
    broken = {note.loc for note in document.notes if note.rule == "broken-entry"}
    if not broken:
        return findings
    places = {(loc.file, loc.line, loc.column) for node in document.menu.nodes.values()
              for option in node.options.values()
              if option.target_loc in broken for loc in (option.loc, option.target_loc) if loc is not None}
    return [f for f in findings if f.rule == "broken-entry" or (f.file, f.line, f.column) not in places]


def _suppress(ctx: Context, findings: list[Finding], active: list[Rule]) -> list[Finding]:
    """Drop what suppression comments cover, then run the L0xx rules on what they left."""
    comments = [s for file, text in ctx.document.texts.items() for s in suppressions.from_text(text, file)]
    comments += suppressions.from_comments(ctx.document.comments)
    configured = ctx.settings.per_file_ignores
    if not comments and not configured:
        return findings

    def resolve(name: str) -> str | None:
        rule = find_rule(name)
        return rule.slug if rule else None

    menu_rules = {r.slug for r in active if not r.code.startswith(LINTER_ITSELF)}
    starts = {node.id: node.loc for node in ctx.menu.nodes.values() if node.loc is not None}
    kept, leftovers = suppressions.apply(findings, comments, menu_rules, resolve, starts)
    part_of = ctx.phrases.part_of
    if configured:  # a finding either a comment or the configuration covers is dropped; each counts as used
        not_ignored, unused = ignores.apply(findings, configured, menu_rules, resolve, _files_of(ctx.document), part_of)
        left = {id(f) for f in not_ignored}
        kept = [f for f in kept if id(f) in left]
        leftovers += unused
    ctx.leftovers = [replace(left, suggestion=closest_rule(left.name)) if left.reason == "unknown" else left
                     for left in leftovers]
    own = [f for rule in active if rule.code.startswith(LINTER_ITSELF) for f in _run(rule, ctx)]
    # `disable=unused-suppression` may silence these too; it is never itself reported unused
    own, _ = suppressions.apply(own, comments, set(), resolve, starts)
    own, _ = ignores.apply(own, configured, set(), resolve, set(), part_of)
    return kept + own


def _files_of(document: Document) -> set[str]:
    """The files a document was read from, as its locations name them."""
    menu = document.menu
    files = {menu.file, *document.texts, *(note.loc.file for note in document.notes)}
    files.update(node.loc.file for node in menu.nodes.values() if node.loc is not None)
    return files
