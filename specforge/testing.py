"""Mocks of an API for an integrator's own tests: in-process, over loopback, or a live sandbox instead.

The pytest plugin (:mod:`specforge.pytest_plugin`) hands these out; they work without pytest too::

    with Mocks() as mocks:
        api = mocks.start("bitfaktura")
        api.http.get("/invoices.json", params={"api_token": api.credentials["BITFAKTURA_API_TOKEN"]})

Apps are built once per spec and process (the largest of our specs takes most of a second) and handed out
one at a time from a pool, their state reset, so each :class:`Mocks` sees fresh state and keeps it until closed.
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.util
import os
import threading
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any, Literal

import httpx2

from apimodel.project import API_NAMES

__all__ = ["IN_PROCESS_HOST", "MockedApi", "Mocks", "TargetError", "environment", "resolve_target"]

IN_PROCESS_HOST = "http://mock.specforge.test"
Mode = Literal["in-process", "loopback", "live"]


class TargetError(LookupError):
    """An API name or spec path that names nothing; the message is one line listing what is known."""


def resolve_target(api: str | Path, root: Path, configured: Mapping[str, tuple[Path, str]]) -> tuple[str, str]:
    """``(name, target)``: a project's configured API, one of ours, or a spec file (relative to ``root``)."""
    text = str(api)
    if text in configured:
        return text, f"{text}={configured[text][0]}"
    if text in API_NAMES:
        return text, text
    path = Path(text) if Path(text).is_absolute() else root / text
    if path.is_file():
        return path.stem, str(path)
    known = ", ".join([*configured, *API_NAMES])
    raise TargetError(f"unknown API {text!r}: known APIs are {known}; or give the path of a spec file")


@dataclass(eq=False)
class MockedApi:
    """One API to test against: where it is, its demo tenants' credentials, clients bound to it."""

    name: str
    base_url: str
    mode: Mode
    tenants: tuple[dict[str, str], ...] = field(repr=False)
    http: httpx2.Client = field(repr=False)  # base_url set; send credentials yourself (see ``credentials``)
    app: Any = field(default=None, repr=False)  # the mock's ASGI app (None against a live sandbox)
    client_module: str = field(default="", repr=False)
    transport: httpx2.BaseTransport | None = field(default=None, repr=False)  # in-process: to the app, no socket
    _clients: list[Any] = field(default_factory=list, repr=False)

    @property
    def credentials(self) -> dict[str, str]:
        """Tenant 0's credentials, by the environment variables the generated client reads."""
        return dict(self.tenants[0])

    @property
    def env(self) -> dict[str, str]:
        """``<NAME>_BASE_URL`` and tenant 0's credentials: the environment for a client in another process."""
        return {f"{self.name.upper().replace('-', '_')}_BASE_URL": self.base_url, **self.credentials}

    @property
    def client(self) -> Any:
        """The generated client (``<name>_client.Client``) bound to this API with tenant 0's credentials."""
        return self.client_for(0)

    def client_for(self, tenant: int) -> Any:
        """The generated client with ``tenant``'s credentials (the mock has two demo tenants)."""
        module = self._module()
        http = httpx2.Client(transport=self.transport) if self.transport is not None else None
        with environment(self.tenants[tenant]):
            client = module.Client(base_url=self.base_url, http_client=http)
        self._clients.append(client)
        return client

    def _module(self) -> ModuleType:
        if importlib.util.find_spec(self.client_module) is None:
            raise TargetError(
                f"{self.client_module} is not importable: install the generated client "
                f"(pip install -e generated/{self.name}, or your project's out folder) or use api.http"
            )
        return importlib.import_module(self.client_module)

    def reset(self) -> None:
        """Forget every object created so far (the mock only)."""
        if self.app is None:
            raise TargetError(f"{self.name} is a live sandbox: its state cannot be reset")
        self.app.state.mock.reset()

    def close(self) -> None:
        for client in self._clients:
            client.close()
        self.http.close()


@contextlib.contextmanager
def environment(values: Mapping[str, str]) -> Iterator[None]:
    """``values`` set in ``os.environ`` for the time of the block (where generated clients read credentials)."""
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


