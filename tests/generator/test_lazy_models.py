"""Models cost nothing until used: validators are built on first use, and a large spec's models sit one per module,
imported when first asked for (with the models they refer to), so touching one model of a Stripe-sized package does
not create a thousand classes."""

from __future__ import annotations

import gc
import importlib
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx2
import pytest
from pydantic import ValidationError

from generator.client import lazymodels
from generator.client.pipeline import generate_files
from generator.client.write import write_tree
from tests.generator.conftest import GenerateClient


def _spec() -> dict[str, Any]:
    ref = "#/components/schemas/"
    node = {"$ref": ref + "Node"}
    return {
        "openapi": "3.0.3",
        "info": {"title": "Graph", "version": "1"},
        "servers": [{"url": "https://graph.example"}],
        "paths": {
            "/nodes/{id}": {
                "get": {
                    "operationId": "getNode",
                    "parameters": [
                        {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}},
                        # a long enum: a named Literal alias in types (an annotated assignment, not a class)
                        {"name": "view", "in": "query", "schema": {"type": "string", "enum": ["a", "b", "c", "d"]}},
                    ],
                    "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": node}}}},
                }
            },
            "/links": {
                "post": {
                    "operationId": "createLink",
                    # a key that is no identifier: the params TypedDict takes the functional form, whose quoted
                    # annotations name typing's NotRequired and another model (Adyen's checkout spec has these)
                    "requestBody": {"content": {"application/json": {"schema": {"$ref": ref + "Link"}}}},
                    "responses": {"204": {"description": "linked"}},
                }
            },
        },
        "components": {
            "schemas": {
                # Node and Edge refer to each other: a cycle the modules must not import eagerly
                "Node": {
                    "type": "object",
                    "required": ["id"],
                    "properties": {
                        "id": {"type": "string"},
                        "kind": {"$ref": ref + "Kind"},
                        "edges": {"type": "array", "items": {"$ref": ref + "Edge"}},
                        "label": {"$ref": ref + "Label"},
                    },
                },
                "Edge": {
                    "type": "object",
                    "properties": {"to": {"$ref": ref + "Node"}, "weight": {"type": "number"}},
                },
                "Kind": {"type": "string", "enum": ["leaf", "branch"], "default": "leaf"},
                "Label": {"type": "string", "maxLength": 20},
                "Special": {"allOf": [node, {"type": "object", "properties": {"x": {"type": "integer"}}}]},
                "Unrelated": {"type": "object", "properties": {"name": {"type": "string"}}},
                "Link": {
                    "type": "object",
                    "properties": {"threeds2.result": {"type": "string"}, "edge": {"$ref": ref + "Edge"}},
                },
                # Stripe's shape: an expandable field, an id or one of two objects that both take any keys; pydantic
                # picks the member that sets the most fields, which a lazily built union must pick too
                "Payment": {
                    "type": "object",
                    "properties": {
                        "source": {
                            "anyOf": [
                                {"type": "string", "maxLength": 10},
                                {"$ref": ref + "BankAccount"},
                                {"$ref": ref + "Card"},
                            ]
                        }
                    },
                },
                "BankAccount": {
                    "type": "object",
                    "additionalProperties": True,
                    "properties": {"id": {"type": "string"}, "bank_name": {"type": "string"}},
                },
                "Card": {
                    "type": "object",
                    "additionalProperties": True,
                    "properties": {
                        "id": {"type": "string"},
                        "brand": {"type": "string"},
                        "exp_month": {"type": "integer"},
                    },
                },
                # a name long enough that the formatter wraps the enum's bases over lines; its description names
                # another model, which is prose, not a reference (no import of Node)
                LONG: {"type": "string", "enum": ["x", "y"], "description": "How a Node is drawn."},
            }
        },
    }


LONG = "NodeRenderingPreferenceForTheGraphicalOverviewOfEveryConnectedComponentInTheWholeDocumentAndItsPrintedAppendix"
LONG_MODULE = (
    "node_rendering_preference_for_the_graphical_overview_of_every_connected_component_in_the_whole_document"
    "_and_its_printed_appendix"
)
PAYLOAD = {"id": "a", "kind": "branch", "label": "root", "edges": [{"to": {"id": "b", "edges": []}, "weight": 1.5}]}


@pytest.fixture
def split(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lazymodels, "SPLIT_ABOVE", 0)


def _loaded(package: str) -> set[str]:
    return {m.rsplit(".", 1)[1] for m in sys.modules if m.startswith(f"{package}.types._m_")}


