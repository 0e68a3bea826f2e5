"""A directory of one platform's files is one phone line; a file in it that cannot be
read at all (not XML, not JSON, not text) is reported on its own, and the others are
still linted, with a summary that counts each file once, where it belongs."""

from __future__ import annotations

import json
import shutil

from conftest import ROOT, run_cli

from ivrlint.errors import InputError
from ivrlint.importers import read_each
from ivrlint.location import Location

PLATFORMS = ROOT / "menus" / "platforms"
BAD = ROOT / "menus" / "bad" / "platforms"
BROKEN_XML = '<include>\n  <menu name="x" greet-long="a"\n</include>\n'


def copy(source, target):
    target.mkdir()
    for path in source.iterdir():
        shutil.copy(path, target / path.name)
    return target


def test_one_broken_freeswitch_file_is_reported_and_the_others_are_linted(tmp_path):
    folder = copy(BAD / "freeswitch", tmp_path / "line")
    broken = folder / "zz-broken.xml"
    broken.write_text(BROKEN_XML, encoding="utf-8")
    alone = run_cli("check", BAD / "freeswitch")
    result = run_cli("check", folder)
    assert result.code == 2
    assert result.err.strip().splitlines() == [line for line in result.err.strip().splitlines() if line.startswith(f"{broken}:3:")]
    findings = [line.replace(str(folder), "DIR") for line in result.out.splitlines()[:-1]]
    assert findings == [line.replace(str(BAD / "freeswitch"), "DIR") for line in alone.out.splitlines()[:-1]] != []
    files = len(list((BAD / "freeswitch").iterdir()))
    assert result.out.splitlines()[-1].endswith(f"in {files} file{'s' if files > 1 else ''}; 1 file could not be read")


def test_one_broken_connect_flow_is_reported_and_the_others_are_linted(tmp_path):
    folder = copy(PLATFORMS / "connect", tmp_path / "line")
    (folder / "Broken.json").write_text('{"Version": "2019-10-30", "StartAction": "a", "Actions": [\n', encoding="utf-8")
    result = run_cli("check", "--format", "json", folder)
    assert result.code == 2 and result.err.startswith(f"{folder / 'Broken.json'}:")
    assert json.loads(result.out) == []  # the two flows that are read are clean, and were read


def test_the_summary_counts_what_was_read_and_what_was_not(tmp_path):
    folder = copy(PLATFORMS / "freeswitch", tmp_path / "line")
    (folder / "zz.xml").write_text(BROKEN_XML, encoding="utf-8")
    assert run_cli("check", folder).out.strip() == "no problems in 2 files; 1 file could not be read"
    alone = tmp_path / "alone"
    alone.mkdir()
    (alone / "zz.xml").write_text(BROKEN_XML, encoding="utf-8")
    assert run_cli("check", alone).out.strip() == "1 file could not be read"


def test_an_error_that_names_no_file_of_the_line_makes_the_whole_line_unreadable(tmp_path, monkeypatch):
    import ivrlint.importers as importers

    def refuse(files, fmt=None):
        raise InputError.at(Location(str(tmp_path / "elsewhere.xml"), 1, 1), "nothing to do with these files")

    monkeypatch.setattr(importers, "read_any", refuse)
    group = [str(tmp_path / "a.xml"), str(tmp_path / "b.xml")]
    document, failed = read_each(group)
    assert document is None and [files for _, files in failed] == [group]


def test_a_file_that_includes_the_broken_one_is_the_one_set_aside(tmp_path):
    (tmp_path / "extensions.conf").write_text("[main]\nexten => s,1,Background(x)\n same => n,WaitExten(5)\n"
                                              "exten => 0,1,Queue(operator)\n#include binary.inc\n", encoding="utf-8")
    (tmp_path / "other.conf").write_text("[other]\nexten => s,1,Queue(sales)\n", encoding="utf-8")
    (tmp_path / "binary.inc").write_bytes(b"\x00\x01\x02")
    document, failed = read_each([str(tmp_path / "extensions.conf"), str(tmp_path / "other.conf")], "asterisk")
    assert [files for _, files in failed] == [[str(tmp_path / "extensions.conf")]]
    assert "binary" in str(failed[0][0]) and document is not None and "other" in document.menu.nodes
