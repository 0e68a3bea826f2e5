"""Import speed of every platform importer, against merely parsing the same file.

Each importer reads a generated phone line of --menus menus (a tree of
three choices each, 0 to a queue, 9 to repeat, a "sorry" step and a retry
limit where the platform has them) written as the platform stores it, and
takes turns with the stdlib's parse of the same bytes (benchmarks/timing.py;
median and smallest ratio of the pairs):

* FreeSWITCH IVR XML: expat (xml.parsers.expat, the C parser the importer
  reads with), with an element handler that does nothing;
* Asterisk dialplan: the line reader, a loop over the file's lines that drops
  comments and splits ``[context]`` headers and ``key => value`` lines, as
  Asterisk's config.c reads them;
* Amazon Connect and Twilio Studio flows: ``json.loads`` (C);
* Genesys Cloud Archy YAML: PyYAML's C loader composing it.

The baselines run with the garbage collector off (the parse alone); each
importer runs as `ivrlint check` runs it (``read_any`` with the format
named: collection paused while the importer runs, then the model's limits
checked; the collection that comes after the pause, over what the import
made and keeps, is counted too). Goal (issue 16): each importer within 3x
of its parse.

    .venv/bin/python benchmarks/import_speed.py [--menus 2000] [--pairs 5] [--profile connect]
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import tempfile
from xml.parsers import expat

import yaml
from genesys_import_speed import generate as genesys_flow
from timing import gc_off, ratios, spread, take_turns
from twilio_import_speed import generate as twilio_flow

from ivrlint.importers import importers, read_any


def _children(i: int, menus: int) -> list[int | None]:
    """The menus keys 1-3 of menu `i` lead to (None: past the last menu, a queue)."""
    return [c if c < menus else None for c in (3 * i + 1, 3 * i + 2, 3 * i + 3)]


def _prompt(i: int) -> str:
    a, b, c = 3 * i + 1, 3 * i + 2, 3 * i + 3
    return (f"For option {a}, press 1. For option {b}, press 2. For option {c}, press 3. "
            "For a person, press 0. To hear this again, press 9.")


def freeswitch(menus: int) -> str:
    out = ["<include>"]
    for i in range(menus):
        out += [f'  <menu name="m{i}" greet-long="say:{_prompt(i)}" invalid-sound="ivr/ivr-that_was_an_invalid_entry.wav"',
                '        timeout="5000" max-failures="3" max-timeouts="3" exec-on-max-failures="callcenter support@$${domain}">']
        for key, child in enumerate(_children(i, menus), start=1):
            out.append(f'    <entry action="menu-sub" digits="{key}" param="m{child}"/>' if child is not None else
                       f'    <entry action="menu-exec-app" digits="{key}" param="callcenter support@$${{domain}}"/>')
        out += ['    <entry action="menu-exec-app" digits="0" param="callcenter support@$${domain}"/>',
                '    <entry action="menu-top" digits="9"/>', "  </menu>"]
    return "\n".join(out + ["</include>"]) + "\n"


def asterisk(menus: int) -> str:
    out = ["[general]", "static=yes", "", "[incoming]", "exten => _X.,1,Answer()", " same => n,Goto(m0,s,1)", ""]
    for i in range(menus):
        out += [f"[m{i}] ; Menu {i}", "exten => s,1,Set(TRIES=0)", f" same => n(menu),Background(custom/menu-{i})",
                " same => n,WaitExten(5)"]
        for key, child in enumerate(_children(i, menus), start=1):
            out.append(f"exten => {key},1,Goto(m{child},s,1)" if child is not None else f"exten => {key},1,Queue(support,t,,,600)")
        out += ["exten => 9,1,Goto(s,menu)", "exten => 0,1,Queue(operator,t,,,600)",
                "exten => i,1,Set(TRIES=$[${TRIES} + 1])", " same => n,GotoIf($[${TRIES} >= 3]?0,1)", " same => n,Playback(invalid)",
                " same => n,Goto(s,menu)", "exten => t,1,Set(TRIES=$[${TRIES} + 1])", " same => n,GotoIf($[${TRIES} >= 3]?0,1)",
                " same => n,Goto(s,menu)", ""]
    return "\n".join(out) + "\n"


def _equals(value: str, target: str) -> dict:
    return {"NextAction": target, "Condition": {"Operator": "Equals", "Operands": [value]}}


def connect(menus: int) -> str:
    queue = "arn:aws:connect:eu-west-1:210987654321:instance/5f0c1d2e/queue/a4c6e8f0-2b5d-4e1f-8a3c-5d7f9b1e3c51"
    actions = [
        {"Parameters": {"QueueId": queue}, "Identifier": "set-queue", "Type": "UpdateContactTargetQueue",
         "Transitions": {"NextAction": "to-queue", "Errors": [{"NextAction": "bye", "ErrorType": "NoMatchingError"}]}},
        {"Parameters": {}, "Identifier": "to-queue", "Type": "TransferContactToQueue",
         "Transitions": {"Errors": [{"NextAction": "bye", "ErrorType": "QueueAtCapacity"},
                                    {"NextAction": "bye", "ErrorType": "NoMatchingError"}]}},
        {"Parameters": {}, "Identifier": "bye", "Type": "DisconnectParticipant", "Transitions": {}},
    ]
    for i in range(menus):
        keys = [_equals(str(k), f"menu-{c}" if c is not None else "set-queue") for k, c in enumerate(_children(i, menus), start=1)]
        keys += [_equals("0", "set-queue"), _equals("9", f"menu-{i}")]
        actions += [
            {"Parameters": {"Text": _prompt(i), "InputTimeLimitSeconds": "5", "StoreInput": "False"}, "Identifier": f"menu-{i}",
             "Type": "GetParticipantInput",
             "Transitions": {"NextAction": f"sorry-{i}", "Conditions": keys,
                             "Errors": [{"NextAction": f"sorry-{i}", "ErrorType": "InputTimeLimitExceeded"},
                                        {"NextAction": f"sorry-{i}", "ErrorType": "NoMatchingCondition"},
                                        {"NextAction": "set-queue", "ErrorType": "NoMatchingError"}]}},
            {"Parameters": {"Text": "Sorry, I did not get that."}, "Identifier": f"sorry-{i}", "Type": "MessageParticipant",
             "Transitions": {"NextAction": f"loop-{i}", "Errors": [{"NextAction": f"loop-{i}", "ErrorType": "NoMatchingError"}]}},
            {"Parameters": {"LoopCount": "2"}, "Identifier": f"loop-{i}", "Type": "Loop",
             "Transitions": {"NextAction": "set-queue", "Conditions": [_equals("ContinueLooping", f"menu-{i}"),
                                                                       _equals("DoneLooping", "set-queue")]}},
        ]
    metadata = {a["Identifier"]: {"position": {"x": 160 + 240 * (n % 40), "y": 40 + 160 * (n // 40)}, "isFriendlyName": True}
                for n, a in enumerate(actions)}
    flow = {"Version": "2019-10-30", "StartAction": "menu-0",
            "Metadata": {"entryPointPosition": {"x": 40, "y": 40}, "ActionMetadata": metadata, "name": "Generated",
                         "description": "", "type": "contactFlow", "status": "published", "hash": {}},
            "Actions": actions}
    return json.dumps(flow, indent=1)


def asterisk_lines(text: str) -> int:
    """The line reader: sections and `key => value` lines, comments dropped."""
    entries = 0
    for line in text.splitlines():
        line = line.split(";", 1)[0].strip()
        if not line:
            continue
        if line.startswith("["):
            entries += 1
            continue
        key, _, value = line.partition("=>") if "=>" in line else line.partition("=")
        entries += bool(key.strip() and value.strip())
    return entries


def expat_parse(data: bytes) -> None:
    parser = expat.ParserCreate()
    parser.StartElementHandler = lambda name, attributes: None
    parser.Parse(data, True)


#: platform -> (file name, generator of the file's text, what parses it, that parse's name)
PLATFORMS = {
    "freeswitch": ("ivr_menus.xml", freeswitch, lambda data: expat_parse(data), "expat"),
    "asterisk": ("extensions.conf", asterisk, lambda data: asterisk_lines(data.decode("utf-8")), "the line reader"),
    "connect": ("Generated.json", connect, lambda data: json.loads(data), "json.loads"),
    "twilio": ("flow.json", lambda menus: json.dumps(twilio_flow(menus), indent=2), lambda data: json.loads(data), "json.loads"),
    "genesys": ("Generated.yaml", genesys_flow, lambda data: yaml.compose(data, Loader=yaml.CSafeLoader), "C compose"),
}


def one_platform(name: str, folder: str, menus: int, pairs: int) -> dict:
    """The importer of `name` on a generated line of `menus` menus, taking turns with its parse."""
    file, make, parse, parse_name = PLATFORMS[name]
    path = os.path.join(folder, file)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(make(menus))
    with open(path, "rb") as fh:
        data = fh.read()
    document = read_any([path], name)
    times = take_turns({"import": lambda: read_any([path], name), "parse": gc_off(lambda: parse(data))}, pairs)
    return {"file_mb": len(data) / 1e6, "nodes": len(document.menu.nodes), "baseline": parse_name, "pairs": pairs,
            "seconds": {side: spread(values) for side, values in times.items()}, "vs_parse": ratios(times, "import", "parse"),
            "goal": 3.0}


def import_speeds(menus: int = 2000, pairs: int = 5, platforms: tuple[str, ...] = tuple(PLATFORMS)) -> dict:
    """Every importer's figures; a platform whose importer is not in the tree is left out."""
    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name in platforms:
            if name not in importers():
                continue
            folder = os.path.join(tmp, name)
            os.mkdir(folder)
            out[name] = one_platform(name, folder, menus, pairs)
    return out


