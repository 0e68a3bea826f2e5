"""Each menus/bad example shows its one defect: besides the rule it is named
after, only findings that follow from that same defect; and the README's
example menu lints clean."""

from __future__ import annotations

import re

import pytest
from conftest import BAD_MENUS, ROOT

from ivrlint.lint.run import lint_document
from ivrlint.menu.loader import read_menu, read_text

#: other rules a defect sets off by its nature (a person four menus away is also too deep, ...)
FOLLOWS_FROM = {
    "human-too-far": {"no-zero-out", "too-deep"},  # no 0 in the first menus is how a person gets far
    "invalid-key": {"key-gaps"},  # key 10 in place of 2 is a gap too
    "long-wait-no-callback": {"overloaded-queue", "silent-wait"},  # long waits come from too few agents, and nobody explains them
    "misleading-human-option": {"human-too-far", "no-zero-out"},  # 0 was the only key to a person
    "overloaded-queue": {"silent-wait"},  # an overloaded pool keeps callers waiting, here in silence
    "no-human-path": {"no-zero-out", "hangup-on-failure"},  # nowhere to send 0 or a failure
    "too-many-options": {"long-prompt"},  # seven choices take long to say
    "trap-loop": {"no-human-path", "no-zero-out"},  # a loop with no way out has no way to a person
    "unknown-target": {"unreachable"},  # the node the typo meant is left unlinked
}


@pytest.mark.parametrize("path", BAD_MENUS, ids=lambda p: p.stem)
def test_a_bad_example_fires_its_rule_and_only_what_follows_from_its_defect(path):
    fired = {f.rule for f in lint_document(read_menu(str(path)))}
    assert path.stem in fired
    assert fired - {path.stem} <= FOLLOWS_FROM.get(path.stem, set()), sorted(fired)


def test_the_readme_example_menu_lints_clean():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    [example] = [block for block in re.findall(r"```yaml\n(.*?)```", readme, re.S) if block.startswith("ivr: acme-support")]
    assert lint_document(read_text(example, "README.md")) == []
