"""Mutation testing of the fast suite: does a test fail when the code is changed a little?

    nice -n 10 python scripts/mutation.py                       # every module below, its own tests
    nice -n 10 python scripts/mutation.py components/domain/state.py   # one module
    nice -n 10 python scripts/mutation.py --sample 60           # 60 mutants per module, drawn at random
    python scripts/mutation.py components/domain/state.py --list       # the mutants, without running them

Each mutant is one small change to a module's syntax tree: a comparison flipped (``==`` to
``!=``, ``<`` to ``>=``, ``in`` to ``not in``), ``and``/``or`` swapped, ``+``/``-`` and ``*``/``/``
swapped, a ``not`` dropped, a number plus one, a string wrapped in ``XX``, ``True``/``False``
swapped, a returned value replaced by ``None``, a call statement removed, ``break``/``continue``
swapped. Docstrings, annotations, imports and decorators are not mutated.

Why not mutmut: its 3.x trampolines need every test to run in one process per module copy it
writes to ``mutants/``, and this suite loads the data once per session through ``conftest.py``;
a fork per mutant is simpler and as honest. The parent imports the heavy third-party packages
once (never ``components``); each mutant runs in a forked child that compiles the mutated
module in place of the file, then runs the module's fast test files with ``pytest -x``. A
failing test (or a crash, or an import error) kills the mutant; a run past the timeout counts
as killed by timeout and is reported apart. Tests that start ``python app.py`` in a subprocess
never see the mutant, so they are left out of the lists below (they could only hide a kill).
"""
from __future__ import annotations

import argparse
import ast
import copy
import importlib.abc
import importlib.util
import os
import random
import signal
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# The fast test files that exercise each module, most likely killers first (pytest -x stops at
# the first failure). Only tests that run in this process: see the module docstring.
TESTS = {
    "components/domain/referral.py": ["tests/test_ranking_words.py", "tests/test_referral.py"],
    "components/domain/state.py": ["tests/test_link_state.py"],
    "components/web/body_map.py": ["tests/test_map_markup.py", "tests/test_map_key.py"],
    "components/domain/education.py": ["tests/test_education_panel.py"],
    "components/domain/datapackage.py": ["tests/test_seal_messages.py", "tests/test_seal.py"],
}
# Tests that start a server or `python app.py` (the mutant is not in that process), or take minutes.
DESELECT = "not sea012 and not sea013 and not sea014 and not saf008"

COMPARE_FLIPS = {ast.Eq: ast.NotEq, ast.NotEq: ast.Eq, ast.Lt: ast.GtE, ast.GtE: ast.Lt, ast.Gt: ast.LtE,
                 ast.LtE: ast.Gt, ast.In: ast.NotIn, ast.NotIn: ast.In, ast.Is: ast.IsNot, ast.IsNot: ast.Is}
BINARY_FLIPS = {ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.Div, ast.Div: ast.Mult, ast.FloorDiv: ast.Div,
                ast.Pow: ast.Mult}
BOOL_FLIPS = {ast.And: ast.Or, ast.Or: ast.And}


@dataclass(frozen=True)
class Mutant:
    module: str
    site: int       # the node's place in the visiting order
    variant: int    # which change at that node
    line: int
    change: str


def _mark_unmutated(tree: ast.AST) -> None:
    """Flag the subtrees no mutant touches: docstrings, annotations, imports, decorators, format specs."""
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
                    and isinstance(body[0].value.value, str):
                body[0].skip = True
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for decorator in node.decorator_list:
                decorator.skip = True
            if node.returns is not None:
                node.returns.skip = True
        if isinstance(node, ast.ClassDef):
            for decorator in node.decorator_list:
                decorator.skip = True
        if isinstance(node, ast.arg) and node.annotation is not None:
            node.annotation.skip = True
        if isinstance(node, ast.AnnAssign):
            node.annotation.skip = True
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            node.skip = True
        if isinstance(node, ast.FormattedValue) and node.format_spec is not None:
            node.format_spec.skip = True


