"""Every generated client against the mock in chaos mode: responses drift from their schema the way real APIs'
do, the lenient client returns models with warnings and deviations, and only a strict client raises."""

from __future__ import annotations

import contextlib
import functools
import inspect
import logging
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pydantic
import pytest

from conformance.mock import MockConfig
from conformance.mock.chaos import BREAKING
from tests.e2e.harness import Loop, loop
from tests.e2e.test_econt_workflow import LINE, ORDER

APIS = ("facturare", "econt", "efactori", "bitfaktura", "cloudinvoice")
CHAOS = MockConfig(seed_data=True, chaos=True, random_seed=11, self_check=True)


@dataclass
class Call:
    operation: str  # as the client names it in its warnings, e.g. "invoices.retrieve"
    invoke: Callable[[Any, dict[str, Any] | None], Any]  # (client, request options) -> result
    items: str | None = None  # a list call: where a page keeps its items when it is an object


@contextlib.contextmanager
def chaos_loop(api: str, monkeypatch: pytest.MonkeyPatch, config: MockConfig = CHAOS) -> Iterator[Loop]:
    yield from loop(api, monkeypatch, config)


def another_client(lp: Loop, **options: Any) -> Any:
    """A second client of the loop's mock with the good credentials (the environment holds wrong ones by now)."""
    with pytest.MonkeyPatch.context() as patch:
        for name, value in lp.credentials.items():
            patch.setenv(name, value)
        return lp.module.Client(base_url=f"http://mock/{lp.api}", http_client=lp.client._http, **options)


def _resources(client: Any) -> list[tuple[str, Any]]:
    """The client's top-level resources (properties, built on first access)."""
    names = [n for n, a in vars(type(client)).items() if isinstance(a, functools.cached_property)]
    return sorted((name, getattr(client, name)) for name in names if not name.startswith("_"))


def _only_optional_keywords(method: Any, positional: int) -> bool:
    params = [p for p in inspect.signature(method).parameters.values() if p.name != "request_options"]
    required_kw = [p for p in params if p.kind is p.KEYWORD_ONLY and p.default is p.empty]
    return not required_kw and sum(p.kind is p.POSITIONAL_OR_KEYWORD for p in params) == positional


def reads(lp: Loop) -> list[Call]:
    """Every top-level ``list`` that needs no argument and the ``retrieve`` of its first item; e-Cont (no reads)
    places an invoice."""
    if lp.api == "econt":
        order, items = lp.types.Order.model_validate(ORDER), lp.types.LineItems.model_validate({"984": LINE})
        return [Call("invoices.put", lambda c, o: c.invoices.put(order=order, items=items, request_options=o))]
    calls: list[Call] = []
    scout = another_client(lp)  # its warnings are its own
    for name, resource in _resources(scout):
        if hasattr(resource, "list") and _only_optional_keywords(resource.list, 0):
            items = inspect.getmodule(resource)._LIST_PAGING.items  # type: ignore[union-attr]
            calls.append(Call(f"{name}.list", lambda c, o, n=name: getattr(c, n).list(request_options=o).items, items))
            first = resource.list().items[:1]
            ident = getattr(first[0], "id", None) if first else None  # None too where chaos nulled it
            if ident is not None and hasattr(resource, "retrieve") and _only_optional_keywords(resource.retrieve, 1):
                calls.append(
                    Call(f"{name}.retrieve", lambda c, o, n=name, i=ident: getattr(c, n).retrieve(i, request_options=o))
                )
    return calls


def _parsed(call: Call, pointer: str) -> bool:
    """Whether the client parses the drifted place: a list call parses its items (a page's count is only read,
    a null count is a page without a total), other calls the whole body."""
    if call.items is None:
        return True
    return pointer == f"/{call.items}" or re.match(rf"^(/{re.escape(call.items)})?/\d+/", pointer) is not None


def _drifts(header: str) -> list[tuple[str, str]]:
    """(kind, pointer) pairs from an X-Mock-Chaos value."""
    pairs = [part.strip().partition(" ") for part in header.split(",") if part.strip() and "more" not in part]
    return [(kind, pointer) for kind, _, pointer in pairs]


@pytest.mark.parametrize("api", APIS)
def test_every_client_survives_chaos_with_warnings(
    api: str, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    with chaos_loop(api, monkeypatch) as lp:
        calls = reads(lp)
        assert calls, f"{api}: no read to call"
        deviations = lp.module.deviations
        breaking_seen = 0
        caplog.set_level(logging.WARNING, logger=f"{api}_client")
        for call in calls:
            for _ in range(2):  # the second call of an operation warns no more
                caplog.clear()
                result = call.invoke(lp.client, None)  # never raises, whatever drifted
                drifted = _drifts(lp.transport.chaos[-1])
                found = deviations(result)
                pointers = {d.pointer for d in found}
                for kind, pointer in drifted:
                    if kind in BREAKING and _parsed(call, pointer):
                        breaking_seen += 1
                        # the client names the drifted place, or the object around it (a oneOf it could not pick)
                        assert any(pointer == p or pointer.startswith(p + "/") for p in pointers), (
                            kind,
                            pointer,
                            found,
                        )
                complete = "more" not in lp.transport.chaos[-1]
                for deviation in found:
                    assert deviation.kind in ("null", "enum", "missing", "type")
                    assert not complete or any(
                        p == deviation.pointer or p.startswith(deviation.pointer + "/") for _, p in drifted
                    ), f"{call.operation}: {deviation} is no chaos drift ({drifted})"
                warned = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
                if _ == 0:
                    assert len(warned) == len({d.kind for d in found})  # one per kind
                    for kind in {d.kind for d in found}:
                        assert any(f"{call.operation}: " in m and f"({kind})" in m for m in warned), warned
                else:
                    assert not [m for m in warned if f"{call.operation}: " in m and "deviates" in m], warned
        assert breaking_seen, f"{api}: chaos drifted nothing a client would notice"
        # self-check validates the body as the mock made it: chaos is no mock bug
        assert lp.transport.inner.app.state.mock.violations() == {api: []}


@pytest.mark.parametrize("api", APIS)
def test_only_a_strict_client_raises(api: str, monkeypatch: pytest.MonkeyPatch) -> None:
    with chaos_loop(api, monkeypatch) as lp:
        strict = another_client(lp, strict=True)
        raised = 0
        for call in reads(lp):
            lenient = call.invoke(lp.client, None)
            kinds = {d.kind for d in lp.module.deviations(lenient)} - {"enum"}  # open enums parse even strictly
            if kinds:
                with pytest.raises(pydantic.ValidationError):
                    call.invoke(strict, None)  # the same request drifts the same way
                with pytest.raises(pydantic.ValidationError):
                    call.invoke(lp.client, {"strict": True})
                raised += 1
            else:
                call.invoke(strict, None)
        assert raised, f"{api}: no response broke strict validation"
