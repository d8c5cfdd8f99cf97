"""Live, read-only conformance catches drift: a seeded mock on 127.0.0.1, a mutating proxy in front of it, and
``conform`` in live read-only mode (``Target(live=True)``, as ``specforge conform --url`` runs) against the proxy.

The proxy forwards every request over loopback to the real mock and passes the answers through the drift injector
(:mod:`conformance.inject`), which rewrites them the way an API drifts from its documentation. Read-only runs
call only safe operations (reads, and the spec's ``x-safe`` POSTs), so what they can catch is what a read shows:
ids, types, formats, enum values, statuses, content types, envelopes, paging headers, auth and tenant isolation
on the seeded objects. ``ignore-write`` needs a write and stays with the full-mode proof (``test_proof.py``).

With no mutation, the same run finds nothing: the check for false positives. By default each mutation runs on
one API (taken in turn, so all five APIs are exercised) and every API runs unmutated;
``SPECFORGE_PROOF_FULL=1`` runs every mutation on every API it applies to.
"""

from __future__ import annotations

import os
import ssl
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import httpx2
import pytest

from apimodel import load_api
from apimodel.project import API_NAMES
from conformance.bench import serve_mock
from conformance.engine import ALL_PHASES, ApiResult, ConformOptions, Target, run_spec
from conformance.inject import MUTATIONS, DriftInjector
from conformance.mock import MockConfig, create_app
from conformance.presets import QUICK
from conformance.selection import select_operations
from conformance.suite import mock_tenants
from conformance.testing import describe
from specforge.commands.conform import conform
from tests.conformance.proof import proof_operations
from tests.conformance.test_proof import EXPECTED_CHECKS

NEEDS_WRITES = {"ignore-write": "a read-only run writes nothing, so a write the API ignores cannot show"}
_TLS = ssl.create_default_context()  # never used: the upstream is plain HTTP on 127.0.0.1
_HOP_BY_HOP = {"host", "content-length", "transfer-encoding", "connection", "keep-alive"}


class Proxy:
    """An ASGI app that forwards each request to ``upstream`` (a real server) and answers with its reply."""

    def __init__(self, upstream: str) -> None:
        self.upstream = upstream
        self.methods: set[str] = set()  # every method the run sent: a read-only run must send no write

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        self.methods.add(scope["method"])
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        headers = [(k.decode(), v.decode()) for k, v in scope["headers"] if k.decode().lower() not in _HOP_BY_HOP]
        target = scope["raw_path"].decode() + (f"?{scope['query_string'].decode()}" if scope["query_string"] else "")
        # a client per request: it lives and closes on the serving loop, which stops with the server. It takes the
        # one TLS context made for the module: building one per client (certifi's bundle loaded each time) was 60 %
        # of a faithful run's CPU time, the proxy outweighing the run it serves (py-spy, 2026-12-02)
        async with httpx2.AsyncClient(base_url=self.upstream, timeout=30.0, verify=_TLS) as client:
            reply = await client.request(scope["method"], target, headers=headers, content=body)
        out = [(k.encode(), v.encode()) for k, v in reply.headers.items() if k.lower() not in _HOP_BY_HOP]
        await send({"type": "http.response.start", "status": reply.status_code, "headers": out})
        await send({"type": "http.response.body", "body": reply.content})


def _cases() -> list[tuple[str, str | None]]:
    full = os.environ.get("SPECFORGE_PROOF_FULL") == "1"
    models = {api: load_api(api) for api in API_NAMES}
    cases: list[tuple[str, str | None]] = [(api, None) for api in API_NAMES]
    # what a read can show: the mutation applies to the API's safe operations (e-Cont's only one answers a PDF)
    readable = {api: replace(m, operations=tuple(op for op in m.operations if op.safe)) for api, m in models.items()}
    for index, name in enumerate(m for m in MUTATIONS if m not in NEEDS_WRITES):
        applies = [api for api in API_NAMES if MUTATIONS[name].applies(models[api])]
        turn = applies[index % len(applies) :] + applies[: index % len(applies)] if applies else []
        readers = [api for api in turn if MUTATIONS[name].applies(readable[api])]
        chosen = readers if full else readers[:1]
        cases += [(api, name) for api in chosen]
    return cases


CASES = _cases()

# What this test found and is still open (issue 13), each expected to fail until fixed; strict where the run is
# deterministic, so a fix shows up as an unexpected pass.
# (bitfaktura's faithful run had a loose entry for a 500 on a fuzzed GET /account.json that was never reproduced; it
# passed in every run since, so it went: a 500 now fails the run, where it can be read.)
KNOWN_GAPS: dict[tuple[str, str | None], tuple[str, bool]] = {}


def _param(api: str, mutation: str | None) -> Any:
    gap = KNOWN_GAPS.get((api, mutation))
    marks = [pytest.mark.xfail(reason=gap[0], strict=gap[1])] if gap else []
    return pytest.param(api, mutation, id=f"{api}-{mutation or 'faithful'}", marks=marks)


@pytest.fixture(scope="module")
def upstreams() -> Iterator[dict[str, str]]:
    """One seeded mock of the five APIs, served on 127.0.0.1 for the whole module."""
    app = create_app(list(API_NAMES), config=MockConfig(seed_data=True))
    with serve_mock(API_NAMES, app=app) as url:
        yield {api: url.format(api=api).rsplit("/", 1)[0] for api in API_NAMES}


