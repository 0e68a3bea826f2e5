"""relabel: a document read from scratch copies names the user's files everywhere."""

from ivrlint.importers import read_any
from ivrlint.menu.document import relabel


def _files_named(value, seen=None) -> set[str]:
    """Every string anywhere in `value` that looks like a path of the scratch directory."""
    seen = set() if seen is None else seen
    if id(value) in seen:
        return set()
    seen.add(id(value))
    if isinstance(value, str):
        return {value} if "scratch" in value else set()
    if isinstance(value, dict):
        return set().union(*(_files_named(k, seen) | _files_named(v, seen) for k, v in value.items()))
    if isinstance(value, list | tuple | set):
        return set().union(*(_files_named(item, seen) for item in value))
    if hasattr(value, "__dataclass_fields__"):
        return set().union(*(_files_named(getattr(value, name), seen) for name in value.__dataclass_fields__))
    return set()


def test_every_place_of_a_platform_line_is_renamed(tmp_path):
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    (scratch / "main.xml").write_text(
        '<include><menu name="main" greet-long="say:For billing, press 1." timeout="5000" max-failures="3">\n'
        '  <entry action="menu-sub" digits="1" param="billing"/>\n'
        '  <entry action="menu-exec-app" digits="2" param=""/>\n'
        '</menu></include>\n')
    document = read_any(str(scratch / "main.xml"))
    assert _files_named(document), "the test reads nothing from the scratch directory"
    relabel(document, {str(scratch / "main.xml"): "menus/main.xml@HEAD"})
    assert _files_named(document) == set()
    assert document.menu.nodes["main"].loc.file == "menus/main.xml@HEAD"
    assert all(note.loc.file == "menus/main.xml@HEAD" for note in document.notes)