def _variants(node: ast.AST) -> list[tuple[str, object]]:
    """(what changes, a function that returns the changed node) for one node."""
    found = []
    if isinstance(node, ast.Compare):
        for i, op in enumerate(node.ops):
            if type(op) in COMPARE_FLIPS:
                flipped = COMPARE_FLIPS[type(op)]

                def change(node=node, i=i, flipped=flipped):
                    node.ops[i] = flipped()
                    return node
                found.append((f"{type(op).__name__} -> {flipped.__name__}", change))
    elif isinstance(node, ast.BoolOp):
        flipped = BOOL_FLIPS[type(node.op)]
        found.append((f"{type(node.op).__name__} -> {flipped.__name__}",
                      lambda node=node, flipped=flipped: (setattr(node, "op", flipped()), node)[1]))
    elif isinstance(node, (ast.BinOp, ast.AugAssign)) and type(node.op) in BINARY_FLIPS:
        flipped = BINARY_FLIPS[type(node.op)]
        found.append((f"{type(node.op).__name__} -> {flipped.__name__}",
                      lambda node=node, flipped=flipped: (setattr(node, "op", flipped()), node)[1]))
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.Not, ast.USub)):
        found.append((f"drop {type(node.op).__name__}", lambda node=node: node.operand))
    elif isinstance(node, ast.Constant):
        value = node.value
        if isinstance(value, bool):
            found.append((f"{value} -> {not value}", lambda: ast.Constant(not value)))
        elif isinstance(value, (int, float)):
            found.append((f"{value!r} -> {value + 1!r}", lambda: ast.Constant(value + 1)))
        elif isinstance(value, str):
            found.append((f"{value[:30]!r} -> 'XX…XX'", lambda: ast.Constant(f"XX{value}XX")))
    elif isinstance(node, ast.Return) and node.value is not None \
            and not (isinstance(node.value, ast.Constant) and node.value.value is None):
        found.append(("return None", lambda node=node: (setattr(node, "value", ast.Constant(None)), node)[1]))
    elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
        found.append(("remove the call", lambda: ast.Pass()))
    elif isinstance(node, ast.Break):
        found.append(("break -> continue", lambda: ast.Continue()))
    elif isinstance(node, ast.Continue):
        found.append(("continue -> break", lambda: ast.Break()))
    return found


class _Mutator(ast.NodeTransformer):
    """Numbers every mutable node in one fixed order; applies the one change asked for, or lists them all."""

    def __init__(self, target: tuple[int, int] | None = None):
        self.target = target
        self.count = 0
        self.sites: list[tuple[int, int, int, str]] = []

    def visit(self, node):
        if getattr(node, "skip", False):
            return node
        site = self.count
        self.count += 1
        node = self.generic_visit(node)
        for variant, (change, apply) in enumerate(_variants(node)):
            if self.target is None:
                self.sites.append((site, variant, getattr(node, "lineno", 0), change))
            elif self.target == (site, variant):
                return apply()
        return node


def _tree(path: Path) -> ast.Module:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    _mark_unmutated(tree)
    return tree


def mutants(module: str) -> list[Mutant]:
    mutator = _Mutator()
    mutator.visit(_tree(ROOT / module))
    return [Mutant(module, site, variant, line, change) for site, variant, line, change in mutator.sites]


def mutated_code(mutant: Mutant):
    tree = _Mutator((mutant.site, mutant.variant)).visit(_tree(ROOT / mutant.module))
    return compile(ast.fix_missing_locations(tree), str(ROOT / mutant.module), "exec")


