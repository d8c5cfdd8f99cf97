"""A string that matches a schema's ``pattern``: built from the parsed regular expression, then verified."""

from __future__ import annotations

import functools
import importlib
import re
from typing import Any

__all__ = ["matching"]

# the parser of the standard library (sre_parse is its old, deprecated alias); imported by name, as the type stubs
# of some mypy releases leave these private modules out
constants: Any = importlib.import_module("re._constants")
parser: Any = importlib.import_module("re._parser")

_MAX_REPEAT_SHOWN = 3  # an unbounded repeat shows its minimum, or one, never more than this
_CATEGORY = {
    "CATEGORY_DIGIT": "0",
    "CATEGORY_NOT_DIGIT": "a",
    "CATEGORY_WORD": "a",
    "CATEGORY_NOT_WORD": "-",
    "CATEGORY_SPACE": " ",
    "CATEGORY_NOT_SPACE": "a",
}


class _Unsupported(Exception):
    pass


def _in_set(items: list[tuple[Any, Any]]) -> str:
    negated = any(str(op) == "NEGATE" for op, _ in items)
    if negated:
        excluded = set()
        for op, value in items:
            if str(op) == "LITERAL":
                excluded.add(chr(value))
            elif str(op) == "RANGE":
                excluded.update(chr(c) for c in range(value[0], value[1] + 1))
        return next(c for c in "a0A_-x" if c not in excluded)
    for op, value in items:
        name = str(op)
        if name == "LITERAL":
            return chr(value)
        if name == "RANGE":
            low, high = value
            return next((c for c in "a0A" if low <= ord(c) <= high), chr(low))
        if name == "CATEGORY":
            return _CATEGORY.get(str(value), "a")
    raise _Unsupported


def _render(tokens: Any, groups: dict[int, str], minimal: bool = False) -> str:
    """The text the tokens spell: each repeat its minimum, or one where the minimum is 0 (``minimal``: none)."""
    out: list[str] = []
    for op, value in tokens:
        name = str(op)
        if name == "LITERAL":
            out.append(chr(value))
        elif name == "NOT_LITERAL":
            out.append("a" if chr(value) != "a" else "b")
        elif name == "ANY":
            out.append("a")
        elif name == "IN":
            out.append(_in_set(list(value)))
        elif name == "CATEGORY":
            out.append(_CATEGORY.get(str(value), "a"))
        elif name == "BRANCH":
            out.append(_render(value[1][0], groups, minimal))
        elif name == "SUBPATTERN":
            group, _, _, inner = value
            text = _render(inner, groups, minimal)
            if group is not None:
                groups[group] = text
            out.append(text)
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            low, high, inner = value
            count = low if low > 0 or minimal else min(1, high)
            count = min(max(count, low), high if high != constants.MAXREPEAT else max(low, _MAX_REPEAT_SHOWN))
            out.append("".join(_render(inner, groups, minimal) for _ in range(count)))
        elif name == "GROUPREF":
            out.append(groups.get(value, ""))
        elif name in ("AT", "ASSERT", "ASSERT_NOT"):
            continue
        else:
            raise _Unsupported
    return "".join(out)


@functools.lru_cache(maxsize=4096)
def matching(pattern: str) -> str | None:
    """A short string ``re.search(pattern, …)`` accepts, or None when none could be made."""
    try:
        compiled = re.compile(pattern)
        tokens = parser.parse(pattern)
        # one of each optional part, else none of them (a lookahead may refuse what an optional part adds:
        # AWS's ISO 8601 pattern takes "0000", not the "-0000-01-10T00:00.0:00.0z" the first way spells)
        texts = (_render(tokens, {}), _render(tokens, {}, minimal=True))
    except (re.error, _Unsupported, StopIteration, ValueError, OverflowError, RecursionError):
        return None
    return next((text for text in texts if compiled.search(text)), None)
