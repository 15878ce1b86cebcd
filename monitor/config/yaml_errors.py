"""Error messages for feeds.yaml that name the file, the line and the key.

A YAML syntax error is one line too (`file:line:column: not valid YAML: what`), not
PyYAML's several lines that call the file "<unicode string>".
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from monitor.errors import ConfigError, not_utf8


def utf8_text(raw: bytes, path: Path) -> str:
    """The file's text; ConfigError naming the line of the first byte that is not UTF-8
    (a Latin-1 editor's é), where Python's message gave only a byte offset."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise ConfigError(not_utf8(raw, e, path)) from e


def yaml_problem(error: yaml.YAMLError, path: Path) -> str:
    """One line: where PyYAML stopped, what it found, and what it was parsing."""
    if not isinstance(error, yaml.MarkedYAMLError) or error.problem_mark is None:
        return f"{path}: not valid YAML: {' '.join(str(error).split())}"
    mark = error.problem_mark
    message = f"{path}:{mark.line + 1}:{mark.column + 1}: not valid YAML: {error.problem}"
    if error.context and error.context_mark is not None:
        context = error.context_mark
        message += f" ({error.context} at line {context.line + 1}, column {context.column + 1})"
    return message


def describe_invalid(error: ValidationError, node: yaml.Node | None, path: Path) -> str:
    lines = []
    for item in error.errors():
        loc = tuple(item["loc"])
        key = ".".join(str(p) for p in loc) or "(top level)"
        line = _line_of(node, loc)
        where = f"{path}:{line}" if line else str(path)
        message = item["msg"]
        if item["type"] == "extra_forbidden":
            message = "unknown key"
        elif item["type"] == "value_error":
            # pydantic prefixes our own validators' messages; the user needs only ours.
            message = message.removeprefix("Value error, ")
        lines.append(f"{where}: {key}: {message}")
    return "; ".join(lines)


def located(node: yaml.Node | None, path: Path, loc: tuple[Any, ...]) -> str:
    """`file:line` of the YAML node at `loc` (or of its nearest parent), else `file`."""
    line = _line_of(node, loc)
    return f"{path}:{line}" if line else str(path)


def _line_of(node: yaml.Node | None, loc: tuple[Any, ...]) -> int | None:
    """The 1-based line of the YAML node at `loc`, or of its nearest existing parent."""
    line = node.start_mark.line + 1 if node is not None else None
    for part in loc:
        child: yaml.Node | None = None
        if isinstance(node, yaml.MappingNode):
            child = next((v for k, v in node.value if k.value == part), None)
            if child is None:
                key = next((k for k, _ in node.value if k.value == part), None)
                return key.start_mark.line + 1 if key is not None else line
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            child = node.value[part] if part < len(node.value) else None
        if child is None:
            return line
        node = child
        line = node.start_mark.line + 1
    return line


def repeated_key(node: yaml.Node | None, path: Path) -> str | None:
    """`file:line: key.path: repeated key (first at line N)` for the first mapping that
    names a key twice, else None. Walks without recursion, each node once (aliases share
    nodes, so an anchor bomb costs no more than its text)."""
    pending: list[tuple[yaml.Node, str]] = [] if node is None else [(node, "")]
    seen: set[int] = set()
    while pending:
        current, where = pending.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, yaml.MappingNode):
            first: dict[str, int] = {}
            for key, value in current.value:
                name = str(key.value)
                dotted = f"{where}.{name}" if where else name
                line = key.start_mark.line + 1
                if name in first:
                    return f"{path}:{line}: {dotted}: repeated key (first at line {first[name]})"
                first[name] = line
                pending.append((value, dotted))
        elif isinstance(current, yaml.SequenceNode):
            pending.extend((item, f"{where}.{i}") for i, item in enumerate(current.value))
    return None
