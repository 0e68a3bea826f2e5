"""Includes stay inside the configuration's directory, and nothing an include reads is quoted.

Asterisk's ``#include`` and FreeSWITCH's ``X-PRE-PROCESS cmd="include"`` may
name any file. A lint of files from elsewhere must not read /etc/shadow
through them, nor print its first line in an error; ``--include-root DIR``
lets them into a directory the user trusts (issue 17).
"""

from __future__ import annotations

import os

import pytest
from conftest import run_cli

from ivrlint.importers import read_any
from ivrlint.importers.includes import allowing

#: What the "secret" files hold; no output may show it.
SECRET = "root:x:0:0:hunter2:/root:/bin/bash"
ASTERISK_MENU = ("[main]\nexten => s,1,Background(menu)\n same => n,WaitExten(5)\nexten => 0,1,Dial(SIP/op)\n"
                 "exten => 9,1,Goto(s,1)\n")


def _notes(document, rule="platform-warning"):
    return [(n.loc.file, n.loc.line, n.message, n.severity) for n in document.notes if n.rule == rule]


@pytest.fixture
def outside(tmp_path):
    """A secret file outside the configuration's folder (tmp_path/conf)."""
    secret = tmp_path / "secret" / "shadow"
    secret.parent.mkdir()
    secret.write_text(SECRET + "\n", encoding="utf-8")
    (tmp_path / "conf").mkdir()
    return secret


# -- Asterisk -------------------------------------------------------------------

@pytest.mark.parametrize("written", ["{secret}", "../secret/shadow", "../secret/*", "{secret_dir}/sh*"])
def test_an_asterisk_include_out_of_the_directory_is_an_error_and_not_read(tmp_path, outside, written):
    name = written.format(secret=outside, secret_dir=outside.parent)
    conf = tmp_path / "conf" / "extensions.conf"
    conf.write_text(ASTERISK_MENU + f"#include {name}\n", encoding="utf-8")
    document = read_any(str(conf))
    [(file, line, message, severity)] = _notes(document)
    assert (file, line, severity) == (str(conf), 6, "error")
    assert f"#include {name} leads outside" in message and "--include-root" in message
    assert str(outside) not in {os.path.realpath(f) for f in _read_files(document)}
    result = run_cli("check", "--no-config", conf)
    assert SECRET.split(":")[0] + ":x" not in result.out + result.err and "hunter2" not in result.out + result.err
    assert result.code == 1  # an error finding, not an unreadable file


def _read_files(document) -> set[str]:
    return {loc.file for node in document.menu.nodes.values() for loc in [node.loc] if loc is not None}


def test_an_asterisk_include_inside_the_directory_is_still_followed(tmp_path):
    conf = tmp_path / "extensions.conf"
    (tmp_path / "menus").mkdir()
    (tmp_path / "menus" / "sales.conf").write_text("[sales]\nexten => s,1,Queue(sales)\n", encoding="utf-8")
    (tmp_path / "support.conf").write_text("[support]\nexten => s,1,Queue(support)\n", encoding="utf-8")
    conf.write_text(ASTERISK_MENU + "exten => 1,1,Goto(sales,s,1)\nexten => 2,1,Goto(support,s,1)\n"
                    "#include menus/*.conf\n#include /etc/asterisk/support.conf\n", encoding="utf-8")
    document = read_any(str(conf))
    assert _notes(document) == []
    assert {"sales", "support"} <= set(document.menu.nodes)  # the copy of /etc/asterisk/support.conf is read


def test_a_link_inside_that_leads_out_is_refused_and_its_glob_siblings_are_read(tmp_path, outside):
    conf = tmp_path / "conf" / "extensions.conf"
    (tmp_path / "conf" / "more").mkdir()
    (tmp_path / "conf" / "more" / "a.conf").write_text("[sales]\nexten => s,1,Queue(sales)\n", encoding="utf-8")
    os.symlink(outside, tmp_path / "conf" / "more" / "b.conf")
    os.symlink(outside, tmp_path / "conf" / "link.conf")
    conf.write_text(ASTERISK_MENU + "exten => 1,1,Goto(sales,s,1)\n#include more/*.conf\n#include link.conf\n", encoding="utf-8")
    document = read_any(str(conf))
    messages = [message for _, _, message, _ in _notes(document)]
    assert len(messages) == 2
    assert messages[0].startswith("#include more/*.conf matches more/b.conf, a link that leads outside")
    assert messages[1].startswith("#include link.conf leads outside")
    assert "sales" in document.menu.nodes  # a.conf was read


def test_include_root_lets_an_include_into_that_directory(tmp_path, outside):
    conf = tmp_path / "conf" / "extensions.conf"
    conf.write_text(ASTERISK_MENU + f"#include {outside}\n", encoding="utf-8")
    with allowing([str(outside.parent)]):
        document = read_any(str(conf))
    assert not any("leads outside" in message for _, _, message, _ in _notes(document))
    assert any(file == str(outside) for file, _, _, _ in _notes(document))  # read: its line is not dialplan
    refused = run_cli("check", "--no-config", conf)
    allowed = run_cli("check", "--no-config", "--include-root", outside.parent, conf)
    assert "leads outside" in refused.out and "leads outside" not in allowed.out
    assert f"{outside}:1:1:" in allowed.out


def test_include_root_must_be_a_directory(tmp_path):
    conf = tmp_path / "extensions.conf"
    conf.write_text(ASTERISK_MENU, encoding="utf-8")
    result = run_cli("check", "--include-root", tmp_path / "nothing", conf)
    assert result.code == 2 and "is not a directory" in result.err


