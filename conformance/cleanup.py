"""Deleting what a run created: objects seen in successful create calls, removed by their resource's delete."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from typing import Any

from apimodel import Api, Operation, hints
from conformance.auth import Credentials
from conformance.inject.targets import objects_with_schemas, success_schema

__all__ = ["CleanupReport", "CreatedObject", "Tracker", "delete_created", "rate_interval"]

_TEMPLATE = re.compile(r"\{([^}]+)\}")


@dataclass(frozen=True)
class CreatedObject:
    """One object a successful create answered with: its resource, id, and the parent ids in the create's path."""

    resource: str
    object_id: str
    parents: tuple[tuple[str, str], ...] = ()
    via: str = ""  # the create operation, for the report


@dataclass(frozen=True)
class CleanupReport:
    created: int = 0
    deleted: int = 0
    left: tuple[str, ...] = field(default=())  # one line per object not deleted, with the reason

    def summary(self) -> str:
        return f"cleanup: deleted {self.deleted} of {self.created} created object(s)"


def _id_names(api: Api, schema: Any) -> list[str]:
    properties = api.schemas.mapping(schema).get("properties") or {}
    names = [key for key, prop in properties.items() if hints.fill(api.schemas.resolve(prop)) == "id"]
    return names or ["id"]


def created_id(api: Api, operation: Operation, status: int, body: Any) -> str | None:
    """The id of the object a create answered with (the property filled as the id, else ``id``), outermost first."""
    schema = success_schema(operation, status)
    if not isinstance(body, dict):
        return None
    pairs = list(objects_with_schemas(api.schemas, body, schema)) if schema is not None else []
    for obj, obj_schema in pairs or [(body, {})]:
        for name in _id_names(api, obj_schema):
            value = obj.get(name)
            if isinstance(value, str | int) and not isinstance(value, bool):
                return str(value)
    # A wrapped answer (``{"invoice": {...}}``) without a schema to say so.
    inner = [v for v in body.values() if isinstance(v, dict)]
    if len(inner) == 1 and isinstance(inner[0].get("id"), str | int):
        return str(inner[0]["id"])
    return None


class Tracker:
    """Collects created objects from a run's recorded interactions, in creation order."""

    def __init__(self, api: Api) -> None:
        self.api = api
        self.objects: list[CreatedObject] = []
        self._seen: set[tuple[str, str, tuple[tuple[str, str], ...]]] = set()

    def observe(self, recorder: Any) -> None:
        for case_id, interaction in recorder.interactions.items():
            node = recorder.cases.get(case_id)
            response = interaction.response
            if node is None or response is None or not 200 <= response.status_code < 300:
                continue
            case = node.value
            operation = self.api.operation(case.operation.method, case.operation.path)
            if operation is None or operation.role != "create":
                continue
            try:
                body = response.json()
            except ValueError:
                continue
            object_id = created_id(self.api, operation, response.status_code, body)
            if object_id is None:
                continue
            parents = tuple(sorted((str(k), str(v)) for k, v in (case.path_parameters or {}).items()))
            self.add(CreatedObject(operation.resource, object_id, parents, case.operation.label))

    def add(self, created: CreatedObject) -> None:
        key = (created.resource, created.object_id, created.parents)
        if key not in self._seen:
            self._seen.add(key)
            self.objects.append(created)


def _delete_operations(api: Api) -> dict[str, list[tuple[str, str]]]:
    """Per resource, the operations that delete one object by path: its delete first, other DELETEs after."""
    found: dict[str, list[tuple[int, str, str]]] = {}
    for op in api.operations:
        if not _TEMPLATE.search(op.path):
            continue
        if op.role == "delete" or op.method == "DELETE":
            found.setdefault(op.resource, []).append((0 if op.role == "delete" else 1, op.path, op.method.lower()))
    return {resource: [(p, m) for _, p, m in sorted(items)] for resource, items in found.items()}


def rate_interval(rate_limit: str | None) -> float:
    """Seconds between requests for a ``10/s``, ``100/m`` or ``1000/h`` limit (0 without one)."""
    match = re.fullmatch(r"\s*(\d+)\s*/\s*(\d*)\s*([smh])\s*", rate_limit or "")
    if match is None or int(match.group(1)) == 0:
        return 0.0
    unit = {"s": 1.0, "m": 60.0, "h": 3600.0}[match.group(3)] * int(match.group(2) or 1)
    return unit / int(match.group(1))


def delete_created(
    schema: Any,
    api: Api,
    objects: list[CreatedObject],
    credentials: Credentials,
    *,
    app: Any = None,
    rate_limit: str | None = None,
    max_seconds: float = 120.0,
) -> CleanupReport:
    """Delete ``objects`` newest first (children before their parents); bounded in time.

    Every object not deleted is named in the report with the reason, so nothing is left behind silently.
    """
    deletes = _delete_operations(api)
    interval = rate_interval(rate_limit)
    deadline = time.monotonic() + max_seconds
    left: list[str] = []
    deleted = 0
    for created in reversed(objects):
        what = f"{created.resource} {created.object_id} (from {created.via})"
        targets = deletes.get(created.resource)
        if not targets:
            left.append(f"{what}: the spec has no delete operation for {created.resource}")
        elif time.monotonic() > deadline:
            left.append(f"{what}: cleanup ran out of time")
        else:
            problem = _delete_one(schema, targets, created, credentials, app, interval)
            if problem is None:
                deleted += 1
            else:
                left.append(f"{what}: {problem}")
    return CleanupReport(created=len(objects), deleted=deleted, left=tuple(left))


def _delete_one(
    schema: Any,
    targets: list[tuple[str, str]],
    created: CreatedObject,
    credentials: Credentials,
    app: Any,
    interval: float,
) -> str | None:
    """``None`` once one of ``targets`` deleted the object (or all say it is gone), else what went wrong."""
    problems: list[str] = []
    gone = 0
    for path, method in targets:
        names = _TEMPLATE.findall(path)
        values = dict(created.parents)
        parameters = {name: values.get(name, "") for name in names[:-1]}
        parameters[names[-1]] = created.object_id
        if any(not v for v in parameters.values()):
            problems.append(f"cannot fill {path} from the create call's path")
            continue
        case = schema[path][method.upper()].Case(
            path_parameters=parameters, headers=dict(credentials.headers), query=dict(credentials.query)
        )
        if credentials.body:
            case.body = credentials.apply_body({})
        try:
            response = case.call(app=app) if app is not None else case.call()
        except Exception as exc:  # a connection problem must not end the cleanup of the rest
            problems.append(f"{method.upper()} {path}: {type(exc).__name__}")
            continue
        finally:
            if interval:
                time.sleep(interval)
        if 200 <= response.status_code < 300:
            return None
        if response.status_code in (404, 410):
            gone += 1
        problems.append(f"{method.upper()} {path} answered {response.status_code}")
    return None if gone == len(targets) else "; ".join(problems)
