"""Business effects the spec declares (the effect hint): guards on an action, refusals in the wrong state, and
amounts moved onto related objects (a payment settling an invoice)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from apimodel import Apply, Effect
from apimodel.expressions import number

__all__ = ["Movement", "guard_holds", "move", "movements", "refused", "scope"]


def scope(obj: Mapping[str, Any], body: Any = None, **extra: Any) -> dict[str, Any]:
    """The names an expression sees: the object's fields, ``body`` (the request's, unwrapped) and ``extra``."""
    return {**obj, "body": body if isinstance(body, dict) else {}, **extra}


def guard_holds(effect: Effect | None, obj: Mapping[str, Any], body: Any, **extra: Any) -> bool:
    """Whether the effect's changes apply (no ``if``, or its expression holds on the object; ``extra``: more names
    it sees, such as ``tally``)."""
    return effect is None or effect.when is None or bool(effect.when.evaluate(scope(obj, body, **extra)))


def refused(effect: Effect | None, obj: Mapping[str, Any], body: Any) -> str | None:
    """The API's message when the object is in a state that refuses the operation, else ``None``."""
    for refusal in effect.refuse if effect is not None else ():
        if refusal.when.evaluate(scope(obj, body)):
            return refusal.message
    return None


@dataclass(frozen=True)
class Movement:
    """An amount to move onto one related object."""

    rule: Apply
    key: str
    amount: float


def movements(effect: Effect | None, obj: Mapping[str, Any]) -> list[Movement]:
    """What the effect moves onto related objects, read from the object just written."""
    found = []
    for rule in effect.apply if effect is not None else ():
        if rule.when is not None and not rule.when.evaluate(scope(obj)):
            continue
        lines = obj.get(rule.lines) if rule.lines is not None else [obj]
        for line in lines if isinstance(lines, list) else []:
            if not isinstance(line, dict) or any(line.get(k) != v for k, v in rule.match):
                continue
            amount, key = number(line.get(rule.amount)), line.get(rule.key)
            if amount is not None and key is not None:
                found.append(Movement(rule, str(key), amount))
    return found


def move(
    moves: list[Movement],
    find: Callable[[str, str], dict[str, Any] | None],
    write: Callable[[Movement, dict[str, Any], dict[str, Any]], None],
    *,
    gone_ok: bool = False,
) -> str | None:
    """Check every movement against its target (``find(resource, key)``), then apply them all with ``write(movement,
    target, changes)``; the first refusal's message, with nothing changed, when one target refuses. ``gone_ok``: an
    action on a stored object (a payment voided), whose targets existed when it was made: one deleted since is left
    out (nothing to reopen), where a create naming a missing target is refused."""
    targets = []
    for movement in moves:
        target = find(movement.rule.target, movement.key)
        if target is None and gone_ok:
            continue
        if target is None:
            return f"no {movement.rule.target} object {movement.key}"
        for refusal in movement.rule.refuse:
            if refusal.when.evaluate(scope(target, amount=movement.amount)):
                return str(refusal.message)
        targets.append((movement, target))
    for movement, target in targets:
        current = number(target.get(movement.rule.field)) or 0.0
        write(movement, target, {movement.rule.field: current + movement.rule.sign * movement.amount})
    return None
