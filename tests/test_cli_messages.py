"""Messages a user reads: they name the right thing, in plain grammar, once."""

from __future__ import annotations

from conftest import MENUS, run_cli


def test_importing_a_folder_without_the_format_asked_for_names_that_format_and_what_is_there():
    folder = MENUS / "platforms" / "freeswitch"
    result = run_cli("import", "connect", folder)
    assert result.code == 2
    assert result.err == (f"{folder}: error: no Amazon Connect flow JSON files here; "
                          "the files here are FreeSWITCH IVR XML (format 'freeswitch')\n")


def test_importing_a_folder_with_no_platform_files_names_the_format_asked_for(tmp_path):
    (tmp_path / "notes.txt").write_text("nothing to import")
    result = run_cli("import", "connect", tmp_path)
    assert result.code == 2
    assert result.err.startswith(f"{tmp_path}: error: no Amazon Connect flow JSON files here; ")
