"""Merging findings that differ only in ids and numbers; the checks' judgement of equal values and empty pages."""

from __future__ import annotations

import pytest

from apimodel import api_from_data
from conformance.checks.replays import _has_data, _same
from conformance.drift import Drift, normalise
from conformance.testing import live_settings
from tests.conformance.fake_api import SPEC


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("tenant 2 read /customers/17/contacts (200)", "tenant 2 read /customers/-9223372036854775807/contacts (200)"),
        ("at /items/0/id: 12345", "at /items/3/id: 1.5e10"),
        ("token 3fa85f64-5717-4562-b3fc-2c963f66afa6", "token 6b1f2c3d-0000-4000-8000-00000000beef"),
        ("session deadbeef00112233445566", "session 0123456789abcdef0123"),
    ],
)
def test_ids_and_numbers_do_not_split_a_drift(first: str, second: str) -> None:
    assert normalise(first) == normalise(second)
    one = Drift("a", "GET /x/{id}", "tenant-leak", "tenant_isolation", "#/paths", "said", first)
    two = Drift("a", "GET /x/{id}", "tenant-leak", "tenant_isolation", "#/paths", "said", second)
    assert one.signature == two.signature


@pytest.mark.parametrize(("first", "second"), [("answered 203", "answered 500"), ("(200)", "(404)")])
def test_statuses_keep_drifts_apart(first: str, second: str) -> None:
    assert normalise(first) != normalise(second)


@pytest.mark.parametrize(
    ("stored", "sent", "same"),
    [
        (False, "0", True),
        (True, "true", True),
        (False, "1", False),
        ("-0.00", -8.02e-231, True),
        ("12.50", 12.5, True),
        ("12.50", 13, False),
        ("Zed", "Marta", False),
    ],
)
def test_read_back_values_compare_as_form_apis_coerce(stored: object, sent: object, same: bool) -> None:
    assert _same(stored, sent) is same


@pytest.mark.parametrize(
    ("body", "is_list", "data"),
    [
        ([], True, False),
        ([{"id": 1}], True, True),
        ({"count": 0, "next": None, "previous": None, "results": []}, True, False),
        ({"count": 1, "results": [{"id": 1}]}, True, True),
        ({"id": 1, "lines": []}, False, True),
        (b"", False, False),
        (b"%PDF-1.4", False, True),
    ],
)
def test_what_counts_as_data_for_tenant_isolation(body: object, is_list: bool, data: bool) -> None:
    assert _has_data(body, is_list) is data


def test_live_settings_name_what_is_missing_and_never_values() -> None:
    settings = live_settings(api_from_data("fake", SPEC), {"FAKE_API_KEY": "sekrit-value"})
    assert settings.missing == ("SPECFORGE_LIVE_URL_FAKE",)
    assert "sekrit-value" not in settings.skip_reason and "sekrit-value" not in repr(settings)
    ready = live_settings(
        api_from_data("fake", SPEC), {"FAKE_API_KEY": "k", "SPECFORGE_LIVE_URL_FAKE": "http://127.0.0.1:1"}
    )
    assert ready.missing == () and ready.url == "http://127.0.0.1:1" and not ready.allow_writes
