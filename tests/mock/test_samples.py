"""The mock's values obey the schema they are made for, whatever the spec's own examples say."""

from __future__ import annotations

import re
from typing import Any

import pytest

from conformance.mock.credentials import CredentialSlot, read_slot
from conformance.mock.patterns import matching
from conformance.mock.samples import Sampler
from conformance.mock.schema import SchemaSet


@pytest.mark.parametrize(
    "pattern",
    [
        r"^\d{3}-\d{2}$",
        r"^[A-Z]{3}$",
        r"^(\d+(\.\d{1,2})?)$",
        r"^(?:[01]\d|2[0-3]):[0-5]\d$",
        r"^\+?[1-9]\d{1,14}$",
        r"^[^@]+@[^@]+\.[a-z]{2,}$",
        r"^arn:aws:[a-z]+:.*",
        r"^([a-zA-Z0-9]){1,255}$",
        r"^(?P<year>\d{4})-(?P=year)$",
    ],
)
def test_a_string_made_for_a_pattern_matches_it(pattern: str) -> None:
    made = matching(pattern)
    assert made is not None and re.search(pattern, made)


def test_a_pattern_that_cannot_be_parsed_gives_none_rather_than_a_wrong_string() -> None:
    assert matching("[unclosed") is None


def _valid(document: dict[str, Any], schema: Any) -> tuple[Any, bool]:
    schemas = SchemaSet(document)
    value = Sampler(schemas).sample(schema)
    return value, schemas.is_valid(schema, value, "response")


def test_an_invalid_example_is_not_sent() -> None:
    schema = {"type": "string", "format": "uuid", "example": "not-a-uuid"}
    value, valid = _valid({}, schema)
    assert valid and value != "not-a-uuid"
    good = {"type": "string", "enum": ["pdf", "xml"], "example": "xml"}
    assert _valid({}, good) == ("xml", True)  # a valid example is kept


def test_one_of_picks_an_option_only_one_branch_accepts() -> None:
    # "x" is valid for both branches, so a oneOf rejects it: the value must come from the second branch alone
    schema = {"oneOf": [{"type": "string", "enum": ["x"]}, {"type": "string"}]}
    value, valid = _valid({}, schema)
    assert valid and value != "x"


def test_one_of_whose_every_option_overlaps_another_gets_a_value_only_one_accepts() -> None:
    """otoroshi (APIs.guru maif.local/otoroshi.json) types a data exporter's ``config`` as a ``oneOf`` whose
    ConsoleDataExporterConfig is any object and MailerConsoleExporterConfig an object whose optional ``type`` is a
    string: every option's value matched two, and the mock sent a config the spec refuses (9 drifts in an in-process
    conform). An object whose ``type`` is no string is the console option's alone."""
    schemas = {
        "Elastic": {"type": "object", "required": ["clusterUri"], "properties": {"clusterUri": {"type": "string"}}},
        "MailerConsole": {"type": "object", "properties": {"type": {"type": "string"}}},
        "Console": {"type": "object"},
    }
    document = {"components": {"schemas": schemas}}
    schema = {"oneOf": [{"$ref": f"#/components/schemas/{name}"} for name in schemas]}
    value, valid = _valid(document, schema)
    assert valid, value


def test_one_of_with_a_discriminator_names_the_branch() -> None:
    document = {
        "components": {
            "schemas": {
                "Card": {"type": "object", "required": ["type"], "properties": {"type": {"type": "string"}}},
                "Bank": {
                    "type": "object",
                    "required": ["type", "iban"],
                    "properties": {"type": {"type": "string"}, "iban": {"type": "string"}},
                },
            }
        }
    }
    schema = {
        "oneOf": [{"$ref": "#/components/schemas/Card"}, {"$ref": "#/components/schemas/Bank"}],
        "discriminator": {"propertyName": "type", "mapping": {"card": "#/components/schemas/Card"}},
    }
    value, valid = _valid(document, schema)
    assert value == {"type": "card"} and valid  # a Card: Bank wants an iban too


def test_all_of_around_a_non_object_is_the_typed_part() -> None:
    document = {"components": {"schemas": {"Code": {"type": "string", "pattern": r"^[A-Z]{2}\d{2}$"}}}}
    schema = {"allOf": [{"$ref": "#/components/schemas/Code"}], "description": "the country and a number"}
    value, valid = _valid(document, schema)
    assert valid and re.fullmatch(r"[A-Z]{2}\d{2}", value)


