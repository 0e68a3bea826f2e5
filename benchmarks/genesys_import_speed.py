"""Import speed of the Genesys Cloud Archy importer on generated flows of 200, 2,000 and 10,000 menus.

Each generated flow is a tree of menus written as Archy exports them: every
menu has a sub-menu or a jump to the next menus, a transfer to ACD on 0, a
repeat on 9 and a default choice; a task with a decision and a data action
starts the call. For each size it prints the seconds to import (read, index,
build the menu), the nodes made per second, and the ratio to merely
composing the same file with PyYAML's C loader (yaml.compose with
CSafeLoader) in the same process. Both run with the garbage collector off, as
the importer reads (its trees hold no cycles); with it on, composing alone
takes several times longer at 2,000 menus and the ratio would flatter the import.

    .venv/bin/python benchmarks/genesys_import_speed.py [--sizes 200,2000,10000]
"""

from __future__ import annotations

import argparse
import gc
import os
import tempfile
import time

import yaml

from ivrlint.importers.genesys import read


def generate(menus: int) -> str:
    """An inboundCall flow with `menus` menus in a tree of three choices each, and a startup task."""
    lines = ["inboundCall:", "  name: Generated", "  startUpRef: /inboundCall/tasks/task[start]", "  defaultLanguage: en-us",
             "  initialGreeting:", "    tts: Thank you for calling.", "  settingsMenu:", "    menuSelectionTimeout:",
             "      lit:", "        seconds: 5", "    repeatCount:", "      lit: 3", "  menus:"]
    for i in range(menus):
        children = [3 * i + k for k in (1, 2, 3)]
        lines += ["    - menu:", f"        name: Menu {i}", f"        refId: m{i}", "        audio:",
                  f'          exp: AudioPlaybackOptions(ToAudioTTS("For option {children[0]}, press 1. For option '
                  f'{children[1]}, press 2. For option {children[2]}, press 3. For a person, press 0. To hear this '
                  'again, press 9."), true)', "        choices:"]
        for key, child in enumerate(children, start=1):
            if child < menus:
                lines += ["          - menuJumpToMenu:", f"              name: To {child}", f"              dtmf: digit_{key}",
                          f"              targetMenuRef: /inboundCall/menus/menu[m{child}]"]
            else:
                lines += ["          - menuTransferToAcd:", f"              name: Queue {child}", f"              dtmf: digit_{key}",
                          "              targetQueue:", "                lit:", f"                  name: Queue {child % 50}"]
        lines += ["          - menuTransferToAcd:", "              name: Agent", "              refId: agent",
                  "              dtmf: digit_0", "              targetQueue:", "                lit:",
                  "                  name: General", "          - menuRepeatMenu:", "              name: Repeat",
                  "              dtmf: digit_9", "        defaultChildMenuRef: ./choices/menuTransferToAcd[agent]"]
    lines += ["  tasks:", "    - task:", "        name: Start", "        refId: start", "        actions:",
              "          - callData:", "              name: Look up", "              outputs:", "                failure:",
              "                  actions:", "                    - playAudio:", "                        name: Sorry",
              "                        audio:", "                          tts: We could not find your account.",
              "          - decision:", "              name: VIP", "              condition:", "                exp: Flow.vip",
              "              outputs:", '                "yes":', "                  actions:",
              "                    - transferToAcd:", "                        name: VIP", "                        targetQueue:",
              "                          lit:", "                            name: VIP",
              "          - jumpToMenu:", "              name: Main", "              targetMenuRef: /inboundCall/menus/menu[m0]"]
    return "\n".join(lines) + "\n"


def best_of(repeat: int, fn) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        result = None
        gc.collect()
        gc.disable()
        try:
            start = time.perf_counter()
            result = fn()
            times.append(time.perf_counter() - start)
        finally:
            gc.enable()
    return min(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="200,2000,10000")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"{'menus':>7} {'file MB':>8} {'compose s':>10} {'import s':>9} {'ratio':>6} {'nodes':>7} {'nodes/s':>9}")
    with tempfile.TemporaryDirectory() as tmp:
        for menus in (int(s) for s in args.sizes.split(",")):
            path = os.path.join(tmp, f"flow{menus}.yaml")
            with open(path, "w", encoding="utf-8") as fh:
                fh.write(generate(menus))

            def compose(path=path):
                with open(path, encoding="utf-8") as fh:
                    return yaml.compose(fh, Loader=yaml.CSafeLoader)
            composed, _ = best_of(args.repeat, compose)
            imported, document = best_of(args.repeat, lambda path=path: read([path]))
            nodes = len(document.menu.nodes)  # type: ignore[attr-defined]
            size = os.path.getsize(path) / 1e6
            print(f"{menus:>7} {size:>8.1f} {composed:>10.3f} {imported:>9.3f} {imported / composed:>6.1f} {nodes:>7} "
                  f"{nodes / imported:>9.0f}")


if __name__ == "__main__":
    main()