def run_live(
    api: str, mutation: str | None, upstream: str, options: ConformOptions | None = None
) -> tuple[ApiResult, set[str]]:
    """The run's result, and the HTTP methods it sent through the proxy (``options``: a faithful run's, in place of
    the test's small budget)."""
    model = load_api(api)
    tenants = mock_tenants(model)
    forward = Proxy(upstream)
    proxy: Any = forward
    # The faithful run calls every safe operation (a false positive anywhere fails it); a mutated one, the
    # operations the full-mode proof picks for that mutation, of which the run keeps the safe ones.
    # As `specforge conform --url` runs without --allow-writes: every phase, coverage included, writes refused.
    # The request timeout is the run's, raised from 10 s: the mock and the proxy share two cores with the other test
    # worker, and a local CI run at a load of 10 once saw a GET wait past 10 s (a timeout is no drift).
    options = options or replace(
        QUICK, max_examples=3, seed=5, phases=ALL_PHASES, allow_writes=False, request_timeout=30.0
    )
    if mutation is not None:  # the coverage phase adds nothing a mutation needs, and costs minutes per run
        proxy = DriftInjector(proxy, model, [mutation], prefix=f"/{model.name}", tenants=tenants)
        options = replace(options, max_examples=5, phases=QUICK.phases, operations=proof_operations(model, mutation))
    with serve_mock([api], app=proxy) as url:
        result = run_spec(
            model,
            Target(url.format(api=model.name), live=True),
            credentials=tenants[0],
            other_tenants=tenants[1:],
            options=options,
        )
    return result, forward.methods


# The safe operations a faithful read-only run calls but gets no 2xx from, and why (each checked against the seeded
# mock). Every other safe operation must be reached: the goal, that live read-only conform covers every
# operation a read-only run may call, kept as a test. Reached since issue 13's last pass: facturare's files (the
# attachments list names each file, linked to retrieveFile), an invoice's payment plan (seeded under each seeded
# invoice) and BitFaktura's payment widget (by the product's token, linked from retrieveProduct).
NOT_REACHED_READ_ONLY = {
    "facturare": {
        # The seed holds one item per customer, and the spec links customers to their pending items and a page of
        # items to its first (retrievePendingLineItem: the item names its customer). The item needs both ids of one
        # pair, which only that chain gives: schemathesis's stateful phase follows a link with a probability and, at
        # this run's 3 scenarios over 110 operations, did not take it (it does with the three operations alone).
        "GET /customers/{customer_id}/line_items/{id}": "the chain of links to a customer's item is not taken in 3 "
        "stateful scenarios",
    },
}


def test_the_cases_cover_every_api_and_every_mutation_a_read_can_show() -> None:
    assert {api for api, _ in CASES} == set(API_NAMES)
    assert {m for _, m in CASES if m} == set(MUTATIONS) - set(NEEDS_WRITES)


@pytest.mark.slow
@pytest.mark.parametrize(("api", "mutation"), [_param(a, m) for a, m in CASES])
def test_live_read_only_run_catches_drift_and_nothing_else(
    api: str, mutation: str | None, upstreams: dict[str, str]
) -> None:
    result, methods = run_live(api, mutation, upstreams[api])
    model = load_api(api)
    safe = {key.split(" ", 1)[0] for key in select_operations(model, read_only=True)}
    # Against a live API a read-only run must never write: schemathesis's coverage phase used to probe each path
    # with the methods the filtered schema left out, DELETE /v1/invoices/1.json included.
    assert methods <= safe | {"GET", "HEAD"} and not methods & {"DELETE", "PUT", "PATCH"}, sorted(methods)
    if mutation is None:
        assert result.unchecked is None and result.operations_reached > 0, describe(result)
        assert {c.operation for c in result.coverage if c.answered} == set(select_operations(model, read_only=True))
        missed = {c.operation for c in result.coverage if not c.reached}
        assert missed == set(NOT_REACHED_READ_ONLY.get(api, {})), describe(result)
        assert not result.drifts and not result.errors, f"false positive on the faithful mock:\n{describe(result)}"
        return
    expected = MUTATIONS[mutation].detected_as
    caught = [d for d in result.drifts if d.kind in expected and d.check in EXPECTED_CHECKS[mutation]]
    assert caught, f"{mutation} not caught in a live read-only run as {sorted(expected)}:\n{describe(result)}"


@pytest.mark.slow
@pytest.mark.parametrize("api", sorted(NOT_REACHED_READ_ONLY))
def test_at_the_commands_defaults_a_read_only_run_reaches_every_safe_operation(
    api: str, upstreams: dict[str, str]
) -> None:
    """What a user's ``specforge conform API --url URL`` runs (its default --max-examples, the engine's default
    stateful steps and phases, writes refused) reaches with a 2xx every operation the small budget above leaves
    pinned: the stateful phase takes the chain of links to a customer's line item (seen on seeds 1, 2, 3 and 5)."""
    default = next(p.default for p in conform.params if p.name == "max_examples")
    assert isinstance(default, int) and default > 3  # more than the budget that leaves the item unreached
    options = ConformOptions(max_examples=default, seed=5, allow_writes=False, request_timeout=30.0)
    result, methods = run_live(api, None, upstreams[api], options)
    assert not methods & {"DELETE", "PUT", "PATCH"}, sorted(methods)
    safe = set(select_operations(load_api(api), read_only=True))
    assert {c.operation for c in result.coverage if c.reached} == safe, describe(result)
    assert not result.drifts and not result.errors, describe(result)