# AWS's shape (amazonaws.com/ssm in the APIs.guru collection): every property is ``allOf: [$ref, {description}]``,
# and an alarm's name sits six levels down (AssociationDescription.AlarmConfiguration.Alarms[].Name). The mock sent
# ``Name: {}`` there: the depth bound cut the $ref and the description-only part answered for it.
def _nested(depth: int) -> tuple[dict[str, Any], Any]:
    schemas: dict[str, Any] = {"AlarmName": {"type": "string", "pattern": r"^(?!\s*$).+", "minLength": 1}}
    inner: Any = {"$ref": "#/components/schemas/AlarmName"}
    for level in range(depth):
        schemas[f"L{level}"] = {
            "type": "object",
            "required": ["Name"],
            "properties": {"Name": {"allOf": [inner, {"description": f"level {level}"}]}},
        }
        inner = {"$ref": f"#/components/schemas/L{level}"}
    return {"components": {"schemas": schemas}}, inner


@pytest.mark.parametrize("depth", [1, 6, 9])
def test_a_deep_all_of_around_a_string_is_a_string_never_the_description_s_empty_object(depth: int) -> None:
    document, schema = _nested(depth)
    schemas = SchemaSet(document)
    value = Sampler(schemas).sample(schema, use_examples=False)
    assert schemas.is_valid(schema, value, "response"), value
    leaf = value
    while isinstance(leaf, dict) and "Name" in leaf:
        leaf = leaf["Name"]
    assert isinstance(leaf, str) and leaf.strip()


def test_an_iso_8601_pattern_gets_a_date_not_the_word_string() -> None:
    # AWS's StringDateTime (ssm: GetCommandInvocationResult.ExecutionStartDateTime), written here from its shape:
    # optional parts guarded by lookaheads, where one of each optional part spells no date at all
    pattern = (
        r"^([\-]?\d{4}(?!\d{2}\b))((-?)((0[1-9]|1[0-2])(\3([12]\d|0[1-9]|3[01]))?)"
        r"([T\s]((([01]\d|2[0-3])((:?)[0-5]\d)?)([\.,]\d(?!:))?)?([zZ])?)?)?$"
    )
    value, valid = _valid({}, {"type": "string", "pattern": pattern})
    assert valid and value.startswith("2024-01-15"), value
    made = matching(pattern)  # the pattern's own text, without the date candidates: none of its optional parts
    assert made is not None and re.search(pattern, made)


def test_a_string_grown_to_its_min_length_still_matches_its_pattern() -> None:
    # amazonaws.com/storagegateway's TapeARN: at least 50 characters, yet its last part is 5 to 16; the mock padded
    # the end ("…:tape/000000000000000000", 18) and broke the pattern (seen in CI, 2026-12-02)
    pattern = r"^arn:(aws|aws-cn|aws-us-gov):storagegateway:[a-z\-0-9]+:[0-9]+:tape\/[0-9A-Z]{5,16}$"
    value, valid = _valid({}, {"type": "string", "pattern": pattern, "minLength": 50, "maxLength": 500})
    assert valid and len(value) == 50, value


def test_an_api_key_in_authorization_may_come_after_a_word() -> None:
    slot = CredentialSlot("DISCORD_BOT_TOKEN", "BotToken", "apikey-header", "Authorization")
    assert read_slot(slot, {"authorization": "Bot abc123"}, {}, {}, None) == "abc123"
    assert read_slot(slot, {"authorization": "abc123"}, {}, {}, None) == "abc123"
    declared = CredentialSlot("CLOUDINVOICE_API_KEY", "TokenAuth", "apikey-header", "Authorization", prefix="Token ")
    assert read_slot(declared, {"authorization": "Bearer abc123"}, {}, {}, None) is None


def test_a_stored_object_renders_to_the_same_pdf_whenever_it_is_downloaded() -> None:
    """fpdf2 stamps the render time into /CreationDate and the /ID hash: two downloads of one invoice a second
    apart differed (a client comparing a download with its stream saw two documents). The stamp is now the
    object's own created_at, so the bytes depend on the object alone."""
    import time

    from conformance.mock.views import render_view

    invoice = {"id": 7, "number": "INV-0007", "created_at": 1_700_000_000, "items": [{"name": "Widget", "qty": 1}]}
    first, media = render_view("pdf", "invoices", invoice)
    time.sleep(1.1)
    assert media == "application/pdf" and render_view("pdf", "invoices", invoice)[0] == first
    assert b"D:20231114" in first  # 1_700_000_000 is 2023-11-14 22:13:20 UTC
    assert render_view("pdf", "invoices", {**invoice, "created_at": 1_600_000_000})[0] != first