def test_split_models_import_only_what_is_used_and_validate_through_cycles(
    split: None, generate_client: GenerateClient
) -> None:
    module = generate_client(_spec(), "graph")
    folder = Path(module.__file__ or "").parent
    assert sorted(p.name for p in (folder / "types").glob("_m_*.py")) == [
        "_m_bank_account.py",
        "_m_card.py",
        "_m_edge.py",
        "_m_edge_param.py",
        "_m_kind.py",
        "_m_link.py",
        "_m_link_param.py",
        "_m_node.py",
        "_m_node_param.py",
        f"_m_{LONG_MODULE}.py",
        "_m_node_view.py",
        "_m_payment.py",
        "_m_payment_source.py",
        "_m_special.py",
        "_m_unrelated.py",
    ]  # fmt: skip (Label, a constrained string, is no model: its constraint sits on Node's field)
    types = importlib.import_module("graph_client.types")
    assert _loaded("graph_client") == set()  # importing the package and ``types`` creates no model
    node = types.Node.model_validate(PAYLOAD)
    assert _loaded("graph_client") == {"_m_node", "_m_edge", "_m_kind"}  # Node and what it uses
    assert isinstance(node.edges[0], types.Edge) and isinstance(node.edges[0].to, types.Node)
    assert node.kind is types.Kind.branch and node.edges[0].to.kind is types.Kind.leaf  # the enum default
    with pytest.raises(ValueError, match="label"):
        types.Node.model_validate({**PAYLOAD, "label": "x" * 21})  # the alias's constraint holds
    special = types.Special.model_validate({"id": "s", "x": 3})
    assert isinstance(special, types.Node) and special.x == 3  # allOf kept as a subclass
    assert "Unrelated" in dir(types) and "_m_unrelated" not in _loaded("graph_client")
    with pytest.raises(AttributeError, match="has no attribute 'Missing'"):
        types.Missing  # noqa: B018


def test_a_split_model_builds_a_field_s_models_only_when_a_value_holds_one(
    split: None, generate_client: GenerateClient
) -> None:
    """Touching a model of a Stripe-sized package cost 1.2 s: building its validator built the 1,036 models its fields
    reach. A field naming models is now built when a value first reaches it (the ``DEFERRED`` marker)."""
    module = generate_client(_spec(), "graphdeferred")
    types = importlib.import_module("graphdeferred_client.types")
    node = types.Node.model_validate({"id": "a", "kind": "branch"})
    assert node.kind is types.Kind.branch and node.edges is None
    assert _loaded("graphdeferred_client") == {"_m_node", "_m_kind"}  # not Edge: no value held one
    node = types.Node.model_validate(PAYLOAD)
    assert _loaded("graphdeferred_client") == {"_m_node", "_m_kind", "_m_edge"}
    assert type(node.edges[0].to).__name__ == "Node" and node.edges[0].to.edges == []
    with pytest.raises(ValidationError) as caught:  # an error deep inside says where, as before
        types.Node.model_validate({"id": "a", "edges": [{"to": {"id": 5}}]})
    assert [e["loc"] for e in caught.value.errors()] == [("edges", 0, "to", "id")]
    source = (Path(module.__file__ or "").parent / "types" / "_m_node.py").read_text(encoding="utf-8")
    assert "DEFERRED" in source and "from ._m_edge import Edge" in source.split("if TYPE_CHECKING:")[1]


