"""The package's shape: small classes and modules, imports that flow one way.

Counted as ``docs/user_guide/design.rst`` states them: a class's code lines
leave out docstrings; imports inside functions count as edges.
"""

import ast
import pathlib

PACKAGE = pathlib.Path(__file__).parent.parent / "sklstm"
MODULES = {
    path: ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    for path in PACKAGE.rglob("*.py")
}


def _docstring_lines(node):
    lines = 0
    for sub in ast.walk(node):
        if isinstance(sub, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            first = sub.body[0] if sub.body else None
            if isinstance(first, ast.Expr) and isinstance(
                getattr(first, "value", None), ast.Constant
            ):
                if isinstance(first.value.value, str):
                    lines += first.end_lineno - first.lineno + 1
    return lines


def test_no_class_over_350_code_lines_and_no_module_over_500_lines():
    too_big = []
    for path, name in MODULES.items():
        source = path.read_text()
        if len(source.splitlines()) > 500:
            too_big.append(name)
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.ClassDef):
                size = node.end_lineno - node.lineno + 1 - _docstring_lines(node)
                if size > 350:
                    too_big.append(f"{name}.{node.name} ({size})")
    assert too_big == []


def _imports(path, name):
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package[: len(package) - node.level + 1]
            target = ".".join(base + ([node.module] if node.module else []))
            found.add(target)
            found.update(f"{target}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {module for module in found if module in MODULES.values()}


def test_imports_flow_one_way():
    graph = {name: _imports(path, name) - {name} for path, name in MODULES.items()}
    state, cycles = {}, []

    def visit(node, stack):
        state[node] = "open"
        for target in sorted(graph[node]):
            if state.get(target) == "open":
                cycles.append(stack[stack.index(target) :] + [target])
            elif target not in state:
                visit(target, stack + [target])
        state[node] = "done"

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert cycles == []
