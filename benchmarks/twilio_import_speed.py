"""Import speed of a generated Twilio Studio flow of 2,000 menus.

Each menu is a gather-input-on-call and its split-based-on (keys 1-3 to
the next menus, 0 to a send-to-flex widget, 9 back to itself), with a
"Sorry" say-play on its noMatch path: five widgets per menu, about 10,000
in all. Prints the seconds the importer takes (reading the JSON with
positions, checking the flow, building the menu; the best of three runs),
the widgets per second, and the ratio to ``json.load`` of the same file
in the same process, the stdlib C decoder with no positions. Also the
same flow written as Terraform ``jsonencode({...})``.

    .venv/bin/python benchmarks/twilio_import_speed.py [--menus 2000]
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time

from ivrlint.importers.twilio import read


def _go(event, next_=None, conditions=None):
    out = {"next": next_, "event": event} if next_ else {"event": event}
    if conditions:
        out["conditions"] = conditions
    return out


def _menu(i: int, menus: int) -> list[dict]:
    gather, split, sorry = f"gather_{i}", f"split_{i}", f"sorry_{i}"
    children = [3 * i + k for k in (1, 2, 3)]
    keys = [(str(k), f"gather_{child}" if child < menus else "agent") for k, child in enumerate(children, start=1)]
    keys += [("0", "agent"), ("9", gather)]
    conditions = [_go("match", target, [{"friendly_name": key, "arguments": [f"{{{{widgets.{gather}.Digits}}}}"],
                                         "type": "equal_to", "value": key}]) for key, target in keys]
    say = " ".join(f"For option {c}, press {k}." for k, c in enumerate(children, start=1))
    return [
        {"name": gather, "type": "gather-input-on-call", "transitions": [_go("keypress", split), _go("speech"), _go("timeout", "agent")],
         "properties": {"say": f"{say} For a person, press 0. To hear this again, press 9.", "loop": 3, "timeout": 5,
                        "number_of_digits": 1, "offset": {"x": i, "y": i}}},
        {"name": split, "type": "split-based-on", "transitions": [_go("noMatch", sorry), *conditions],
         "properties": {"input": f"{{{{widgets.{gather}.Digits}}}}", "offset": {"x": i, "y": i + 200}}},
        {"name": sorry, "type": "say-play", "transitions": [_go("audioComplete", "agent")],
         "properties": {"say": "Sorry, that is not an option.", "offset": {"x": i, "y": i + 400}}},
    ]


def generate(menus: int) -> dict:
    states = [{"name": "Trigger", "type": "trigger", "transitions": [_go("incomingCall", "gather_0")], "properties": {}}]
    for i in range(menus):
        states += _menu(i, menus)
    states.append({"name": "agent", "type": "send-to-flex", "transitions": [_go("callComplete")],
                   "properties": {"workflow": "WW0123456789abcdef0123456789abcdef", "channel": "TC0123"}})
    return {"description": "generated", "states": states, "initial_state": "Trigger", "flags": {"allow_concurrent_calls": True}}


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
    flow = generate(args.menus)
    widgets = len(flow["states"])
    text = json.dumps(flow, indent=2)
    hcl = "locals {\n  flow = jsonencode(" + text.replace('": ', '" = ') + ")\n}\n"
    with tempfile.TemporaryDirectory() as folder:
        path, tf = os.path.join(folder, "flow.json"), os.path.join(folder, "flow.tf")
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(text)
        with open(tf, "w", encoding="utf-8") as fh:
            fh.write(hcl)
        nodes = len(read([path]).menu.nodes)

        def baseline():
            with open(path, encoding="utf-8") as fh:
                json.load(fh)

        base = _best(baseline)
        json_seconds = _best(lambda: read([path]))
        tf_seconds = _best(lambda: read([tf]))
    print(f"{args.menus} menus, {widgets} widgets, {len(text) / 1e6:.1f} MB of JSON -> {nodes} nodes")
    print(f"  JSON:      {json_seconds:.3f} s, {widgets / json_seconds:,.0f} widgets/s, "
          f"{json_seconds / base:.1f}x json.load ({base:.3f} s)")
    print(f"  Terraform: {tf_seconds:.3f} s, {widgets / tf_seconds:,.0f} widgets/s, {tf_seconds / base:.1f}x json.load")


if __name__ == "__main__":
    main()