def test_a_lazily_built_union_picks_the_member_pydantic_picks(
    generate_client: GenerateClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both objects take any keys, so the first member to validate would win; pydantic picks the member that sets the
    most fields (its "smart" union), and the split package must agree with the one-module package, which builds it
    all at once. Before the union was built as a whole, 49 of 167 such Stripe cases (a card read as a bank account,
    a deleted application as an application) came out as another member."""
    whole = importlib.import_module(generate_client(_spec(), "payone").__name__ + ".types")
    monkeypatch.setattr(lazymodels, "SPLIT_ABOVE", 0)
    split = importlib.import_module(generate_client(_spec(), "paysplit").__name__ + ".types")
    assert split.Payment.model_validate({"source": "src_1"}).source == "src_1"
    # an id is no object: no model is imported or built to refuse it (the string's alias is imported)
    assert _loaded("paysplit_client") == {"_m_payment", "_m_payment_source"}
    card = {"id": "card_1", "brand": "visa", "exp_month": 1}
    bank = {"id": "ba_1", "bank_name": "STRIPE TEST BANK"}
    for value, member in ((card, "Card"), (bank, "BankAccount")):
        for types in (whole, split):
            assert type(types.Payment.model_validate({"source": value}).source).__name__ == member
    for types in (whole, split):
        with pytest.raises(ValidationError) as caught:
            types.Payment.model_validate({"source": "x" * 11})
        assert {e["type"] for e in caught.value.errors()} == {"string_too_long", "model_type"}


def test_a_split_model_s_json_schema_is_the_one_module_model_s(
    generate_client: GenerateClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Through a cycle (Node, Edge, Node) too. A field validated lazily gets a title where pydantic leaves a field
    that is only a reference without one; nothing else differs."""
    whole = importlib.import_module(generate_client(_spec(), "schemaone").__name__ + ".types")
    monkeypatch.setattr(lazymodels, "SPLIT_ABOVE", 0)
    split = importlib.import_module(generate_client(_spec(), "schemasplit").__name__ + ".types")

    def untitled(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: untitled(v) for k, v in value.items() if k != "title"}
        return [untitled(v) for v in value] if isinstance(value, list) else value

    for name in ("Node", "Edge", "Special", "Payment", "Link"):
        schema = getattr(split, name).model_json_schema()
        assert untitled(schema) == untitled(getattr(whole, name).model_json_schema()), name
    assert split.Node.model_json_schema()["$defs"]["Edge"]["properties"]["to"]["anyOf"][0] == {"$ref": "#/$defs/Node"}


def test_split_models_parse_a_response_like_single_module_models(split: None, generate_client: GenerateClient) -> None:
    module = generate_client(_spec(), "graphclient")

    def handler(request: httpx2.Request) -> httpx2.Response:
        return httpx2.Response(200, json=PAYLOAD)

    client = module.Client(http_client=httpx2.Client(transport=httpx2.MockTransport(handler)))
    node = client.nodes.retrieve("a")
    assert type(node).__name__ == "Node" and node.edges[0].to.id == "b"
    edges = [{"to": {"id": "b", "edges": [], "kind": "leaf"}, "weight": 1.5}]
    assert node.model_dump(mode="json", exclude_none=True) == PAYLOAD | {"edges": edges}


def test_split_package_passes_ruff_and_mypy_strict(split: None, tmp_path: Path) -> None:
    spec = tmp_path / "graph.json"
    spec.write_text(json.dumps(_spec()), encoding="utf-8")
    write_tree(tmp_path / "out", generate_files(spec, api="graph", regenerate="x", generator_version="0").files)
    for command in (["ruff", "check", "-q", "."], ["mypy", "--strict", "--no-incremental", "graph_client"]):
        run = subprocess.run([sys.executable, "-m", *command], cwd=tmp_path / "out", capture_output=True, text=True)
        assert run.returncode == 0, f"{command[0]}: {run.stdout[-3000:]}"


def test_small_specs_keep_one_module_whose_models_build_on_first_use(generate_client: GenerateClient) -> None:
    module = generate_client(_spec(), "graphone")
    types = importlib.import_module("graphone_client.types")
    folder = Path(module.__file__ or "").parent / "types"
    assert [p.name for p in folder.iterdir() if p.suffix == ".py"] == ["__init__.py"]
    source = (folder / "__init__.py").read_text(encoding="utf-8")
    assert "model_rebuild()" not in source
    assert not types.Node.__pydantic_complete__  # nothing built at import
    assert types.Node.model_validate(PAYLOAD).edges[0].to.id == "b"
    assert types.Node.__pydantic_complete__


def test_a_response_that_deviates_parses_leniently_through_split_models(
    split: None, generate_client: GenerateClient
) -> None:
    """The lenient walk reads the fields of models nothing has built yet (their annotations name other modules)."""
    module = generate_client(_spec(), "graphlenient")

    def handler(request: httpx2.Request) -> httpx2.Response:
        return httpx2.Response(200, json={**PAYLOAD, "edges": [{"to": {"edges": []}, "weight": "heavy"}]})

    client = module.Client(http_client=httpx2.Client(transport=httpx2.MockTransport(handler)))
    node = client.nodes.retrieve("a")
    types = importlib.import_module("graphlenient_client.types")
    assert isinstance(node.edges[0], types.Edge) and isinstance(node.edges[0].to, types.Node)
    assert node.edges[0].weight == "heavy"  # kept as sent
    found = {(d.pointer, d.kind) for d in module.deviations(node)}
    assert found == {("/edges/0/to/id", "missing"), ("/edges/0/weight", "type")}


def test_splitting_reads_the_models_module_once_and_no_model_again(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """GitHub's description (over 1,000 operations) spent 35 s splitting its models: each model's text was parsed
    again, and each definition walked four times, to find the names it uses. It is read once now; the split files are
    the same (the other tests here check what they hold)."""
    spec = tmp_path / "graph.json"
    spec.write_text(json.dumps(_spec()), encoding="utf-8")
    source = generate_files(spec, api="graph", regenerate="x", generator_version="0").files[
        "graph_client/types/__init__.py"
    ]
    parsed: list[int] = []
    real_parse = lazymodels.ast.parse

    collecting: list[bool] = []

    def counting(text: str, *args: Any, **kwargs: Any) -> Any:
        parsed.append(len(text))
        collecting.append(gc.isenabled())
        return real_parse(text, *args, **kwargs)

    monkeypatch.setattr(lazymodels.ast, "parse", counting)
    files = lazymodels.types_files("graph_client", source, "# header", split_above=0)
    assert len(files) > 8 and "graph_client/types/_m_node.py" in files, sorted(files)
    assert parsed == [len(source)], parsed
    # and without cyclic garbage collection while its nodes are made (3 s of GitHub's 4 s were collections), which
    # comes back on afterwards
    assert collecting == [False] and gc.isenabled()
