"""Every hint is read in one module and documented; ``specforge describe`` shows what the model holds."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
from click.testing import CliRunner

from apimodel import hints, load_api
from apimodel.project import ROOT
from specforge.cli import main
from tests.corpus import corpus_spec

CODE = ("apimodel", "generator", "conformance", "specforge", "templates", "benchmarks")
ALL_HINTS = [name for names in hints.HINTS.values() for name in names]


def _modules_naming(hint: str) -> set[str]:
    pattern = re.compile(re.escape(hint) + r"(?![\w-])")
    found = set()
    for folder in CODE:
        for path in (ROOT / folder).rglob("*"):
            if ".work" in path.relative_to(ROOT).parts:  # the benchmarks' scratch output (other tools' code)
                continue
            if path.suffix in (".py", ".jinja") and pattern.search(path.read_text(encoding="utf-8")):
                found.add(str(path.relative_to(ROOT)))
    return found


@pytest.mark.parametrize("hint", ALL_HINTS)
def test_each_hint_is_named_in_exactly_one_module(hint: str) -> None:
    assert _modules_naming(hint) == {"apimodel/hints.py"}


def test_every_hint_is_documented_and_every_documented_hint_is_read() -> None:
    readme = (ROOT / "specs" / "README.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"`(x-[a-z-]+[a-z])", readme))
    assert set(ALL_HINTS) <= documented
    assert documented - set(ALL_HINTS) == set()


def test_describe_shows_roles_auth_pagination_and_errors_with_reasons() -> None:
    result = CliRunner().invoke(main, ["describe", "facturare"])
    assert result.exit_code == 0, result.output
    text = result.output
    assert "basicAuth: HTTP Basic (user name only); from FACTURARE_API_KEY" in text
    assert "errors: #/components/schemas/FacturareError  [x-errors]" in text
    assert re.search(r"list\s+GET\s+/invoices\s+→ invoices\.list", text)
    assert "pages: link (default_per_page=25, page=page, per_page=per_page, total_header=X-Total-Count)" in text


def test_describe_json_carries_the_same_facts_as_the_model() -> None:
    result = CliRunner().invoke(main, ["describe", "bitfaktura", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    api = load_api("bitfaktura")
    operations = [op for r in data["resources"] for op in r["operations"]]
    assert len(operations) == len(api.operations)
    assert {c["env"][0] for c in data["credentials"]} == {c.env[0] for c in api.credentials}
    listed = next(op for op in operations if op["method"] == "GET" and op["path"] == "/invoices.json")
    assert listed["pagination"]["style"] == "page" and listed["pagination"]["reason"]["source"] == "hint"


def test_describe_explains_inferences_on_a_spec_without_hints() -> None:
    spec = corpus_spec("oai-petstore-expanded.yaml")
    result = CliRunner().invoke(main, ["describe", str(spec)])
    assert result.exit_code == 0, result.output
    assert "[inferred: GET on the collection]" in result.output
    assert "not paginated: no page or offset parameter (query: tags, limit)" in result.output


def test_describe_of_a_missing_file_is_one_line_without_a_traceback() -> None:
    run = subprocess.run(
        [sys.executable, "-m", "specforge", "describe", "no/such/spec.yaml"], capture_output=True, text=True
    )
    assert run.returncode == 1
    assert run.stderr.strip().splitlines() == ["Error: error[not-found] no/such/spec.yaml: no such file; "
                                               "check the path or the API name"]  # fmt: skip
    assert "Traceback" not in run.stderr


def test_describe_shows_a_sequence_counted_per_journal_and_book_year() -> None:
    """``x-sequence-per`` (efactori numbers each journal and book year on its own) shows in the text and the JSON."""
    text = CliRunner().invoke(main, ["describe", "efactori"]).output
    assert "    numbered number: {n}, one sequence per journal_id, year of date" in text
    data = json.loads(CliRunner().invoke(main, ["describe", "efactori", "--json"]).output)
    invoices = next(r for r in data["resources"] if r["name"] == "invoices")
    assert invoices["sequence_per"] == {"number": ["journal_id", "year of date"]}
    assert "one sequence per" not in CliRunner().invoke(main, ["describe", "bitfaktura"]).output