class _Pool:
    """Built apps by (target, seed data), handed out one at a time and reset on the way out."""

    def __init__(self) -> None:
        self._free: dict[tuple[str, bool], list[Any]] = {}
        self._lock = threading.Lock()

    def take(self, target: str, seed_data: bool) -> Any:
        with self._lock:
            free = self._free.get((target, seed_data))
            app = free.pop() if free else None
        if app is None:
            from conformance.mock import MockConfig, create_app

            return create_app([target], config=MockConfig(seed_data=seed_data))
        app.state.mock.reset()
        return app

    def give_back(self, target: str, seed_data: bool, app: Any) -> None:
        with self._lock:
            self._free.setdefault((target, seed_data), []).append(app)


_POOL = _Pool()


class _Served:
    """The app on 127.0.0.1 at a free port, in a thread of its own, until :meth:`close`."""

    def __init__(self, app: Any, timeout: float = 30.0) -> None:
        import uvicorn

        from conformance.mock.wire import http_protocol
        from specforge.commands.mock import bind

        self.socket = bind("127.0.0.1", 0)
        self.port: int = self.socket.getsockname()[1]
        # the asyncio loop (uvloop would replace the process's event loop policy) and no logging set-up
        config = uvicorn.Config(
            app, loop="asyncio", http=http_protocol(app), log_config=None, log_level="warning", lifespan="off"
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.socket]}, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + timeout
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                self.close()
                raise TargetError(f"the mock did not start on 127.0.0.1:{self.port} within {timeout:.0f} s")
            time.sleep(0.005)

    def close(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.socket.close()


class Mocks:
    """Starts mocks (or points at live sandboxes) and closes all of them at once; usable as a context manager.

    ``live`` maps API names to the base URL of a sandbox; those APIs are not mocked, and their credentials
    come from the environment variables the spec names.
    """

    def __init__(
        self,
        root: Path | None = None,
        live: Mapping[str, str] | None = None,
        configured: Mapping[str, tuple[Path, str]] | None = None,
    ) -> None:
        self.root = root or Path.cwd()
        self.live = dict(live or {})
        self.configured = dict(configured or {})
        self._started: dict[tuple[str, bool, bool], MockedApi] = {}
        self._cleanup: list[Any] = []

    def start(self, api: str | Path, *, loopback: bool = False, seed_data: bool = False) -> MockedApi:
        """A mock of ``api`` (an API name or a spec path), fresh unless this set already started the same one.

        ``loopback=True`` serves it on 127.0.0.1 at a free port, for clients in other processes;
        ``seed_data=True`` starts with a few objects per resource and tenant.
        """
        name, target = resolve_target(api, self.root, self.configured)
        key = (target, loopback, seed_data)
        if key not in self._started:
            self._started[key] = self._live(name, target) if name in self.live else self._mock(name, target, *key)
        return self._started[key]

    def _module(self, name: str) -> str:
        return self.configured[name][1] if name in self.configured else f"{name}_client"

    def _live(self, name: str, target: str) -> MockedApi:
        from apimodel import load_api

        variables = [env for credential in load_api(target).credentials for env in credential.env]
        found = {env: os.environ[env] for env in variables if os.environ.get(env)}
        if variables and not found:
            raise TargetError(f"{name} against a live sandbox needs its credentials: set {', '.join(variables)}")
        url = self.live[name].rstrip("/")
        api = MockedApi(name, url, "live", (found,), httpx2.Client(base_url=url), None, self._module(name))
        self._cleanup.append(api.close)
        return api

    def _mock(self, name: str, target: str, _: str, loopback: bool, seed_data: bool) -> MockedApi:
        app = _POOL.take(target, seed_data)
        self._cleanup.append(lambda: _POOL.give_back(target, seed_data, app))
        served = app.state.mock.servers[name]
        tenants = tuple(dict(values) for values in served.tenants.values[:2])
        if loopback:
            server = _Served(app)
            self._cleanup.append(server.close)
            url, transport = f"http://127.0.0.1:{server.port}/{name}", None
        else:
            from conformance.mock import SyncASGITransport

            url, transport = f"{IN_PROCESS_HOST}/{name}", SyncASGITransport(app)
        mode: Mode = "loopback" if loopback else "in-process"
        http = httpx2.Client(base_url=url, transport=transport)
        api = MockedApi(name, url, mode, tenants, http, app, self._module(name), transport)
        self._cleanup.append(api.close)
        return api

    def close(self) -> None:
        """Close every client, stop every server, and hand the apps back (in the reverse order of starting)."""
        while self._cleanup:
            self._cleanup.pop()()
        self._started.clear()

    def __enter__(self) -> Mocks:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
