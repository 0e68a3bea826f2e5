"""The package layout stays what the README's "Architecture" section says.

import-linter's contract (setup.cfg, run by `make test` as `lint-imports`)
keeps the arrows between layers pointing down; this test keeps every module
out of import cycles, counting imports inside functions and the modules the
registries load by name (rules, formats, importers, subcommands), which
import-linter's layers contract does not forbid within one package.
"""

from __future__ import annotations

import grimp
import networkx as nx
import pytest


def _registries() -> dict[str, list[str]]:
    """The modules each registry loads by name (importlib), which no import statement shows."""
    from ivrlint.cli import COMMANDS
    from ivrlint.importers import IMPORTER_MODULES
    from ivrlint.lint.formats import FORMATS
    from ivrlint.lint.rules import RULE_MODULES

    return {
        "ivrlint.cli": [f"ivrlint.cli.{name}" for name in COMMANDS],
        "ivrlint.importers": [f"ivrlint.importers.{name}" for name in IMPORTER_MODULES],
        "ivrlint.lint.formats": [f"ivrlint.lint.formats.{name}" for name in FORMATS.values()],
        "ivrlint.lint.rules": [f"ivrlint.lint.rules.{name}" for name in RULE_MODULES],
    }


def _imports() -> nx.DiGraph:
    """Every import between ivrlint's modules: statements (grimp, inside functions too) and registries."""
    graph = grimp.build_graph("ivrlint")
    edges = nx.DiGraph()
    for module in graph.modules:
        edges.add_node(module)
        for imported in graph.find_modules_directly_imported_by(module):
            edges.add_edge(module, imported)
    for registry, loaded in _registries().items():
        for module in loaded:
            assert module in graph.modules, f"{registry} lists {module}, which does not exist"
            edges.add_edge(registry, module)
    return edges


def test_no_module_is_in_an_import_cycle():
    cycles = list(nx.simple_cycles(_imports()))
    assert cycles == [], "import cycles:\n" + "\n".join(" -> ".join(c + c[:1]) for c in cycles[:10])


def test_the_root_holds_only_the_entry_points_and_true_leaves():
    graph = grimp.build_graph("ivrlint")
    root = sorted(m for m in graph.modules if m.count(".") == 1 and not graph.find_children(m))
    assert root == ["ivrlint.__main__", "ivrlint.errors", "ivrlint.location"]
    for leaf in ("ivrlint.errors", "ivrlint.location"):
        assert graph.find_modules_directly_imported_by(leaf) <= {"ivrlint.location"}, leaf


@pytest.mark.parametrize("package", ["menu", "language", "lint", "sim", "analysis", "report", "whatif", "importers",
                                     "cli", "common"])
def test_each_layer_is_a_package(package):
    graph = grimp.build_graph("ivrlint")
    assert f"ivrlint.{package}" in graph.modules and graph.find_children(f"ivrlint.{package}")


def test_the_caller_model_has_a_move_maker_for_every_node_type():
    from ivrlint.menu.model import NODE_TYPES
    from ivrlint.sim.caller import CallerModel

    assert set(CallerModel._HANDLERS) == set(NODE_TYPES)


def test_every_worker_pool_starts_its_processes_one_way():
    import multiprocessing

    from ivrlint.common.processes import START_METHOD, worker_pool

    assert START_METHOD in multiprocessing.get_all_start_methods()
    with worker_pool(1) as pool:
        assert pool._mp_context.get_start_method() == START_METHOD  # noqa: SLF001 - what the pool was given
