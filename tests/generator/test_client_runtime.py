"""Functional tests: generate from an inline spec, import the package, drive it through httpx2.MockTransport."""

from __future__ import annotations

import asyncio
import base64
import json
import logging
from collections.abc import Callable
from types import ModuleType
from typing import Any

import httpx2
import pytest

from tests.generator.conftest import GenerateClient
from tests.generator.specs import billing_spec

Handler = Callable[[httpx2.Request], httpx2.Response]
PAGE = {"style": "page", "page": "page", "per-page": "per_page"}


@pytest.fixture
def billing(generate_client: GenerateClient) -> ModuleType:
    return generate_client(billing_spec(pagination=PAGE), "billing")


def make(module: ModuleType, handler: Handler, **kwargs: Any) -> Any:
    kwargs.setdefault("api_key", "KEY-123")
    kwargs.setdefault("api_token", "TOKEN-SECRET")
    client = module.Client(http_client=httpx2.Client(transport=httpx2.MockTransport(handler)), **kwargs)
    client._sleep = lambda seconds: None
    return client


def invoice(i: int, **extra: Any) -> dict[str, Any]:
    return {"id": i, "number": f"INV-{i}", **extra}


def test_create_sends_exact_request(billing: ModuleType) -> None:
    seen: list[httpx2.Request] = []

    def handler(request: httpx2.Request) -> httpx2.Response:
        seen.append(request)
        return httpx2.Response(201, json=invoice(7, status="draft"))

    created = make(billing, handler, prefix="acme").invoices.create(number="A-1", note=None)
    request = seen[0]
    assert request.method == "POST"
    assert request.url.host == "acme.billing.example"
    assert request.url.path == "/api/invoices"
    assert dict(request.url.params) == {"api_token": "TOKEN-SECRET"}
    assert json.loads(request.content) == {"number": "A-1", "note": None}  # status omitted, note sent as null
    assert request.headers["authorization"] == "Basic " + base64.b64encode(b"KEY-123:").decode()
    assert created.id == 7 and created.status == billing.types.Status.draft


def test_environment_and_base_url_override(billing: ModuleType) -> None:
    hosts: list[str] = []

    def handler(request: httpx2.Request) -> httpx2.Response:
        hosts.append(str(request.url).split("?")[0])
        return httpx2.Response(204)

    make(billing, handler, environment="sandbox").invoices.delete(1)
    make(billing, handler, base_url="http://127.0.0.1:9/mock").invoices.delete(2)
    assert hosts == ["https://sandbox.billing.example/api/invoices/1", "http://127.0.0.1:9/mock/invoices/2"]


def test_responses_tolerate_unknown_fields_and_enum_values(billing: ModuleType) -> None:
    def handler(request: httpx2.Request) -> httpx2.Response:
        assert request.headers["x-trace-id"] == "t-1"
        return httpx2.Response(200, json=invoice(3, status="archived", brand_new_field=[1]))

    got = make(billing, handler).invoices.retrieve(3, x_trace_id="t-1")
    assert got.status.value == "archived"
    assert got.model_extra == {"brand_new_field": [1]}


def test_every_response_kind(billing: ModuleType) -> None:
    def handler(request: httpx2.Request) -> httpx2.Response:
        if request.url.path.endswith(".pdf"):
            assert request.headers["accept"] == "application/pdf"
            return httpx2.Response(200, content=b"%PDF-1.7 data", headers={"content-type": "application/pdf"})
        if request.url.path.endswith(".xml"):
            return httpx2.Response(200, text="<invoice id='1'/>", headers={"content-type": "application/xml"})
        if request.method == "HEAD":
            return httpx2.Response(200, headers={"X-Next-Number": "INV-42"})
        return httpx2.Response(204)

    client = make(billing, handler)
    assert client.invoices.download_pdf(1) == b"%PDF-1.7 data"
    with client.invoices.download_pdf_stream(1) as chunks:
        assert b"".join(chunks) == b"%PDF-1.7 data"
    assert client.invoices.retrieve_xml(1) == "<invoice id='1'/>"
    assert client.invoices.next_number()["x-next-number"] == "INV-42"
    assert client.invoices.delete(1) is None


