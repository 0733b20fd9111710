"""Load a YAML data file into plain Python values, remembering where each value was.

Domain parsers (in ``needlepoint.domain``) validate plain dicts and lists and raise
``DataError(path, message)`` with the key path of the offending value; this module turns
that path back into a line number of the file the clinic edited.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import yaml

from needlepoint.domain.errors import DataError

T = TypeVar("T")
KeyPath = tuple[str | int, ...]


class DataFileError(Exception):
    """A data file the software refuses to run with: names the file, line and problem."""

    def __init__(self, file: Path | str, line: int | None, problem: str) -> None:
        self.file = str(file)
        self.line = line
        self.problem = problem
        where = f"{self.file}, line {line}" if line else self.file
        super().__init__(f"{where}: {problem}")


@dataclass(frozen=True)
class LoadedYaml:
    file: Path
    value: Any
    lines: dict[KeyPath, int]

    def line_of(self, path: KeyPath) -> int | None:
        """The line of the deepest known ancestor of ``path`` (1-based)."""
        for cut in range(len(path), -1, -1):
            line = self.lines.get(tuple(path[:cut]))
            if line is not None:
                return line
        return None


def _to_python(node: yaml.Node, path: KeyPath, lines: dict[KeyPath, int]) -> Any:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = key_node.value
            if key in result:
                raise DataFileError("", key_node.start_mark.line + 1, f"duplicate key {key!r}")
            result[key] = _to_python(value_node, (*path, key), lines)
            lines[(*path, key)] = key_node.start_mark.line + 1
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_to_python(item, (*path, i), lines) for i, item in enumerate(node.value)]
    return yaml.SafeLoader("").construct_object(node, deep=True)  # scalars: ints, dates, bools


def load_yaml(file: Path) -> LoadedYaml:
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as exc:
        raise DataFileError(file, None, f"cannot be read ({exc.strerror})") from exc
    return load_yaml_text(text, file)


def load_yaml_text(text: str, file: Path | str) -> LoadedYaml:
    """Like ``load_yaml`` for text held elsewhere (a clinic's override in the database);
    ``file`` is the name its errors carry."""
    file = Path(file)
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        raise DataFileError(file, line, f"is not valid YAML: {exc.problem}") from exc
    if root is None:
        raise DataFileError(file, 1, "is empty")
    lines: dict[KeyPath, int] = {}
    try:
        value = _to_python(root, (), lines)
    except DataFileError as exc:
        raise DataFileError(file, exc.line, exc.problem) from exc
    return LoadedYaml(file=file, value=value, lines=lines)


def parse_data_file(file: Path, parser: Callable[[Any], T]) -> T:
    """Load ``file`` and hand it to a pure domain ``parser``; map its errors to lines."""
    loaded = load_yaml(file)
    try:
        return parser(loaded.value)
    except DataError as exc:
        raise DataFileError(file, loaded.line_of(exc.path), exc.message) from exc


def parse_data_text(text: str, name: str, parser: Callable[[Any], T]) -> T:
    """``parse_data_file`` for text that is not a file (``name`` labels its errors)."""
    loaded = load_yaml_text(text, name)
    try:
        return parser(loaded.value)
    except DataError as exc:
        raise DataFileError(name, loaded.line_of(exc.path), exc.message) from exc