def profile(name: str, menus: int = 2000, lines: int = 14) -> list[str]:
    """The top of a cProfile of one import, by own time."""
    with tempfile.TemporaryDirectory() as tmp:
        file, make, _, _ = PLATFORMS[name]
        path = os.path.join(tmp, file)
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(make(menus))
        read_any([path], name)  # modules loaded and caches warm, as in the timed runs
        stats = cProfile.Profile()
        stats.enable()
        read_any([path], name)
        stats.disable()
    out = io.StringIO()
    pstats.Stats(stats, stream=out).sort_stats("tottime").print_stats(lines)
    text = out.getvalue().replace(os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep, "")
    return [line for line in text.splitlines() if line.strip()][-(lines + 1):]


def print_speeds(figures: dict) -> None:
    print("importers on generated lines, against merely parsing the file (GC off); median (min) of interleaved pairs")
    print(f"{'platform':>11} {'MB':>5} {'nodes':>6} {'import s':>9} {'parse s':>8}  {'ratio':>16}  baseline")
    for name, row in figures.items():
        s, r = row["seconds"], row["vs_parse"]
        flag = "" if r["median"] <= row["goal"] else "  over the 3x goal"
        print(f"{name:>11} {row['file_mb']:>5.1f} {row['nodes']:>6} {s['import']['median']:>9.3f} {s['parse']['median']:>8.3f}  "
              f"{r['median']:>6.1f}x (min {r['min']:.1f}x)  {row['baseline']}{flag}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--menus", type=int, default=2000)
    parser.add_argument("--pairs", type=int, default=5)
    parser.add_argument("--profile", choices=list(PLATFORMS), help="also print the top of a profile of this importer")
    args = parser.parse_args()
    print_speeds(import_speeds(args.menus, args.pairs))
    if args.profile:
        print("\n".join(profile(args.profile, args.menus)))


if __name__ == "__main__":
    main()
