"""Import speed of the FreeSWITCH importer on generated IVR XML of 200, 2,000 and 10,000 menus.

Each generated file is one ``<include>`` of menus in a tree, written as
FreeSWITCH's ``ivr_menus/*.xml`` are: every menu has a ``say:`` greeting,
``menu-sub`` entries to its three sub-menus (a ``callcenter`` queue on the
leaves), a ``transfer`` on 0, a dial-by-extension pattern, ``menu-top`` on 9,
an ``exec-on-max-failures`` and an ivrlint suppression comment. For each size
it prints the seconds to import (parse with positions, follow includes, build
the menu), the nodes made per second, and the ratio to merely parsing the
same file with the standard library's C ElementTree parser
(``xml.etree.ElementTree.parse``) in the same process. Both run with the
garbage collector off (best of --repeat).

    .venv/bin/python benchmarks/freeswitch_import_speed.py [--sizes 200,2000,10000]
"""

from __future__ import annotations

import argparse
import gc
import os
import tempfile
import time
import xml.etree.ElementTree as ElementTree

from ivrlint.importers.freeswitch import read


def generate(menus: int) -> str:
    """An <include> of `menus` menus, a tree of three sub-menus each."""
    lines = ["<include>"]
    for i in range(menus):
        children = [3 * i + k for k in (1, 2, 3)]
        lines += [f"  <!-- ivrlint: disable=too-deep  menu {i} -->",
                  f'  <menu name="m{i}" greet-long="say:For option {children[0]}, press 1. For option {children[1]}, press 2. '
                  f'For option {children[2]}, press 3. For an agent, press 0. To hear these options again, press 9."',
                  '        timeout="5000" max-failures="3" max-timeouts="3" exec-on-max-failures="transfer 1000 XML default">']
        for key, child in enumerate(children, start=1):
            if child < menus:
                lines.append(f'    <entry action="menu-sub" digits="{key}" param="m{child}"/>')
            else:
                lines.append(f'    <entry action="menu-exec-app" digits="{key}" param="callcenter q{child % 50}@$${{domain}}"/>')
        lines += ['    <entry action="menu-exec-app" digits="0" param="transfer 1000 XML default"/>',
                  '    <entry action="menu-exec-app" digits="/^(5[0-9]{3})$/" param="transfer $1 XML default"/>',
                  '    <entry action="menu-top" digits="9"/>', "  </menu>"]
    return "\n".join(lines + ["</include>"]) + "\n"


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
    print(f"{'menus':>7} {'file MB':>8} {'etree s':>8} {'import s':>9} {'ratio':>6} {'nodes':>7} {'nodes/s':>9}")
    with tempfile.TemporaryDirectory() as tmp:
        for menus in (int(s) for s in args.sizes.split(",")):
            path = os.path.join(tmp, f"ivr{menus}.xml")
            with open(path, "w", encoding="utf-8") as fh:
                fh.write(generate(menus))
            parsed, _ = best_of(args.repeat, lambda path=path: ElementTree.parse(path))
            imported, document = best_of(args.repeat, lambda path=path: read([path]))
            nodes = len(document.menu.nodes)  # type: ignore[attr-defined]
            size = os.path.getsize(path) / 1e6
            print(f"{menus:>7} {size:>8.1f} {parsed:>8.3f} {imported:>9.3f} {imported / parsed:>6.1f} {nodes:>7} "
                  f"{nodes / imported:>9.0f}")


if __name__ == "__main__":
    main()
