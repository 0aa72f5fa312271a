"""components/ is arranged by layer (README, "Layout of the code"): the domain imports nothing of
the web or the server, the web reads the domain, and the server wraps both (it loads the model
and knows which of the web's paths are revalidated), never the other way round.
A newcomer who puts an import on the wrong side finds out here, not in review."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

COMPONENTS = Path(__file__).resolve().parent.parent / "components"
# layer -> the layers its modules may import from
ALLOWED = {"domain": {"domain"}, "web": {"domain", "web"}, "server": {"domain", "web", "server"}}


def component_imports(path: Path) -> set[str]:
    """The layers of components/ that a module imports from (``components.<layer>...``)."""
    layers = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = [alias.name for alias in node.names] if isinstance(node, ast.Import) else (
            [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
        layers |= {name.split(".")[1] for name in names if name.startswith("components.")}
    return layers


def test_lay001_every_module_lives_in_a_layer():
    assert sorted(path.name for path in COMPONENTS.glob("*.py")) == ["__init__.py"]
    assert {path.name for path in COMPONENTS.iterdir() if path.is_dir() and path.name != "__pycache__"} == set(ALLOWED)


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_lay002_a_layer_imports_only_what_it_may(layer):
    wrong = {path.name: component_imports(path) - ALLOWED[layer] for path in (COMPONENTS / layer).glob("*.py")}
    assert {name: found for name, found in wrong.items() if found} == {}


def test_lay003_the_check_sees_imports():
    assert component_imports(COMPONENTS / "web" / "api.py") >= {"domain"}
