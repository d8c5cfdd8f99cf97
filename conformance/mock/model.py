"""An API compiled for serving: its model, its schemas as validators, and the route table."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from apimodel import Api, Operation
from conformance.mock.routing import RouteTable
from conformance.mock.schema import SchemaSet

__all__ = ["ServedApi", "serve"]


@dataclass
class ServedApi:
    """One API ready to serve: what the model says about it, plus what serving needs."""

    model: Api = field(repr=False)
    schemas: SchemaSet = field(repr=False)
    routes: RouteTable[Operation] = field(repr=False)

    @property
    def name(self) -> str:
        return self.model.name

    @property
    def data(self) -> Any:
        return self.model.data

    @property
    def operations(self) -> tuple[Operation, ...]:
        return self.model.operations


def serve(model: Api) -> ServedApi:
    routes: RouteTable[Operation] = RouteTable()
    for operation in model.operations:
        routes.add(operation.method, operation.path, operation)
    return ServedApi(model, SchemaSet(model.data), routes)