def test_page_style_walks_until_short_page(billing: ModuleType) -> None:
    pages: list[str | None] = []

    def handler(request: httpx2.Request) -> httpx2.Response:
        page = int(request.url.params.get("page", "1"))
        pages.append(request.url.params.get("page"))
        assert request.url.params["per_page"] == "2" and request.url.params["status"] == "paid"
        return httpx2.Response(200, json=[invoice(i) for i in range(page * 10, page * 10 + (2 if page < 3 else 1))])

    result = make(billing, handler).invoices.list(per_page=2, status="paid")
    assert [i.id for i in result.items] == [10, 11]  # a single page is reachable
    assert [i.id for i in result] == [10, 11, 20, 21, 30]
    assert pages == [None, "2", "3"]


def test_link_style_follows_rel_next(generate_client: GenerateClient) -> None:
    module = generate_client(billing_spec(pagination={"style": "link", "total-header": "X-Total-Count"}), "linked")

    def handler(request: httpx2.Request) -> httpx2.Response:
        page = int(request.url.params.get("page", "1"))
        headers = {"X-Total-Count": "3"}
        if page == 1:
            headers["Link"] = '<https://demo.billing.example/api/invoices?page=2>; rel="next", <x>; rel="last"'
        return httpx2.Response(
            200, json=[invoice(page * 10 + j) for j in range(2 if page == 1 else 1)], headers=headers
        )

    result = make(module, handler).invoices.list()
    assert result.total == 3
    assert [i.id for i in result] == [10, 11, 20]


def test_link_targets_are_resolved_against_the_request_url(generate_client: GenerateClient) -> None:
    module = generate_client(billing_spec(pagination={"style": "link"}), "relative")
    urls: list[str] = []

    def handler(request: httpx2.Request) -> httpx2.Response:
        urls.append(str(request.url))
        page = int(request.url.params.get("page", "1"))
        headers = {"Link": '<?page=2&per_page=1>; rel="next"'} if page == 1 else {}
        return httpx2.Response(200, json=[invoice(page)], headers=headers)

    assert [i.id for i in make(module, handler, base_url="http://127.0.0.1:9/v1").invoices.list(per_page=1)] == [1, 2]
    assert urls[1].split("?")[0] == "http://127.0.0.1:9/v1/invoices" and "page=2" in urls[1]
    assert all(httpx2.URL(u).params.get_list("api_token") == ["TOKEN-SECRET"] for u in urls)  # once, on every page


def test_offset_style_reads_count_and_items(generate_client: GenerateClient) -> None:
    schema = {
        "type": "object",
        "properties": {
            "count": {"type": "integer"},
            "items": {"type": "array", "items": {"$ref": "#/components/schemas/Invoice"}},
        },
    }
    spec = billing_spec(
        pagination={"style": "offset", "offset": "offset", "limit": "limit", "count": "count", "items": "items"},
        list_schema=schema,
    )
    module = generate_client(spec, "offsets")
    offsets: list[str] = []

    def handler(request: httpx2.Request) -> httpx2.Response:
        offset = int(request.url.params.get("offset", "0"))
        offsets.append(str(offset))
        return httpx2.Response(200, json={"count": 5, "items": [invoice(i) for i in range(offset, min(offset + 2, 5))]})

    assert [i.id for i in make(module, handler).invoices.list(limit=2)] == [0, 1, 2, 3, 4]
    assert offsets == ["0", "2", "4"]


def test_retries_honour_retry_after(billing: ModuleType) -> None:
    statuses = iter([429, 503, 200])
    client = make(
        billing,
        lambda request: httpx2.Response(
            s := next(statuses), json=invoice(1) if s == 200 else {}, headers={"Retry-After": "7"} if s == 429 else {}
        ),
    )
    delays: list[float] = []
    client._sleep = delays.append
    assert client.invoices.retrieve(1).id == 1
    assert delays[0] == 7.0 and 0 < delays[1] <= 1.0


def test_post_is_not_retried_without_idempotency_key(billing: ModuleType) -> None:
    calls: list[httpx2.Request] = []

    def handler(request: httpx2.Request) -> httpx2.Response:
        calls.append(request)
        return httpx2.Response(503) if len(calls) < 3 else httpx2.Response(201, json=invoice(1))

    client = make(billing, handler)
    with pytest.raises(billing.ServerError):
        client.invoices.create(number="X")
    assert len(calls) == 1
    assert client.invoices.create(number="X", request_options={"idempotency_key": "k-1"}).id == 1
    assert [c.headers.get("idempotency-key") for c in calls[1:]] == ["k-1", "k-1"]


