"""The package's shape, checked: layers, no import circles, API requests only in the wiki layer.

docs/ARCHITECTURE.md draws the layers; these tests fail when the code stops matching it:

- no import circle, and no import inside a function to dodge one (Pywikibot itself is imported
  late in the wiki layer, so that ``PYWIKIBOT_DIR`` can be set first; that is not a circle);
- each folder imports only from its own layer or the layers below it, and no job imports
  another job: what two jobs share is a service module (``bots.cases``,
  ``bots.translation_status``);
- every API request is built in ``bots/wiki/``: nothing else calls the session's raw request
  methods, names an API module (``action``, ``list``, ``prop``, ``meta``, ``generator``) or
  imports Pywikibot;
- no module over 400 lines, and each job's driver (``bots/<job>/job.py``) under 80;
- no parameter typed plain ``Any`` or ``object`` except where a function's job is to take
  untyped data apart (listed below with the reason).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

BOTS = Path(__file__).resolve().parents[2] / "bots"

# Layer of each top-level part of the package; a module may import its own layer and below.
LAYERS: dict[str, int] = {
    "errors": 0, "outcomes": 0, "shutdown": 0, "progress": 0, "run_options": 0, "config": 0,
    "wikitext": 1, "i18n": 1,
    "wiki": 2, "cases": 2,
    "translation_status": 3, "sources": 3,
    "index": 4, "translations": 4, "digest": 4, "knowledge": 4,
    "operations": 5,
}
JOBS = frozenset({"index", "translations", "digest", "knowledge"})
# Within layer 1 and 2 some parts must not lean on their neighbours.
FORBIDDEN: dict[str, frozenset[str]] = {
    "i18n": frozenset({"wikitext"}),  # messages know nothing of wikitext helpers
    "cases": frozenset({"wiki"}),  # the case parser is pure
    "wiki": frozenset({"cases"}),
}
RAW_REQUEST_METHODS = frozenset({"api", "query_results", "query_pages", "simple_request", "submit"})
API_MODULE_KEYS = frozenset({"list", "prop", "meta", "generator"})
# ``action`` is also argparse's word: it counts only with the name of an API action as its value.
API_ACTIONS = frozenset({"query", "edit", "parse", "move", "delete", "protect", "purge", "login",
                         "logout", "compare", "expandtemplates", "watch", "upload", "emailuser"})
MAX_MODULE_LINES = 400
MAX_DRIVER_LINES = 80
# (module, function, parameter): why a plain Any/object parameter is right there.
UNTYPED_INPUT_ALLOWED = {
    ("bots.config.load", "_check_type", "value"): "a value straight from TOML",
    ("bots.wikitext.problems", "from_json", "data"): "a record straight from the JSON cache",
    ("bots.i18n.messages", "_format_param", "value"): "any message parameter is formatted",
    ("bots.i18n.plural", "_to_decimal", "count"): "counts come as int, float, Decimal or text",
    ("bots.i18n.plural", "plural_category", "count"): "as above",
    ("bots.i18n.plural", "plural_index", "count"): "as above",
    ("bots.operations.toolforge", "_scalar", "value"): "a YAML scalar of any type",
    ("bots.translation_status.records", "_int", "value"): "a number from an API answer",
    ("bots.wiki.credentials", "redact_value", "value"): "log arguments of any type",
    ("bots.wiki.session", "_join", "value"): "an API parameter value of any type",
    ("bots.wiki.session", "on_response", "response"): "Pywikibot's untyped response object",
}


def modules() -> Iterator[tuple[str, Path, ast.Module]]:
    for path in sorted(BOTS.rglob("*.py")):
        parts = path.relative_to(BOTS.parent).with_suffix("").parts
        name = ".".join(parts).removesuffix(".__init__")
        yield name, path, ast.parse(path.read_text(encoding="utf-8"), str(path))


def part_of(module: str) -> str:
    return module.split(".")[1] if module.count(".") >= 1 else module


def imported_modules(tree: ast.Module, known: set[str]) -> Iterator[tuple[ast.AST, str]]:
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("bots"):
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                yield node, full if full in known else node.module
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("bots"):
                    yield node, alias.name


def function_level_nodes(tree: ast.Module) -> set[int]:
    ids: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            ids |= {id(inner) for inner in ast.walk(node) if inner is not node}
    return ids


ALL = list(modules())
KNOWN = {name for name, _, _ in ALL}


def test_every_part_has_a_layer() -> None:
    parts = {part_of(name) for name in KNOWN if name != "bots"}
    assert parts <= set(LAYERS), f"add {sorted(parts - set(LAYERS))} to LAYERS and the docs"


def test_no_import_circle() -> None:
    graph = {name: {dep for _, dep in imported_modules(tree, KNOWN)} for name, _, tree in ALL}
    state: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for dep in sorted(graph.get(node, ())):
            if state.get(dep) == 1:
                cycles.append(" -> ".join([*stack[stack.index(dep):], dep]))
            elif dep in graph and dep not in state:
                visit(dep)
        stack.pop()
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name)
    assert not cycles, "\n".join(cycles)


def test_no_late_import_of_the_package() -> None:
    late = []
    for name, _, tree in ALL:
        inner = function_level_nodes(tree)
        late += [f"{name}:{node.lineno} imports {dep}"  # type: ignore[attr-defined]
                 for node, dep in imported_modules(tree, KNOWN) if id(node) in inner]
    assert not late, "\n".join(late)


def test_imports_follow_the_layers() -> None:
    wrong = []
    for name, _, tree in ALL:
        if name == "bots":
            continue
        mine = part_of(name)
        for node, dep in imported_modules(tree, KNOWN):
            theirs = part_of(dep)
            if theirs == mine:
                continue
            line = f"{name}:{node.lineno} imports {dep}"  # type: ignore[attr-defined]
            if LAYERS[theirs] > LAYERS[mine]:
                wrong.append(line + " (a higher layer)")
            elif mine in JOBS and theirs in JOBS:
                wrong.append(line + " (another job: share through a service module)")
            elif theirs in FORBIDDEN.get(mine, ()):
                wrong.append(line + " (forbidden neighbour)")
    assert not wrong, "\n".join(wrong)


def test_api_requests_are_built_only_in_the_wiki_layer() -> None:
    raw = []
    for name, _, tree in ALL:
        if part_of(name) == "wiki":
            continue
        for node in ast.walk(tree):
            where = f"{name}:{getattr(node, 'lineno', '?')}"
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr in RAW_REQUEST_METHODS):
                raw.append(f"{where} calls .{node.func.attr}()")
            if isinstance(node, ast.Call):
                raw += [f"{where} passes {kw.arg}=" for kw in node.keywords
                        if kw.arg in API_MODULE_KEYS or (
                            kw.arg == "action" and isinstance(kw.value, ast.Constant)
                            and kw.value.value in API_ACTIONS)]
            if isinstance(node, ast.Dict):
                raw += [f"{where} builds a dict with {key.value!r}"
                        for key, value in zip(node.keys, node.values, strict=True)
                        if isinstance(key, ast.Constant) and (
                            key.value in API_MODULE_KEYS or (
                                key.value == "action" and isinstance(value, ast.Constant)
                                and value.value in API_ACTIONS))]
            if isinstance(node, ast.Import | ast.ImportFrom):
                names = [node.module or ""] if isinstance(node, ast.ImportFrom) else [
                    a.name for a in node.names]
                raw += [f"{where} imports {n}" for n in names if n.split(".")[0] == "pywikibot"]
    assert not raw, "\n".join(raw)


@pytest.mark.parametrize("name,path", [(n, p) for n, p, _ in ALL], ids=[n for n, _, _ in ALL])
def test_module_size(name: str, path: Path) -> None:
    lines = len(path.read_text(encoding="utf-8").splitlines())
    is_driver = name.endswith(".job") and part_of(name) in JOBS
    limit = MAX_DRIVER_LINES if is_driver else MAX_MODULE_LINES
    assert lines <= limit, f"{path.name}: {lines} lines (at most {limit})"


def test_no_untyped_parameters() -> None:
    loose = []
    for name, _, tree in ALL:
        for node in ast.walk(tree):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for arg in (*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs):
                if arg.annotation is None or ast.unparse(arg.annotation) not in ("Any", "object"):
                    continue
                if (name, node.name, arg.arg) not in UNTYPED_INPUT_ALLOWED:
                    loose.append(f"{name}.{node.name}({arg.arg}: {ast.unparse(arg.annotation)})")
    assert not loose, "\n".join(loose)


def test_jobs_have_a_driver() -> None:
    for job in JOBS:
        assert (BOTS / job / "job.py").is_file(), job
