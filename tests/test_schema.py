"""The published JSON Schema agrees with the loader."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml
from conftest import GOOD_MENUS, ROOT

from ivrlint.errors import InputError
from ivrlint.menu.loader import load_menu
from ivrlint.menu.schema import schema_text

SCHEMA_FILE = ROOT / "ivrlint" / "menu" / "menu.schema.json"
SCHEMA = json.loads(SCHEMA_FILE.read_text())
BAD_FORMAT = sorted((Path(__file__).parent / "invalid").glob("*.yaml"))


def plain(data):
    """YAML data as JSON sees it: every mapping key a string."""
    if isinstance(data, dict):
        return {str(k): plain(v) for k, v in data.items()}
    if isinstance(data, list):
        return [plain(v) for v in data]
    return data


def test_packaged_schema_is_current():
    assert SCHEMA_FILE.read_text() == schema_text(), "run: python -m ivrlint.menu.schema > ivrlint/menu/menu.schema.json"


def test_schema_is_a_valid_schema():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


@pytest.mark.parametrize("path", GOOD_MENUS + sorted((ROOT / "menus" / "bad").glob("*.yaml")), ids=lambda p: p.name)
def test_menus_the_loader_accepts_validate(path):
    load_menu(str(path))
    jsonschema.validate(plain(yaml.safe_load(path.read_text())), SCHEMA)


@pytest.mark.parametrize("path", BAD_FORMAT, ids=lambda p: p.name)
def test_menus_the_loader_rejects_do_not_validate(path):
    with pytest.raises(InputError):
        load_menu(str(path))
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(plain(yaml.safe_load(path.read_text())), SCHEMA)


def test_there_are_rejected_examples():
    assert len(BAD_FORMAT) >= 5