def test_connection_errors_are_retried_then_raised(billing: ModuleType) -> None:
    attempts: list[int] = []

    def handler(request: httpx2.Request) -> httpx2.Response:
        attempts.append(1)
        raise httpx2.ConnectError("refused", request=request)

    with pytest.raises(billing.APIConnectionError):
        make(billing, handler, max_retries=3).invoices.retrieve(1)
    assert len(attempts) == 4
    with pytest.raises(billing.APITimeoutError):
        make(billing, lambda r: (_ for _ in ()).throw(httpx2.ReadTimeout("slow", request=r))).invoices.retrieve(
            1, request_options={"max_retries": 0}
        )


def test_error_mapping_parses_envelope(billing: ModuleType) -> None:
    client = make(billing, lambda r: httpx2.Response(404, json={"message": "No such invoice", "param": "id"}))
    with pytest.raises(billing.NotFoundError) as caught:
        client.invoices.retrieve(999)
    assert caught.value.status_code == 404
    assert caught.value.error.message == "No such invoice" and caught.value.error.param == "id"
    assert isinstance(caught.value, billing.ClientError)


def test_error_envelope_in_success_response_raises(billing: ModuleType) -> None:
    client = make(billing, lambda r: httpx2.Response(200, json={"code": "error", "message": "cannot send"}))
    with pytest.raises(billing.APIReportedError) as caught:
        client.invoices.send_by_email(1, email_to="a@b.c")
    assert caught.value.error.message == "cannot send"


def test_secrets_never_leak(billing: ModuleType, caplog: pytest.LogCaptureFixture) -> None:
    client = make(billing, lambda r: httpx2.Response(401, json={"message": "bad key"}))
    with caplog.at_level(logging.DEBUG, logger="billing_client"), pytest.raises(billing.AuthenticationError) as caught:
        client.invoices.retrieve(1)
    texts = [repr(client), str(caught.value), repr(caught.value), caplog.text]
    assert "api_token=***" in caplog.text
    for text in texts:
        assert "TOKEN-SECRET" not in text and "KEY-123" not in text


def test_query_secrets_stay_out_of_httpx2s_request_log(billing: ModuleType, caplog: pytest.LogCaptureFixture) -> None:
    """httpx2 logs every request's full URL at INFO; a query-placed token (BitFaktura's default) is masked there."""
    client = make(billing, lambda r: httpx2.Response(200, json=invoice(1)))
    with caplog.at_level(logging.INFO, logger="httpx2"):
        client.invoices.retrieve(1)
    lines = [r.getMessage() for r in caplog.records if r.name == "httpx2"]
    assert lines and "api_token=***" in lines[0], lines  # the line is still there, with the URL
    assert "TOKEN-SECRET" not in caplog.text


def test_two_clients_with_different_query_secrets_both_stay_out_of_the_log(
    billing: ModuleType, generate_client: GenerateClient, caplog: pytest.LogCaptureFixture
) -> None:
    """Each generated package adds its own filter to the one httpx2 logger; the first to run turned the URL into
    text and the next let it through, so a second client's query token was logged in the clear (seen when another
    client had been made earlier in the same process). Both are masked, whichever filter runs first."""
    spec = billing_spec(pagination=PAGE)
    spec["components"]["securitySchemes"]["token"]["name"] = "access_key"
    spec["components"]["securitySchemes"]["token"]["x-env"] = ["LEDGER_ACCESS_KEY"]
    ledger = generate_client(spec, "ledger")
    other = ledger.Client(
        http_client=httpx2.Client(transport=httpx2.MockTransport(lambda r: httpx2.Response(200, json=invoice(1)))),
        api_key="KEY-123",
        access_key="LEDGER-SECRET",
    )
    client = make(billing, lambda r: httpx2.Response(200, json=invoice(1)))
    with caplog.at_level(logging.INFO, logger="httpx2"):
        other.invoices.retrieve(1)
        client.invoices.retrieve(1)
    lines = [r.getMessage() for r in caplog.records if r.name == "httpx2"]
    assert len(lines) == 2 and "access_key=***" in lines[0] and "api_token=***" in lines[1], lines
    assert "TOKEN-SECRET" not in caplog.text and "LEDGER-SECRET" not in caplog.text