def test_a_line_of_an_included_file_is_named_not_quoted(tmp_path, outside):
    """Inside the configuration's directory or allowed, an included file's lines that are no dialplan
    are reported by file and line; the same lines in a file the user named are quoted, as before."""
    conf = tmp_path / "conf" / "extensions.conf"
    conf.write_text(ASTERISK_MENU + f"#include {outside}\n", encoding="utf-8")
    with allowing([str(outside.parent)]):
        included = read_any(str(conf))
    [message] = [message for file, _, message, _ in _notes(included) if file == str(outside)]
    assert message.startswith("line 1 of shadow is not a dialplan line") and "hunter2" not in message
    named = tmp_path / "conf" / "named.conf"
    named.write_text(ASTERISK_MENU + SECRET + "\n", encoding="utf-8")
    [message] = [message for _, _, message, _ in _notes(read_any([str(named)]))]
    assert message.startswith(f"'{SECRET}' is not a dialplan line")


def test_unknown_directives_and_headers_of_an_included_file_are_not_quoted(tmp_path):
    conf = tmp_path / "extensions.conf"
    (tmp_path / "manager.txt").write_text("[admin\nsecret = hunter2\n", encoding="utf-8")
    conf.write_text(ASTERISK_MENU + "#include manager.txt\n", encoding="utf-8")
    messages = [message for _, _, message, _ in _notes(read_any(str(conf)))]
    assert len(messages) == 2 and not any("hunter2" in m or "secret" in m for m in messages)
    assert messages[0].startswith("line 1 of manager.txt has no closing ']'")
    assert messages[1].startswith("line 2 of manager.txt in [admin] is no dialplan directive")


# -- FreeSWITCH -----------------------------------------------------------------

MENU_XML = ('<include>\n  <menu name="main" greet-long="say:For an agent, press 0. To repeat, press 9.">\n'
            '    <entry action="menu-exec-app" digits="0" param="transfer 1000 XML default"/>\n'
            '    <entry action="menu-top" digits="9"/>\n  </menu>\n</include>\n')


def _ivr_conf(data: str) -> str:
    return ('<configuration name="ivr.conf">\n  <menus>\n'
            f'    <X-PRE-PROCESS cmd="include" data="{data}"/>\n  </menus>\n</configuration>\n')


@pytest.mark.parametrize("written", ["{secret}", "../secret/*.xml", "../../../../../../../../{secret}", "{secret_dir}/*.xml"])
def test_a_freeswitch_include_out_of_the_directory_is_an_error_and_not_read(tmp_path, outside, written):
    (outside.parent / "menu.xml").write_text(MENU_XML.replace("main", "stolen"), encoding="utf-8")
    name = written.format(secret=outside, secret_dir=outside.parent)
    conf = tmp_path / "conf" / "ivr.conf.xml"
    conf.write_text(_ivr_conf(name).replace("  </menus>", MENU_XML.split("\n", 1)[1].rsplit("</include>", 1)[0] + "  </menus>"),
                    encoding="utf-8")
    document = read_any(str(conf))
    [(file, line, message, severity)] = _notes(document)
    assert (file, line, severity) == (str(conf), 3, "error")
    assert message.startswith(f"X-PRE-PROCESS include '{name}' leads outside") and "--include-root" in message
    assert "stolen" not in document.menu.nodes and "main" in document.menu.nodes
    with allowing([str(outside.parent)]):
        if name.endswith("*.xml"):
            assert "stolen" in read_any(str(conf)).menu.nodes


def test_the_stock_layout_reaches_ivr_menus_from_autoload_configs(tmp_path):
    (tmp_path / "autoload_configs").mkdir()
    (tmp_path / "ivr_menus").mkdir()
    (tmp_path / "ivr_menus" / "demo.xml").write_text(MENU_XML, encoding="utf-8")
    conf = tmp_path / "autoload_configs" / "ivr.conf.xml"
    conf.write_text(_ivr_conf("../ivr_menus/*.xml"), encoding="utf-8")
    document = read_any(str(conf))
    assert _notes(document) == [] and "main" in document.menu.nodes


def test_the_same_include_from_another_folder_leads_outside(tmp_path):
    (tmp_path / "ivr_menus").mkdir()
    (tmp_path / "ivr_menus" / "demo.xml").write_text(MENU_XML, encoding="utf-8")
    (tmp_path / "conf").mkdir()
    conf = tmp_path / "conf" / "ivr.conf.xml"
    conf.write_text(_ivr_conf("../ivr_menus/*.xml").replace("  </menus>", "    " + MENU_XML.split("\n", 1)[1].rsplit(
        "</include>", 1)[0] + "  </menus>"), encoding="utf-8")
    [(_, _, message, _)] = _notes(read_any(str(conf)))
    assert "leads outside" in message
    with allowing([str(tmp_path / "ivr_menus")]):
        assert _notes(read_any(str(conf))) == []


def test_a_freeswitch_link_out_matched_by_a_glob_is_refused(tmp_path, outside):
    (tmp_path / "conf" / "menus").mkdir()
    (tmp_path / "conf" / "menus" / "a.xml").write_text(MENU_XML, encoding="utf-8")
    os.symlink(outside, tmp_path / "conf" / "menus" / "b.xml")
    conf = tmp_path / "conf" / "ivr.conf.xml"
    conf.write_text(_ivr_conf("menus/*.xml"), encoding="utf-8")
    document = read_any(str(conf))
    [(_, _, message, _)] = _notes(document)
    assert message.startswith("X-PRE-PROCESS include 'menus/*.xml' matches menus/b.xml, a link that leads outside")
    assert "main" in document.menu.nodes
