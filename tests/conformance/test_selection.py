"""Which operations a run calls: include and exclude patterns, and only safe ones in a read-only run."""

from __future__ import annotations

import pytest

from apimodel import load_api
from conformance.selection import SelectionError, select_operations


def test_a_read_only_run_calls_reads_and_the_operations_the_spec_marks_safe() -> None:
    api = load_api("facturare")
    chosen = select_operations(api, read_only=True)
    assert "POST /subscriptions/preview" in chosen  # x-safe: Invoiced's preview saves nothing
    assert "POST /customers" not in chosen
    assert all(key.split()[0] in ("GET", "HEAD", "OPTIONS") or key == "POST /subscriptions/preview" for key in chosen)
    assert {k for k in chosen if k.startswith("GET")} == {op.key for op in api.operations if op.method == "GET"}


def test_econt_reads_nothing_but_its_pdf_in_a_read_only_run() -> None:
    # e-Cont documents no read: every other call puts an invoice (api-facts section 2.3)
    assert select_operations(load_api("econt"), read_only=True) == {"GET /facturare/v1/pdf/sendinvoice"}


def test_patterns_name_operation_ids_tags_and_path_globs() -> None:
    api = load_api("facturare")
    by_id = select_operations(api, include=("listInvoices",))
    assert by_id == {"GET /invoices"}
    by_glob = select_operations(api, include=("POST /invoices/*",))
    assert by_glob and all(k.startswith("POST /invoices/") for k in by_glob)
    tag = next(op.tags[0] for op in api.operations if op.key == "GET /invoices")
    by_tag = select_operations(api, include=(tag,), exclude=("/invoices/{id}*",))
    assert "GET /invoices" in by_tag and not any(k.split()[1].startswith("/invoices/{id}") for k in by_tag)


def test_a_pattern_that_names_nothing_is_an_error_not_an_empty_run() -> None:
    with pytest.raises(SelectionError, match="--exclude 'nothing-here' matches no operation of facturare"):
        select_operations(load_api("facturare"), exclude=("nothing-here",))
