"""What a menu must say before it can be simulated or analysed."""

from __future__ import annotations

from ivrlint.errors import InputError
from ivrlint.menu.model import Menu, Traffic


def traffic_of(menu: Menu) -> Traffic:
    """The menu's traffic section; InputError when it has none (simulating or analysing needs it)."""
    traffic = menu.traffic
    if traffic is None:
        raise InputError.at(menu.loc, "the menu has no 'traffic' section; add one with calls_per_hour, patience and "
                            "intents (why people call and the node that meets each need), see MENU_FORMAT.md, 'Traffic'", menu.file)
    return traffic


def check_menu(menu: Menu) -> None:
    """Raise InputError unless the menu says enough to simulate or analyse it."""
    traffic = traffic_of(menu)
    if not traffic.intents:
        raise InputError.at(traffic.locs.get("intents", traffic.loc), "'traffic' has no intents; add at least one, "
                            "for example {billing: {share: 1, goal: billing}}", menu.file)
    if sum(i.share for i in traffic.intents.values()) <= 0:
        raise InputError.at(traffic.locs.get("intents", traffic.loc), "every intent has share 0; give the shares "
                            "of calls for each reason, summing to 1", menu.file)
    if menu.start not in menu.nodes:
        raise InputError.at(menu.where("start"), f"the start node '{menu.start}' is not defined", menu.file)