@pytest.mark.parametrize("token", ["TOKEN-SECRET", "s3cr/t+tok=en&x"])
@pytest.mark.parametrize("as_json", [True, False])
def test_error_bodies_echoing_the_url_keep_the_query_token_out(billing: ModuleType, token: str, as_json: bool) -> None:
    """An API whose error echoes the request URL (``No route matches /x?api_token=…``) does not put the token into
    the exception's message, repr, ``body`` or parsed ``error``; a token that needs percent-encoding included."""

    def echo(request: httpx2.Request) -> httpx2.Response:
        text = f"No route matches GET {request.url}"
        assert request.url.params["api_token"] == token
        if as_json:
            return httpx2.Response(404, json={"message": text, "param": str(request.url), "code": "not_found"})
        return httpx2.Response(404, text=text, headers={"content-type": "text/plain"})

    client = make(billing, echo, api_token=token)
    with pytest.raises(billing.NotFoundError) as caught:
        client.invoices.retrieve(7)
    error = caught.value
    shown = [str(error), repr(error), error.message, json.dumps(error.body), repr(error.error)]
    encoded = str(httpx2.URL("http://x/", params={"t": token})).split("t=", 1)[1]
    for text in shown:
        assert token not in text and encoded not in text, text
    assert "[redacted]" in str(error) if as_json else "[redacted]" in error.body
    assert "/invoices/7" in str(error)  # what failed is still said
    if as_json:
        assert error.error.param.endswith("api_token=[redacted]") and error.body["code"] == "not_found"


def test_credentials_come_from_environment(billing: ModuleType, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BILLING_API_TOKEN", "from-env")
    seen: list[httpx2.Request] = []
    client = billing.Client(
        http_client=httpx2.Client(transport=httpx2.MockTransport(lambda r: seen.append(r) or httpx2.Response(204)))
    )
    client.invoices.delete(1)
    assert seen[0].url.params["api_token"] == "from-env" and "authorization" not in seen[0].headers


def test_async_client(billing: ModuleType) -> None:
    def handler(request: httpx2.Request) -> httpx2.Response:
        if request.method == "GET" and request.url.path.endswith("/invoices"):
            page = int(request.url.params.get("page", "1"))
            return httpx2.Response(200, json=[invoice(page)] if page < 3 else [])
        return httpx2.Response(200, json=invoice(5))

    async def run() -> tuple[list[int], int, int]:
        transport = httpx2.MockTransport(handler)
        async with billing.AsyncClient(api_key="k", http_client=httpx2.AsyncClient(transport=transport)) as client:
            ids = [item.id async for item in client.invoices.list()]
            first = await client.invoices.list()
            return ids, len(first.items), (await client.invoices.retrieve(5)).id

    assert asyncio.run(run()) == ([1, 2], 1, 5)


def test_rate_limit_sent_as_another_status_is_retried(generate_client: GenerateClient) -> None:
    spec = billing_spec(pagination=PAGE)
    spec["x-errors"]["kinds"] = {"rate_limited": {"status": 400, "body": {"status_code": 429, "message": "$message"}}}
    module = generate_client(spec, "throttled")
    throttle = httpx2.Response(400, json={"status_code": 429, "message": "slow down"}, headers={"Retry-After": "3"})
    answers = iter([throttle, httpx2.Response(200, json=invoice(1)), httpx2.Response(400, json={"message": "bad"})])
    client = make(module, lambda request: next(answers))
    delays: list[float] = []
    client._sleep = delays.append
    assert client.invoices.retrieve(1).id == 1 and delays == [3.0]
    with pytest.raises(module.BadRequestError):  # a plain 400 is not retried
        client.invoices.retrieve(1)
    assert delays == [3.0]
    always = make(module, lambda request: httpx2.Response(400, json={"status_code": 429, "message": "slow"}))
    with pytest.raises(module.RateLimitError):
        always.invoices.retrieve(1, request_options={"max_retries": 1})
    pdfs = iter([throttle, httpx2.Response(200, content=b"%PDF")])
    streaming = make(module, lambda request: next(pdfs))
    with streaming.invoices.download_pdf_stream(1) as chunks:
        assert b"".join(chunks) == b"%PDF"
