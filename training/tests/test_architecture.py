"""The dependency rules of docs/architecture.md for the Python half, checked on its import graph
(imports inside functions included): no import cycle between modules, and what loads or runs a
shipped model reaches it through avatargan/models (or the pipeline facade), never through train/."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "avatargan"

# Modules that use exported models; train/ writes what avatargan/models reads.
MODEL_USERS = ("models", "pipeline", "cards", "evaluate", "project", "fixtures", "prepare")


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph() -> dict[str, set[str]]:
    modules = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
        for node in ast.walk(ast.parse(path.read_text())):
            targets: list[str] = []
            if isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join(anchor + ([base] if base else []))
                targets = [f"{base}.{alias.name}" for alias in node.names] + [base]
            elif isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            for target in targets:
                while target and target not in modules:
                    target = target.rpartition(".")[0]
                if target and target != name and not name.startswith(target + "."):
                    graph[name].add(target)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in graph:
        if v not in index:
            visit(v)
    return found


def test_no_import_cycle_between_modules():
    assert cycles(import_graph()) == []


def test_the_cycle_check_finds_a_planted_cycle():
    graph = import_graph()
    graph["avatargan.export"].add("avatargan.pipeline")  # pipeline -> models -> export -> pipeline
    assert cycles(graph)


def test_model_users_do_not_import_training():
    wrong = [f"{name} -> {dep}" for name, deps in import_graph().items() for dep in deps
             if name.split(".")[1] in MODEL_USERS and dep.startswith("avatargan.train")]
    assert wrong == []


def test_the_facade_loads_any_kind_as_model_json_says(tmp_path):
    from avatargan.pipeline import AvatarPipeline, load_model

    fixtures = PACKAGE.parents[1] / "test" / "fixtures"
    kinds = {name: load_model(fixtures / name)[0] for name in ("tiny-generator", "tiny-tagger", "tiny-upscaler")}
    assert kinds == {"tiny-generator": "generator", "tiny-tagger": "tagger", "tiny-upscaler": "upscaler"}
    assert isinstance(load_model(fixtures / "tiny-generator" / "model.json")[1], AvatarPipeline)
    (tmp_path / "model.json").write_text('{"kind": "painter"}')
    with pytest.raises(ValueError, match="'painter' is not a model"):
        load_model(tmp_path)
    with pytest.raises(ValueError, match="cannot read the model kind"):
        load_model(tmp_path / "missing")
