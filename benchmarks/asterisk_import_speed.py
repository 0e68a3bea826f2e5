"""Import speed of a generated Asterisk dialplan of 2,000 menus.

Each menu is a context as FreePBX writes an IVR: counters set on entry, a
Background and WaitExten, keys 1-3 to the next menus, 0 to a queue, 9 back
to the prompt, and ``i`` and ``t`` extensions that count failures and give
up to the operator queue (14 dialplan lines a menu, about 28,000 in all;
one in a hundred menus has a ``t`` line with no priority, which Asterisk
skips and ivrlint reports). Prints the seconds the importer takes (reading
the text, comments and includes, parsing the priorities, following the
calls, building the menu; the best of three runs), the menus and lines per
second, and the ratio to a bare pass over the same file in the same
process: read it, split it into lines, split each at its first ``=``, the
least any dialplan reader does.

    .venv/bin/python benchmarks/asterisk_import_speed.py [--menus 2000]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time

from ivrlint.importers.asterisk import read


def _menu(i: int, menus: int) -> str:
    children = [3 * i + k for k in (1, 2, 3)]
    keys = "".join(f"exten => {k},1,Goto(ivr-{child},s,1)\n" if child < menus else f"exten => {k},1,Queue(sales)\n"
                   for k, child in enumerate(children, start=1))
    timeout = ("exten => t,Set(CALLERID(name)=timeout)\n" if i % 100 == 99 else
               "exten => t,1,Set(TIMEOUT_LOOPCOUNT=$[${TIMEOUT_LOOPCOUNT}+1])\n")
    return (f"[ivr-{i}] ; Menu {i}\n"
            "exten => s,1,Set(TIMEOUT_LOOPCOUNT=0)\n"
            "exten => s,n,Set(INVALID_LOOPCOUNT=0)\n"
            f"exten => s,n(start),Background(custom/menu-{i})\n"
            "exten => s,n,WaitExten(5)\n"
            f"{keys}"
            "exten => 0,1,Queue(operator)\n"
            "exten => 9,1,Goto(s,start)\n"
            "exten => i,1,Set(INVALID_LOOPCOUNT=$[${INVALID_LOOPCOUNT}+1])\n"
            "exten => i,n,GotoIf($[${INVALID_LOOPCOUNT} > 2]?0,1)\n"
            "exten => i,n,Goto(s,start)\n"
            f"{timeout}"
            "exten => t,n,GotoIf($[${TIMEOUT_LOOPCOUNT} > 2]?0,1)\n"
            "exten => t,n,Goto(s,start)\n\n")


def generate(menus: int) -> str:
    head = "[general]\nautofallthrough=yes\n\n[from-pstn]\nexten => _X.,1,Answer()\n same => n,Goto(ivr-0,s,1)\n\n"
    return head + "".join(_menu(i, menus) for i in range(menus))


def _bare(path: str) -> int:
    with open(path, encoding="utf-8") as fh:
        return sum(1 for line in fh.read().splitlines() if line.partition("=")[1])


def _best(run, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        run()
        times.append(time.perf_counter() - began)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--menus", type=int, default=2000)
    args = parser.parse_args()
    text = generate(args.menus)
    lines = text.count("\n")
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "extensions.conf")
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(text)
        document = read([path])
        menus = sum(1 for node in document.menu.nodes.values() if node.type == "menu")
        skipped = sum(1 for note in document.notes if note.rule == "platform-warning")
        seconds = _best(lambda: read([path]))
        bare = _best(lambda: _bare(path))
    print(f"{args.menus} menus, {lines} dialplan lines, {len(text) / 1e6:.1f} MB: {menus} menu nodes, "
          f"{len(document.menu.nodes)} nodes, {skipped} lines Asterisk skips reported")
    print(f"import: {seconds:.2f} s ({args.menus / seconds:,.0f} menus/s, {lines / seconds:,.0f} lines/s)")
    print(f"bare pass (read, split lines, split at '='): {bare:.3f} s; import / bare = {seconds / bare:.0f}x")


if __name__ == "__main__":
    main()
