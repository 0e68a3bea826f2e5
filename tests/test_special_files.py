"""A named pipe, a device or a socket is refused or skipped, never waited on (issue 17).

``mkfifo menu.yaml`` used to block `check` forever: opening a pipe for
reading waits for a writer. Every reader opens files without blocking and
refuses what is no regular file; a directory search skips them. Each case
runs in a subprocess under a generous timeout, so a regression fails the
test instead of hanging the suite.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from conftest import ROOT

from ivrlint.errors import InputError
from ivrlint.menu.files import menu_files
from ivrlint.menu.yamlsource import open_regular, read_text

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")

MENU = ("ivr: t\nstart: main\nnodes:\n  main:\n    type: menu\n    prompt: For an agent, press 0. To repeat, press 9.\n"
        "    options: {0: agent, 9: {action: repeat}}\n    on_failure: agent\n  agent: {type: queue, queue: q}\n"
        "queues:\n  q: {agents: 2, handle_time: 3m}\n")
MENU_XML = ('<include>\n  <menu name="main" greet-long="say:For an agent, press 0. To repeat, press 9.">\n'
            '    <entry action="menu-exec-app" digits="0" param="transfer 1000 XML default"/>\n'
            '    <entry action="menu-top" digits="9"/>\n  </menu>\n</include>\n')


def ivrlint(*args, cwd=None) -> subprocess.CompletedProcess:
    """The command in a process of its own: a hang is a timeout (30 s), not a stuck suite."""
    return subprocess.run([sys.executable, "-m", "ivrlint", *map(str, args)], cwd=cwd or ROOT, capture_output=True,
                          text=True, timeout=30, env={**os.environ, "NO_COLOR": "1"})


def test_a_named_pipe_named_on_the_command_line_is_refused(tmp_path):
    for name in ("menu.yaml", "ivr.xml", "extensions.conf", "flow.json"):
        pipe = tmp_path / name
        os.mkfifo(pipe)
        result = ivrlint("check", "--no-config", pipe)
        assert result.returncode == 2
        assert f"{pipe}: error: is a named pipe (FIFO), not a file" in result.stderr


def test_a_named_pipe_in_a_searched_folder_is_skipped(tmp_path):
    (tmp_path / "good.yaml").write_text(MENU, encoding="utf-8")
    os.mkfifo(tmp_path / "pipe.yaml")
    os.mkfifo(tmp_path / "pipe.xml")
    result = ivrlint("check", "--no-config", tmp_path)
    assert result.returncode == 0 and "no problems in 1 file" in result.stdout
    assert menu_files([str(tmp_path)]) == [str(tmp_path / "good.yaml")]


def test_every_command_that_reads_a_menu_refuses_a_pipe(tmp_path):
    pipe = tmp_path / "menu.yaml"
    os.mkfifo(pipe)
    for command in (["analyze", pipe], ["simulate", pipe, "--hours", "1"], ["graph", pipe, "-o", "-"],
                    ["import", "freeswitch", pipe], ["compare", pipe, pipe]):
        result = ivrlint(*command)
        assert result.returncode == 2 and "is a named pipe (FIFO)" in result.stderr, command


def test_a_pipe_a_freeswitch_include_names_is_refused_and_one_its_glob_matches_is_skipped(tmp_path):
    (tmp_path / "menus").mkdir()
    (tmp_path / "menus" / "main.xml").write_text(MENU_XML, encoding="utf-8")
    os.mkfifo(tmp_path / "menus" / "zz.xml")
    conf = tmp_path / "ivr.conf.xml"
    conf.write_text('<configuration name="ivr.conf">\n  <menus>\n    <X-PRE-PROCESS cmd="include" data="menus/*.xml"/>\n'
                    '  </menus>\n</configuration>\n', encoding="utf-8")
    assert ivrlint("check", "--no-config", conf).returncode == 0  # the glob's pipe is left out
    conf.write_text(conf.read_text(encoding="utf-8").replace("menus/*.xml", "menus/zz.xml"), encoding="utf-8")
    result = ivrlint("check", "--no-config", conf)
    assert result.returncode == 2 and "zz.xml: error: is a named pipe (FIFO)" in result.stderr


def test_a_pipe_an_asterisk_include_names_is_refused(tmp_path):
    os.mkfifo(tmp_path / "more.conf")
    conf = tmp_path / "extensions.conf"
    conf.write_text("[main]\nexten => s,1,Background(menu)\n same => n,WaitExten(5)\nexten => 0,1,Dial(SIP/op)\n"
                    "#include more.conf\n", encoding="utf-8")
    result = ivrlint("check", "--no-config", conf)
    assert result.returncode == 2 and "more.conf: error: is a named pipe (FIFO)" in result.stderr


def test_stdin_filename_naming_a_pipe_is_not_waited_on(tmp_path):
    pipe = tmp_path / "ivr.xml"
    os.mkfifo(pipe)
    result = subprocess.run([sys.executable, "-m", "ivrlint", "check", "--no-config", "-", "--stdin-filename", str(pipe)],
                            input=MENU_XML, capture_output=True, text=True, timeout=30, cwd=ROOT)
    assert result.returncode == 0, result.stderr


def test_a_device_is_refused_and_a_regular_file_read():
    with pytest.raises(InputError, match="is a character device, not a file"):
        read_text("/dev/zero")  # would be read to the 64 MiB limit
    with pytest.raises(IsADirectoryError):
        open_regular(str(ROOT))
    with open_regular(str(ROOT / "menus" / "bank.yaml")) as fh:
        assert fh.read() == (ROOT / "menus" / "bank.yaml").read_bytes()
