"""Small expressions over an object's fields, written in a spec's hints (a computed field's ``expr``,
an effect's ``if``): Python syntax, restricted to arithmetic, comparisons, ``and``/``or``/``not``,
``a if cond else b``, literals, field names (``body.sent`` reaches into a mapping) and a few functions.

Parsed once, when the spec loads (a malformed expression is a warning there); evaluated by the mock. A missing
field is ``None``; arithmetic or a comparison with ``None`` gives ``None``, so a value that cannot be computed
yet stays unset instead of raising.
"""

from __future__ import annotations

import ast
import math
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Expression", "ExpressionError", "number", "parse"]


class ExpressionError(ValueError):
    """An expression that is no valid hint expression; the message names the construct."""


def number(value: Any) -> float | None:
    """A JSON value as a number: numbers, numeric strings (``"12.30"``) and money maps (``{_: 12.3}``)."""
    if isinstance(value, dict):
        value = value.get("_", next(iter(value.values()), None))
    if isinstance(value, bool) or value is None:
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None
    except OverflowError:  # a JSON integer past every double: infinite as one, as "1e400" reads
        return math.inf if value > 0 else -math.inf


def _sum(values: Any) -> float:
    return sum(n for v in (values if isinstance(values, list) else []) if (n := number(v)) is not None)


def _days(text: Any) -> float | None:
    """The first whole number in a text (``NET 30`` -> 30): payment terms as days."""
    found = re.search(r"\d+", str(text)) if text is not None else None
    return float(found.group()) if found else None


def _rate(value: Any) -> float:
    """A tax rate as a number; rates that are words (``zw``, ``np``: exempt, not taxed) are 0."""
    return number(value) or 0.0


def _round(value: Any, digits: Any = 2) -> float | None:
    found = number(value)
    return None if found is None else round(found + 0.0, int(digits))


FUNCTIONS: dict[str, Callable[..., Any]] = {
    "sum": _sum,
    "days": _days,
    "rate": _rate,
    "round": _round,
    "number": number,
    "str": lambda v: "" if v is None else (f"{v:g}" if isinstance(v, float) else str(v)),
    "now": lambda: float(int(time.time())),
    "max": lambda *v: max((n for x in v if (n := number(x)) is not None), default=None),
    "min": lambda *v: min((n for x in v if (n := number(x)) is not None), default=None),
}

_ALLOWED = (
    ast.Expression, ast.BinOp, ast.UnaryOp, ast.BoolOp, ast.Compare, ast.IfExp, ast.Call, ast.Name, ast.Load,
    ast.Constant, ast.Attribute, ast.Tuple, ast.List, ast.Add, ast.Sub, ast.Mult, ast.Div, ast.USub, ast.Not,
    ast.And, ast.Or, ast.Eq, ast.NotEq, ast.Lt, ast.LtE, ast.Gt, ast.GtE, ast.In, ast.NotIn,
)  # fmt: skip
_ARITHMETIC: dict[type, Callable[[float, float], float]] = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b if b else 0.0,
}
_COMPARE: dict[type, Callable[[Any, Any], bool]] = {
    ast.Eq: lambda a, b: a == b,
    ast.NotEq: lambda a, b: a != b,
    ast.Lt: lambda a, b: a < b,
    ast.LtE: lambda a, b: a <= b,
    ast.Gt: lambda a, b: a > b,
    ast.GtE: lambda a, b: a >= b,
    ast.In: lambda a, b: a in b,
    ast.NotIn: lambda a, b: a not in b,
}


@dataclass(frozen=True)
class Expression:
    """A parsed expression; ``evaluate`` reads names from a mapping (``None`` for the missing ones)."""

    source: str
    tree: ast.Expression = field(compare=False, repr=False)

    def names(self) -> frozenset[str]:
        return frozenset(n.id for n in ast.walk(self.tree) if isinstance(n, ast.Name) and n.id not in FUNCTIONS)

    def evaluate(self, names: Mapping[str, Any]) -> Any:
        return _eval(self.tree.body, names)

    def __str__(self) -> str:
        return self.source


def parse(source: str) -> Expression:
    """Parse ``source``; raise :class:`ExpressionError` naming what is not allowed."""
    try:
        tree = ast.parse(source.strip(), mode="eval")
    except SyntaxError as exc:
        raise ExpressionError(f"not an expression: {exc.msg}") from None
    for node in ast.walk(tree):
        if not isinstance(node, _ALLOWED):
            raise ExpressionError(f"{type(node).__name__} is not allowed in a hint expression")
        if isinstance(node, ast.Call) and not (isinstance(node.func, ast.Name) and node.func.id in FUNCTIONS):
            raise ExpressionError(f"only these functions may be called: {', '.join(sorted(FUNCTIONS))}")
        if isinstance(node, ast.Call) and node.keywords:
            raise ExpressionError("functions take positional arguments only")
    return Expression(source.strip(), tree)


def _lookup(value: Any, name: str) -> Any:
    """``lines.amount``: a field of a mapping, or that field of every line of a list."""
    if isinstance(value, dict):
        return value.get(name)
    if isinstance(value, list):
        return [line.get(name) for line in value if isinstance(line, dict)]
    return None


def _eval(node: ast.AST, names: Mapping[str, Any]) -> Any:
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Name):
        return names.get(node.id)
    if isinstance(node, ast.Attribute):
        return _lookup(_eval(node.value, names), node.attr)
    if isinstance(node, ast.Tuple | ast.List):
        return [_eval(e, names) for e in node.elts]
    if isinstance(node, ast.IfExp):
        return _eval(node.body, names) if _eval(node.test, names) else _eval(node.orelse, names)
    if isinstance(node, ast.BoolOp):  # as Python: the value that decides (``price_gross or 0``)
        value = None
        for operand in node.values:
            value = _eval(operand, names)
            if bool(value) != isinstance(node.op, ast.And):
                return value
        return value
    if isinstance(node, ast.UnaryOp):
        operand = _eval(node.operand, names)
        if isinstance(node.op, ast.Not):
            return not operand
        found = number(operand)
        return None if found is None else -found
    if isinstance(node, ast.BinOp):
        left, right = _eval(node.left, names), _eval(node.right, names)
        if isinstance(node.op, ast.Add) and (isinstance(left, str) or isinstance(right, str)):
            return None if left is None or right is None else f"{left}{right}"
        a, b = number(left), number(right)
        return None if a is None or b is None else _ARITHMETIC[type(node.op)](a, b)
    if isinstance(node, ast.Compare):
        left = _eval(node.left, names)
        for op, comparator in zip(node.ops, node.comparators, strict=True):
            right = _eval(comparator, names)
            a, b = left, right
            if type(op) in (ast.Lt, ast.LtE, ast.Gt, ast.GtE):
                a, b = number(left), number(right)
                if a is None or b is None:
                    return None
            elif type(op) in (ast.Eq, ast.NotEq) and number(a) is not None and number(b) is not None:
                a, b = number(a), number(b)
            elif type(op) in (ast.In, ast.NotIn) and not isinstance(b, list | str):
                return None
            if not _COMPARE[type(op)](a, b):
                return False
            left = right
        return True
    if isinstance(node, ast.Call):
        assert isinstance(node.func, ast.Name)
        return FUNCTIONS[node.func.id](*(_eval(a, names) for a in node.args))
    raise ExpressionError(f"{type(node).__name__} is not allowed in a hint expression")  # parse() keeps these out
