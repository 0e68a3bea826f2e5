"""`ivrlint rules [RULE]`: list the rules, or print one rule's page."""

from __future__ import annotations

from ivrlint.common.table import display_width, pad
from ivrlint.errors import UsageError
from ivrlint.lint.formats.rule_help import markdown
from ivrlint.lint.rules import all_rules, find_rule


def reference() -> str:
    """Every rule's page in Markdown, each under a heading `CODE slug` (its anchor: code-slug)."""
    parts = ["# ivrlint rules\n\nEvery rule's page, as `ivrlint rules RULE` prints it. "
             "Made by `ivrlint rules --format markdown > docs/rules.md`; a test keeps it current.\n"]
    for rule in all_rules():
        parts.append(f"## {rule.code} {rule.slug}\n\nDefault severity: {rule.severity}.\n\n{markdown(rule.doc)}")
    return "\n".join(parts)


def add_parser(sub) -> None:
    p = sub.add_parser("rules", help="list the rules, or show one rule's documentation")
    p.add_argument("rule", nargs="?", help="a rule's slug or code")
    p.add_argument("--format", choices=("text", "markdown"), default="text",
                   help="markdown: every rule's page as one Markdown document (docs/rules.md is made with it)")
    p.set_defaults(run=run)


def run(args) -> int:
    if args.format == "markdown":
        print(reference(), end="")
        return 0
    if args.rule:
        rule = find_rule(args.rule)
        if rule is None:
            raise UsageError(f"no rule '{args.rule}'; `ivrlint rules` lists them")
        print(f"{rule.code} {rule.slug} (default severity: {rule.severity})\n")
        print(rule.doc)
        return 0
    width = max(display_width(r.slug) for r in all_rules())
    for rule in all_rules():
        print(f"{rule.code}  {pad(rule.slug, width)}  {pad(rule.severity, 7)}  {rule.summary}")
    return 0
