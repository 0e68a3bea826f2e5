"""docs/rules.md is every rule's page as the code has it (regenerate: ivrlint rules --format markdown > docs/rules.md)."""

from pathlib import Path

from conftest import run_cli

from ivrlint.cli.rules import reference
from ivrlint.lint.rules import all_rules

ROOT = Path(__file__).resolve().parent.parent


def test_docs_rules_md_is_current():
    assert (ROOT / "docs" / "rules.md").read_text(encoding="utf-8") == reference(), \
        "docs/rules.md is stale: run `ivrlint rules --format markdown > docs/rules.md`"


def test_every_rule_has_a_heading_the_language_server_links_to():
    text = reference()
    for rule in all_rules():
        assert f"\n## {rule.code} {rule.slug}\n" in text  # GitHub's anchor: #code-slug, lower case
    assert run_cli("rules", "--format", "markdown").out == text
