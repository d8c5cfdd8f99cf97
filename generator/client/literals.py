"""Long enums in method signatures as named ``Literal`` aliases in ``types`` (``InvoiceStatus``).

A ``Literal[...]`` of more than :data:`INLINE_MAX` values in an argument's annotation becomes ``types.<Name>``, where
``<Name>`` is the resource's singular and the argument (``invoices`` + ``status`` → ``InvoiceStatus``). The same
values reuse the first alias; a name already taken (a model, a TypedDict, another alias) gets ``Literal`` after it
(``InvoiceKindLiteral``), then a number. Short enums (``Literal["yes", "no"]``) read best in place and stay inline.
"""

from __future__ import annotations

import ast
import re

from generator.client.naming import class_name, unique_name

__all__ = ["INLINE_MAX", "LiteralAliases", "singular"]

INLINE_MAX = 3
_LITERAL = re.compile(r'Literal\[(?:"(?:[^"\\]|\\.)*"|[^\]"])*\]')


def singular(word: str) -> str:
    """``invoices`` → ``invoice``, ``categories`` → ``category``, ``addresses`` → ``address`` (English plurals
    as resource names use them; a word that is not plural stays)."""
    if word.endswith("ies") and len(word) > 3:
        return word[:-3] + "y"
    if word.endswith(("sses", "shes", "ches", "xes", "uses")):
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


class LiteralAliases:
    """The aliases of one client, collected while its operations are built."""

    def __init__(self, taken: set[str]) -> None:
        self.taken = taken  # shared with whatever else names things in ``types`` (the TypedDicts)
        self.by_values: dict[str, str] = {}  # the Literal[...] text -> its alias

    def apply(self, annotation: str, resource: str, argument: str) -> str:
        """``annotation`` with each long ``Literal[...]`` replaced by ``types.<alias>``."""

        def swap(match: re.Match[str]) -> str:
            text = match.group(0)
            values = ast.parse(text, mode="eval").body
            count = len(values.slice.elts) if isinstance(values, ast.Subscript) and isinstance(
                values.slice, ast.Tuple) else 1  # fmt: skip
            if count <= INLINE_MAX:
                return text
            if text not in self.by_values:
                owner = singular(resource.rsplit(".", 1)[-1])
                hint = class_name(f"{owner}_{argument}" if owner else argument, fallback="Value")
                # a model of that name (often the enum's own class) comes first: ``InvoiceKindLiteral``
                name = hint if hint not in self.taken else f"{hint}Literal"
                self.by_values[text] = unique_name(name, self.taken)
            return f"types.{self.by_values[text]}"

        return _LITERAL.sub(swap, annotation)

    def source(self) -> tuple[str, tuple[str, ...]]:
        """The alias definitions (``Name: TypeAlias = Literal[...]``, sorted by name) and their names."""
        pairs = sorted((name, text) for text, name in self.by_values.items())
        return "\n".join(f"{name}: TypeAlias = {text}" for name, text in pairs), tuple(name for name, _ in pairs)