class _MutantLoader(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Serves the mutated module's code object in place of its file, in the forked child only."""

    def __init__(self, name: str, code):
        self.name, self.code = name, code

    def find_spec(self, fullname, path=None, target=None):
        if fullname == self.name:
            return importlib.util.spec_from_loader(fullname, self, origin=self.code.co_filename)
        return None

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        module.__file__ = self.code.co_filename
        exec(self.code, module.__dict__)


def _run_child(code, module: str, tests: list[str]) -> int:
    """In a forked child: the tests against ``code`` (None: the module as it is). Returns pytest's exit code."""
    import pytest

    if code is not None:
        sys.meta_path.insert(0, _MutantLoader(module.removesuffix(".py").replace("/", "."), code))
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    return pytest.main([*tests, "-x", "-q", "-p", "no:cacheprovider", "-m", "not browser", "-k", DESELECT])


def run(code, module: str, tests: list[str]) -> int:
    """Fork, run the tests in the child, return its exit code."""
    pid = os.fork()
    if pid == 0:
        os.setpgid(0, 0)
        status = 3
        try:
            status = _run_child(code, module, tests)
        finally:
            os._exit(int(status))
    return pid


def preload() -> None:
    """The heavy third-party imports, once in the parent so each child starts warm (never ``components``)."""
    import dash  # noqa: F401
    import flask  # noqa: F401
    import hypothesis  # noqa: F401
    import jinja2  # noqa: F401
    import markupsafe  # noqa: F401
    import numpy  # noqa: F401
    import pandas  # noqa: F401
    import plotly  # noqa: F401
    import pytest  # noqa: F401
    from dash import dcc, html  # noqa: F401


def score_module(module: str, tests: list[str], jobs: int, timeout_floor: float, sample: int = 0, seed: int = 18,
                 lines: frozenset[int] = frozenset(), again: frozenset[tuple[int, str]] = frozenset()) -> dict:
    os.chdir(ROOT)
    started = time.monotonic()
    pid = run(None, module, tests)
    _, status = os.waitpid(pid, 0)
    baseline = time.monotonic() - started
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{module}: the tests fail without any mutant ({' '.join(tests)}); fix them first")
    timeout = max(timeout_floor, 4 * baseline)
    todo = mutants(module)
    if lines:
        todo = [mutant for mutant in todo if mutant.line in lines]
    if again:
        todo = [mutant for mutant in todo if (mutant.line, mutant.change) in again]
    if sample and sample < len(todo):
        todo = sorted(random.Random(seed).sample(todo, sample), key=lambda m: (m.site, m.variant))
    running: dict[int, tuple[Mutant, float]] = {}
    killed, timed_out, survived = [], [], []
    while todo or running:
        while todo and len(running) < jobs:
            mutant = todo.pop(0)
            running[run(mutated_code(mutant), module, tests)] = (mutant, time.monotonic())
        time.sleep(0.05)
        for pid, (mutant, begun) in list(running.items()):
            done, status = os.waitpid(pid, os.WNOHANG)
            if done == 0:
                if time.monotonic() - begun > timeout:
                    os.killpg(pid, signal.SIGKILL)
                    os.waitpid(pid, 0)
                    del running[pid]
                    timed_out.append(mutant)
                continue
            del running[pid]
            if os.waitstatus_to_exitcode(status) == 0:
                survived.append(mutant)
                print(f"  survivor {module}:{mutant.line}: {mutant.change}", file=sys.stderr, flush=True)
            else:
                killed.append(mutant)
            finished = len(killed) + len(timed_out) + len(survived)
            if finished % 20 == 0:
                print(f"  {module}: {finished} of {finished + len(todo) + len(running)} run", file=sys.stderr, flush=True)
    total = len(killed) + len(timed_out) + len(survived)
    return {"module": module, "total": total, "killed": len(killed), "timed_out": len(timed_out),
            "survived": survived, "score": (len(killed) + len(timed_out)) / total if total else 1.0,
            "seconds": time.monotonic() - started}


def _survivors_in(path: Path, module: str) -> frozenset[tuple[int, str]]:
    """(line, change) of each survivor of ``module`` that a run printed: re-run them after adding tests."""
    found = set()
    for row in path.read_text(encoding="utf-8").splitlines():
        head, _, change = row.strip().partition(": ")
        if head.startswith(("survivor ", "survived ")) and head.split()[1].rpartition(":")[0] == module:
            found.add((int(head.rpartition(":")[2]), change))
    return frozenset(found)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("modules", nargs="*", default=list(TESTS), help="modules to mutate (default: all five)")
    parser.add_argument("--tests", nargs="+", help="test files to run (default: the module's list in TESTS)")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=60.0, help="floor of the per-mutant timeout, seconds")
    parser.add_argument("--sample", type=int, default=0,
                        help="run this many mutants per module, drawn at random (0: all of them)")
    parser.add_argument("--seed", type=int, default=18, help="the random draw of --sample, so a run can be repeated")
    parser.add_argument("--lines", type=lambda text: frozenset(int(n) for n in text.split(",")), default=frozenset(),
                        help="only the mutants on these lines (1,5,9): re-run a full run's survivors after adding tests")
    parser.add_argument("--again", type=Path,
                        help="only the survivors listed in this file (a run's output: 'survivor module:line: change')")
    parser.add_argument("--list", action="store_true", help="list the mutants and exit")
    parser.add_argument("--survivors", action="store_true", help="print each surviving mutant")
    args = parser.parse_args(argv)
    if args.list:
        for module in args.modules:
            for mutant in mutants(module):
                print(f"{module}:{mutant.line}: {mutant.change}")
        return 0
    preload()
    rows = []
    for module in args.modules:
        result = score_module(module, args.tests or TESTS[module], args.jobs, args.timeout, args.sample, args.seed,
                              args.lines, _survivors_in(args.again, module) if args.again else frozenset())
        rows.append(result)
        print(f"{module}: {result['score']:.0%} killed ({result['killed']} by a failing test, {result['timed_out']} "
              f"by timeout, {len(result['survived'])} survived of {result['total']}) in {result['seconds']:.0f} s",
              flush=True)
        if args.survivors:
            for mutant in result["survived"]:
                print(f"  survived {module}:{mutant.line}: {mutant.change}", flush=True)
    return 0 if all(row["score"] >= 0.8 for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
