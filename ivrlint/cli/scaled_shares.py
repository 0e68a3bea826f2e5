"""The warning of the commands that run a menu (simulate, analyze, sweep,
staff) when its intent or language shares do not sum to 1.

They scale the shares to 1 and go on, as `check` reports the sum as an
error (intent-shares); without a word, a figure for 'billing' would rest on
0.6/1.15 of the calls while the menu says 0.6.
"""

from __future__ import annotations

import sys

from ivrlint.menu.model import Menu


def warn_if_shares_scaled(menu: Menu) -> None:
    """One line on stderr per share list that is scaled, at its place in the menu."""
    from ivrlint.lint.rules import intent_shares

    tolerance = intent_shares.OPTIONS["tolerance"]
    for what, total, loc in intent_shares.share_sums(menu):
        if abs(total - 1.0) > tolerance:
            kind = "intent" if what == "intents" else "language"
            print(f"{loc or menu.file}: warning: {kind} shares sum to {total:.4g}; they are scaled to 1 for this run",
                  file=sys.stderr)
