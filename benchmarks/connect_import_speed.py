"""Import speed of the Amazon Connect importer on generated flows of 200, 2,000 and 10,000 menus.

Each generated flow is one flow language file, laid out as the console
exports it (indented, with ActionMetadata positions): a tree of Get customer
input blocks whose keys 1-3 lead through a Play prompt to the next menus (a
Set working queue and Transfer to queue on the leaves), 0 to an agent queue,
9 back to the block, and Timeout and Default branches through a "Sorry"
prompt to a Loop of 2 that returns to it. For each size it prints the seconds
to import (parse with positions, link, walk, build the menu), the nodes made
per second, and the ratio to merely decoding the same file with the
standard library's C ``json.loads`` in the same process. Both run with the
garbage collector off (best of --repeat).

A flow in Connect holds at most 250 blocks (the flow language reference),
so the large sizes stand for many flows' worth of blocks in one file.

    .venv/bin/python benchmarks/connect_import_speed.py [--sizes 200,2000,10000]
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import tempfile
import time

from ivrlint.importers.connect import read

ARN = "arn:aws:connect:eu-west-1:111122223333:instance/4a4a4a4a-1111-4222-8333-444455556666/queue"


def _block(ident: str, kind: str, params: dict, next_: str | None = None, keys=(), errors=()) -> dict:
    transitions: dict = {}
    if next_:
        transitions["NextAction"] = next_
    if keys:
        transitions["Conditions"] = [{"NextAction": t, "Condition": {"Operator": "Equals", "Operands": [k]}} for k, t in keys]
    if errors:
        transitions["Errors"] = [{"NextAction": t, "ErrorType": e} for e, t in errors]
    return {"Parameters": params, "Identifier": ident, "Type": kind, "Transitions": transitions}


def _menu(i: int, menus: int) -> list[dict]:
    children = [3 * i + k for k in (1, 2, 3)]
    keys = [(str(key), f"say{child}" if child < menus else f"queue{child}") for key, child in enumerate(children, start=1)]
    prompt = (f"For option {children[0]}, press 1. For option {children[1]}, press 2. For option {children[2]}, press 3. "
              "For an agent, press 0. To hear these options again, press 9.")
    blocks = [
        _block(f"menu{i}", "GetParticipantInput", {"Text": prompt, "InputTimeLimitSeconds": "5", "StoreInput": "False"}, None,
               [*keys, ("0", "agent"), ("9", f"menu{i}")],
               [("InputTimeLimitExceeded", f"sorry{i}"), ("NoMatchingCondition", f"sorry{i}"), ("NoMatchingError", "agent")]),
        _block(f"sorry{i}", "MessageParticipant", {"Text": "Sorry, I did not get that."}, f"loop{i}"),
        _block(f"loop{i}", "Loop", {"LoopCount": "2"}, None,
               [("ContinueLooping", f"menu{i}"), ("DoneLooping", "agent")]),
    ]
    for child in children:
        if child < menus:
            blocks.append(_block(f"say{child}", "MessageParticipant", {"Text": f"Option {child}."}, f"menu{child}"))
        else:
            blocks += [_block(f"queue{child}", "UpdateContactTargetQueue", {"QueueId": f"{ARN}/q{child % 50}"}, f"to-queue{child}"),
                       _block(f"to-queue{child}", "TransferContactToQueue", {}, None, (), [("QueueAtCapacity", "bye")])]
    return blocks


def generate(menus: int) -> str:
    """A flow of `menus` Get customer input blocks in a tree of three keys each, with its prompts, loops and queues."""
    actions = [block for i in range(menus) for block in _menu(i, menus)]
    actions += [_block("agent", "UpdateContactTargetQueue", {"QueueId": f"{ARN}/general"}, "to-agent"),
                _block("to-agent", "TransferContactToQueue", {}, None, (), [("QueueAtCapacity", "bye")]),
                _block("bye", "DisconnectParticipant", {})]
    metadata = {"entryPointPosition": {"x": 40, "y": 40}, "name": "Generated", "type": "contactFlow",
                "ActionMetadata": {a["Identifier"]: {"position": {"x": 160 * n, "y": 40}} for n, a in enumerate(actions)}}
    return json.dumps({"Version": "2019-10-30", "StartAction": "menu0", "Metadata": metadata, "Actions": actions}, indent=2) + "\n"


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
    print(f"{'menus':>7} {'file MB':>8} {'json s':>7} {'import s':>9} {'ratio':>6} {'nodes':>7} {'nodes/s':>9}")
    with tempfile.TemporaryDirectory() as tmp:
        for menus in (int(s) for s in args.sizes.split(",")):
            path = os.path.join(tmp, f"flow{menus}.json")
            with open(path, "w", encoding="utf-8") as fh:
                fh.write(generate(menus))

            def decode(path=path):
                with open(path, encoding="utf-8") as fh:
                    return json.loads(fh.read())
            decoded, _ = best_of(args.repeat, decode)
            imported, document = best_of(args.repeat, lambda path=path: read([path]))
            nodes = len(document.menu.nodes)  # type: ignore[attr-defined]
            size = os.path.getsize(path) / 1e6
            print(f"{menus:>7} {size:>8.1f} {decoded:>7.3f} {imported:>9.3f} {imported / decoded:>6.1f} {nodes:>7} "
                  f"{nodes / imported:>9.0f}")


if __name__ == "__main__":
    main()
