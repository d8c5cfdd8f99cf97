"""README usage examples: each resource's calls rendered as Python from the spec's examples.

Values follow the method's annotations: a JSON object where a model is expected becomes
``types.Model.model_validate({...})``, so every example is what the signature accepts.
"""

from __future__ import annotations

import json
import keyword
from dataclasses import dataclass
from typing import Any

from generator.client.ir import Operation, Resource
from generator.client.typeref import TypeRefError, type_ref

__all__ = ["resource_example", "uses_models"]

_WIDTH = 100
_PREFERRED = ("list", "create", "retrieve")
_TAKEN_NAMES = frozenset({"client", "types", "print", "result"})


@dataclass(frozen=True)
class _Node:
    """A Python expression: a scalar's text, or a bracketed sequence of parts printed flat or one per line."""

    text: str
    parts: tuple[_Node, ...] = ()
    close: str = ""
    key: str = ""  # ``name=`` or ``"key": `` printed before the part

    def flat(self) -> str:
        if not self.close:
            return self.key + self.text
        return self.key + self.text + ", ".join(p.flat() for p in self.parts) + self.close

    def lines(self, indent: int) -> str:
        one = self.flat()
        if not self.close or not self.parts or indent + len(one) <= _WIDTH:
            return one
        pad = " " * (indent + 4)
        inner = "".join(f"{pad}{p.lines(indent + 4)},\n" for p in self.parts)
        return f"{self.key}{self.text}\n{inner}{' ' * indent}{self.close}"


def _scalar(value: Any) -> str:
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    return repr(value)


def _members(ref: object) -> list[object]:
    return list(ref[1:]) if isinstance(ref, tuple) and ref and ref[0] == "|" else [ref]


def _choose(ref: object, value: Any, dict_forms: frozenset[str]) -> object:
    """The union member a JSON value stands for (a model for an object, a list type for a list); an object whose
    only type is a TypedDict (``dict_forms``) is written as a plain dict."""
    for member in _members(ref):
        is_model = isinstance(member, str) and member.startswith("types.") and member not in dict_forms
        if (isinstance(value, dict) and (is_model or (isinstance(member, tuple) and member[0] == "dict"))) or (
            isinstance(value, list) and isinstance(member, tuple) and member[0] == "list"
        ):
            return member
    return None


def _node(value: Any, ref: object, key: str = "", dict_forms: frozenset[str] = frozenset()) -> _Node:
    chosen = _choose(ref, value, dict_forms) if isinstance(value, dict | list) else None
    if isinstance(chosen, str):  # a model
        return _Node(f"{chosen}.model_validate(", (_node(value, None, "", dict_forms),), ")", key)
    if isinstance(value, dict):
        inner = chosen[2] if isinstance(chosen, tuple) else None
        parts = tuple(
            _node(v, inner, f"{json.dumps(str(k), ensure_ascii=False)}: ", dict_forms) for k, v in value.items()
        )
        return _Node("{", parts, "}", key)
    if isinstance(value, list):
        inner = chosen[1] if isinstance(chosen, tuple) else None
        return _Node("[", tuple(_node(v, inner, "", dict_forms) for v in value), "]", key)
    return _Node(_scalar(value), (), "", key)


def _ref(annotation: str | None) -> object:
    try:
        return type_ref(annotation) if annotation else None
    except TypeRefError:
        return None


def _call(prefix: str, op: Operation, indent: int, dict_forms: frozenset[str]) -> str:
    if op.example is None:
        return f"{prefix}()"
    annotations: dict[str, str] = {f.name: f.annotation for f in op.keyword_fields}
    if op.body is not None and op.body.annotation:
        annotations["body"] = op.body.annotation
    parts = [
        _node(v, _ref(f.annotation), "", dict_forms) for v, f in zip(op.example.args, op.path_params, strict=False)
    ]
    parts += [_node(value, _ref(annotations.get(name)), f"{name}=", dict_forms) for name, value in op.example.kwargs]
    return _Node(f"{prefix}(", tuple(parts), ")").lines(indent)


def _noun(attribute: str) -> str:
    if attribute.endswith("ies"):
        noun = attribute[:-3] + "y"
    elif attribute.endswith(("sses", "xes", "ches", "shes")):
        noun = attribute[:-2]
    elif attribute.endswith("s") and not attribute.endswith(("ss", "us")):
        noun = attribute[:-1]
    else:
        noun = attribute
    return f"{noun}_item" if noun in _TAKEN_NAMES or keyword.iskeyword(noun) or not noun.isidentifier() else noun


def _chosen(resource: Resource) -> list[Operation]:
    usable: dict[str, Operation] = {
        op.name: op for op in resource.operations if op.example is not None and op.example.complete
    }
    picked = [usable[name] for name in _PREFERRED if name in usable]
    if not picked and usable:
        # an action resource (RPC calls): the first call the spec gives a request example for, else the first call
        ranked = sorted(usable.values(), key=lambda op: not (op.example and op.example.from_example))
        picked = ranked[:1]
    return picked


def resource_example(resource: Resource, dict_forms: frozenset[str] = frozenset()) -> str:
    """Python lines using ``client.<resource>``: list iteration, create and retrieve where the resource has them.
    ``dict_forms``: the TypedDicts (``types.<Name>``) among the annotations."""
    noun = _noun(resource.attribute)
    blocks = []
    bound: dict[str, str] = {}  # variable → the type it holds: a name is reused only for the same type
    for op in _chosen(resource):
        target = f"client.{resource.dotted}.{op.name}"
        comment = f"# {op.summary}" if op.summary else f"# {op.http_method} {op.path}"
        returns = op.paging.item_type if op.paging else op.return_annotation
        if not op.paging and returns.startswith(("list[", "builtins.list[")):
            returns = returns[returns.index("[") + 1 : -1]  # the loop variable holds one item
        iterable = op.paging is not None or op.return_annotation.startswith(("list[", "builtins.list["))
        name = noun if op.name in _PREFERRED else "result"
        if op.name == "list" and not iterable:  # one object describing the collection: name it after the resource
            name = resource.attribute if resource.attribute not in _TAKEN_NAMES else "listing"
        if bound.setdefault(name, returns) != returns:
            name = f"{op.name}d" if op.name in _PREFERRED else f"{op.name}_result"
            bound[name] = returns
        if op.name == "list" and iterable:
            blocks.append(f"{comment}\nfor {name} in {_call(target, op, 0, dict_forms)}:\n    print({name})")
        elif op.return_annotation == "None":
            blocks.append(f"{comment}\n{_call(target, op, 0, dict_forms)}")
        else:
            blocks.append(f"{comment}\n{name} = {_call(target, op, 0, dict_forms)}")
    return "\n\n".join(blocks)


def uses_models(text: str) -> bool:
    """Whether example code needs ``types`` imported."""
    return "types." in text and ".model_validate(" in text
