from __future__ import annotations

import json
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

ERR = {"$ref": "#/components/responses/Error"}
SPEC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Fake", "version": "1"},
    "servers": [{"url": "https://fake.example/api"}],
    "x-errors": {
        "schema": "#/components/schemas/Error",
        "kinds": {
            "validation": {"status": 400, "body": {"type": "invalid", "message": "$message"}},
            "not_found": {"status": 404, "body": {"type": "not_found", "message": "$message"}},
        },
    },
    "security": [{"key": []}],
    "paths": {
        "/customers": {
            "get": {
                "operationId": "listCustomers",
                "x-resource": "customers",
                "x-action": "list",
                "x-pagination": {
                    "style": "link",
                    "page": "page",
                    "per-page": "per_page",
                    "total-header": "X-Total-Count",
                },
                "parameters": [
                    {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1}},
                    {"name": "per_page", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100}},
                ],
                "responses": {
                    "200": {
                        "description": "ok",
                        "headers": {"X-Total-Count": {"schema": {"type": "integer"}, "required": True}},
                        "content": {
                            "application/json": {
                                "schema": {"type": "array", "items": {"$ref": "#/components/schemas/Customer"}}
                            }
                        },
                    },
                    "400": ERR,
                    "401": ERR,
                },
            },
            "post": {
                "operationId": "createCustomer",
                "x-resource": "customers",
                "x-action": "create",
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CustomerInput"}}},
                },
                "responses": {
                    "201": {
                        "description": "created",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Customer"}}},
                        "links": {
                            "get": {"operationId": "getCustomer", "parameters": {"id": "$response.body#/id"}},
                            "put": {"operationId": "updateCustomer", "parameters": {"id": "$response.body#/id"}},
                            "del": {"operationId": "deleteCustomer", "parameters": {"id": "$response.body#/id"}},
                        },
                    },
                    "400": ERR,
                    "401": ERR,
                },
            },
        },
        "/customers/{id}": {
            "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}],
            "get": {
                "operationId": "getCustomer",
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Customer"}}},
                    },
                    "400": ERR,
                    "401": ERR,
                    "404": ERR,
                },
            },
            "put": {
                "operationId": "updateCustomer",
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CustomerInput"}}},
                },
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Customer"}}},
                    },
                    "400": ERR,
                    "401": ERR,
                    "404": ERR,
                },
            },
            "delete": {
                "operationId": "deleteCustomer",
                "responses": {"204": {"description": "gone"}, "400": ERR, "401": ERR, "404": ERR},
            },
        },
    },
    "components": {
        "securitySchemes": {"key": {"type": "apiKey", "in": "header", "name": "X-API-Key", "x-env": ["FAKE_API_KEY"]}},
        "responses": {
            "Error": {
                "description": "error",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
            }
        },
        "schemas": {
            "Error": {
                "type": "object",
                "required": ["type", "message"],
                "properties": {"type": {"type": "string"}, "message": {"type": "string"}},
            },
            "CustomerInput": {
                "type": "object",
                "required": ["name"],
                "additionalProperties": False,
                "properties": {
                    "name": {"type": "string", "minLength": 1, "maxLength": 50},
                    "email": {"type": "string", "format": "email"},
                    "kind": {"type": "string", "enum": ["person", "company"]},
                },
            },
            "Customer": {
                "type": "object",
                "required": ["id", "name", "kind"],
                "properties": {
                    "id": {"type": "integer", "readOnly": True},
                    "name": {"type": "string"},
                    "email": {"type": "string", "format": "email", "nullable": True},
                    "kind": {"type": "string", "enum": ["person", "company"]},
                },
            },
        },
    },
}
KEY = "secret-key-123"


def make_app() -> Starlette:
    store: dict[int, dict[str, Any]] = {}
    counter = [0]

    def err(status: int, t: str, m: str) -> JSONResponse:
        return JSONResponse({"type": t, "message": m}, status_code=status)

    async def body_of(req: Request) -> Any:
        try:
            return json.loads(await req.body())
        except Exception:
            return None

    def valid(b: Any) -> str | None:
        if not isinstance(b, dict):
            return "body must be an object"
        if set(b) - {"name", "email", "kind"}:
            return "unknown field"
        n = b.get("name")
        if not isinstance(n, str) or not 1 <= len(n) <= 50:
            return "name"
        if "email" in b and (not isinstance(b["email"], str) or "@" not in b["email"]):
            return "email"
        if "kind" in b and b["kind"] not in ("person", "company"):
            return "kind"
        return None

    def authed(req: Request) -> bool:
        return req.headers.get("x-api-key") == KEY

    async def customers(req: Request) -> Response:
        if not authed(req):
            return err(401, "auth", "bad key")
        if req.method == "POST":
            if "application/json" not in req.headers.get("content-type", ""):
                return err(400, "invalid", "ct")
            b = await body_of(req)
            e = valid(b)
            if e:
                return err(400, "invalid", e)
            counter[0] += 1
            obj = {"id": counter[0], "name": b["name"], "email": b.get("email"), "kind": b.get("kind", "person")}
            store[obj["id"]] = obj
            return JSONResponse(obj, status_code=201)
        try:
            page = int(req.query_params.get("page", "1"))
            per = int(req.query_params.get("per_page", "10"))
        except ValueError:
            return err(400, "invalid", "page")
        if page < 1 or not 1 <= per <= 100:
            return err(400, "invalid", "page")
        items = sorted(store.values(), key=lambda o: o["id"])
        headers = {"X-Total-Count": str(len(items))}
        if page * per < len(items):
            headers["Link"] = f'<{req.url.path}?page={page + 1}&per_page={per}>; rel="next"'
        return JSONResponse(items[(page - 1) * per : page * per], headers=headers)

    async def customer(req: Request) -> Response:
        if not authed(req):
            return err(401, "auth", "bad key")
        try:
            cid = int(req.path_params["id"])
        except ValueError:
            return err(400, "invalid", "id")
        if cid not in store:
            return err(404, "not_found", "no such customer")
        if req.method == "GET":
            return JSONResponse(store[cid])
        if req.method == "DELETE":
            del store[cid]
            return Response(status_code=204)
        b = await body_of(req)
        e = valid(b)
        if e:
            return err(400, "invalid", e)
        store[cid].update(b)
        return JSONResponse(store[cid])

    return Starlette(
        routes=[
            Route("/customers", customers, methods=["GET", "POST"]),
            Route("/customers/{id}", customer, methods=["GET", "PUT", "DELETE"]),
        ]
    )
