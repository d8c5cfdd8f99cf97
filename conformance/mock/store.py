"""In-memory state: objects per tenant, resource and parent, with server-assigned ids and numbers."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

__all__ = ["Store", "TenantKey"]

TenantKey = int | str
_Bucket = tuple[TenantKey, str, tuple[str, ...]]


class Store:
    """Everything the mock remembers; one lock keeps concurrent writers consistent."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self._objects: dict[_Bucket, dict[str, dict[str, Any]]] = {}
        self._counters: dict[tuple[TenantKey, str], int] = {}

    def reset(self) -> None:
        with self.lock:
            self._objects.clear()
            self._counters.clear()

    def next_number(self, tenant: TenantKey, counter: str, *, peek: bool = False) -> int:
        with self.lock:
            value = self._counters.get((tenant, counter), 0) + 1
            if not peek:
                self._counters[(tenant, counter)] = value
            return value

    def bucket(self, tenant: TenantKey, resource: str, parents: tuple[str, ...] = ()) -> dict[str, dict[str, Any]]:
        with self.lock:
            return self._objects.setdefault((tenant, resource, parents), {})

    def put(self, tenant: TenantKey, resource: str, parents: tuple[str, ...], key: str, obj: dict[str, Any]) -> None:
        with self.lock:
            self._objects.setdefault((tenant, resource, parents), {})[key] = obj

    def get(self, tenant: TenantKey, resource: str, parents: tuple[str, ...], key: str) -> dict[str, Any] | None:
        return self._objects.get((tenant, resource, parents), {}).get(key)

    def delete(self, tenant: TenantKey, resource: str, parents: tuple[str, ...], key: str) -> dict[str, Any] | None:
        with self.lock:
            return self._objects.get((tenant, resource, parents), {}).pop(key, None)

    def find_any(self, tenant: TenantKey, resource: str, key: str) -> dict[str, Any] | None:
        """An object of ``resource`` under any parent (for ``expand``)."""
        for (owner, name, _), objects in list(self._objects.items()):
            if owner == tenant and name == resource and key in objects:
                return objects[key]
        return None

    def search(self, resource: str, field: str, value: str) -> Iterator[tuple[TenantKey, dict[str, Any]]]:
        """Objects of ``resource`` in any tenant whose ``field`` equals ``value`` (share-link lookups)."""
        for (owner, name, _), objects in list(self._objects.items()):
            if name == resource:
                for obj in list(objects.values()):
                    if str(obj.get(field)) == value:
                        yield owner, obj
