"""The real-world peer table (benchmarks.peers): each metric on small inputs, and on what each of the three tools
really generates from a tiny spec.

The tool runs are slow. A tool that is not installed skips them here, naming `bash .ci/portability-tools`; in CI
(``CI`` set, as ``.ci/run`` sets it after running that script) a missing tool fails the test instead.
"""

from __future__ import annotations

import ast
import json
import os
from pathlib import Path

import pytest

from benchmarks.corpus import Entry
from benchmarks.peers import (
    TOOLS,
    Generator,
    Method,
    Package,
    ToolRow,
    check_tool,
    generator,
    glued,
    pages,
    spec_facts,
    summary,
    takes_file,
    untyped,
)
from benchmarks.realworld import main as realworld_main

PET = {"$ref": "#/components/schemas/Pet"}
# four operations: a cursor list, a read, an upload with a file part and a text field, and an operation without an
# operationId on a path with a file extension (the name a tool makes for it may glue the verb to the path)
TINY = {
    "openapi": "3.0.3",
    "info": {"title": "Tiny pets", "version": "1.0"},
    "servers": [{"url": "https://api.example.com"}],
    "paths": {
        "/pets": {
            "get": {
                "operationId": "listPets",
                "tags": ["pets"],
                "parameters": [
                    {"name": "starting_after", "in": "query", "schema": {"type": "string"}},
                    {"name": "limit", "in": "query", "schema": {"type": "integer"}},
                ],
                "responses": {
                    "200": {
                        "description": "a page of pets",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "required": ["data", "has_more"],
                                    "properties": {
                                        "data": {"type": "array", "items": PET},
                                        "has_more": {"type": "boolean"},
                                    },
                                }
                            }
                        },
                    }
                },
            }
        },
        "/pets/{petId}": {
            "get": {
                "operationId": "getPet",
                "tags": ["pets"],
                "parameters": [{"name": "petId", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {"200": {"description": "one pet", "content": {"application/json": {"schema": PET}}}},
            }
        },
        "/pets/{petId}/photo": {
            "post": {
                "operationId": "uploadPhoto",
                "tags": ["pets"],
                "parameters": [{"name": "petId", "in": "path", "required": True, "schema": {"type": "string"}}],
                "requestBody": {
                    "required": True,
                    "content": {
                        "multipart/form-data": {
                            "schema": {
                                "type": "object",
                                "required": ["file"],
                                "properties": {
                                    "file": {"type": "string", "format": "binary"},
                                    "caption": {"type": "string"},
                                },
                            }
                        }
                    },
                },
                "responses": {"200": {"description": "the pet", "content": {"application/json": {"schema": PET}}}},
            }
        },
        "/Messages.json": {
            "post": {
                "tags": ["messages"],
                "requestBody": {
                    "content": {
                        "application/json": {"schema": {"type": "object", "properties": {"to": {"type": "string"}}}}
                    }
                },
                "responses": {
                    "201": {"description": "anything", "content": {"application/json": {"schema": {"type": "object"}}}}
                },
            }
        },
    },
    "components": {
        "schemas": {
            "Pet": {
                "type": "object",
                "required": ["id", "name"],
                "properties": {"id": {"type": "string"}, "name": {"type": "string"}},
            }
        }
    },
}


@pytest.fixture
def tiny(tmp_path: Path) -> Entry:
    path = tmp_path / "tiny.json"
    path.write_text(json.dumps(TINY), encoding="utf-8")
    return Entry(path, "example.com/tiny", 4, "3.0")


def _package(tmp_path: Path, source: str) -> Package:
    root = tmp_path / "pkg"
    root.mkdir(exist_ok=True)
    (root / "m.py").write_text(source, encoding="utf-8")
    return Package.read(root)


# --- each metric on small inputs ------------------------------------------------------------------------------


def test_the_spec_side_counts_lists_typed_json_responses_and_file_parts(tiny: Entry) -> None:
    facts = spec_facts(tiny.path, "tiny")
    assert facts.operations == {
        ("GET", "/pets"),
        ("GET", "/pets/{}"),
        ("POST", "/pets/{}/photo"),
        ("POST", "/Messages.json"),
    }
    assert facts.lists == {("GET", "/pets")}
    # the free-form {"type": "object"} answer of /Messages.json says nothing a client could type
    assert facts.typed_json == {("GET", "/pets"), ("GET", "/pets/{}"), ("POST", "/pets/{}/photo")}
    assert facts.file_parts == {("POST", "/pets/{}/photo"): {"file"}}


@pytest.mark.parametrize(
    ("name", "method", "path", "expected"),
    [
        ("post_messages_json", "POST", "/Messages.json", True),  # the verb first, then the path
        ("messages_json_post", "POST", "/Messages.json", True),  # the path, then the verb
        ("messages_json", "POST", "/Messages.json", True),  # the file extension kept
        ("put_folder_id_add_shared_link", "PUT", "/folders/{folder_id}#add_shared_link", True),
        ("post_account_holder_balance", "POST", "/accountHolderBalance", True),
        ("get_pet", "GET", "/pets/{petId}", False),  # "pet" is only the parameter's word
        ("list_pets", "GET", "/pets", False),
        ("retrieve", "GET", "/pets/{petId}", False),
        ("get_pets", "POST", "/pets", False),  # another verb than the operation's
        # the path's own action name, a segment that begins with the verb (Google's custom methods)
        (
            "get_iam_policy",
            "GET",
            "/deploymentmanager/v2beta/projects/{project}/global/deployments/{resource}/getIamPolicy",
            False,
        ),
        ("get_iam_policy", "GET", "/v1beta1/{resource}:getIamPolicy", False),
        ("get_destination", "GET", "/getDestination#id", False),
        # the act (get, delete), then exactly one segment's words: what a person would write
        ("delete_template", "DELETE", "/api/services/{serviceId}/template", False),
        (
            "delete_vault_extended_info",
            "DELETE",
            "/managers/{managerName}/extendedInformation/vaultExtendedInfo",
            False,
        ),
        ("get_messages", "GET", "/Messages.json", False),
        # but not HTTP's own words, nor more than one segment, nor a parameter's or the extension's word
        ("post_template", "POST", "/api/services/{serviceId}/template", True),
        ("delete_services_template", "DELETE", "/api/services/{serviceId}/template", True),
        ("delete_folders_id", "DELETE", "/folders/{id}", True),
        ("get_messages_json", "GET", "/Messages.json", True),
        ("template_delete", "DELETE", "/api/services/{serviceId}/template", True),
    ],
)
def test_glued_names_are_the_verb_and_the_paths_own_words(name: str, method: str, path: str, expected: bool) -> None:
    assert glued(name, method, path) is expected


@pytest.mark.parametrize(
    ("annotation", "expected"),
    [
        ("dict[str, Any]", True),
        ("Dict[str, object]", True),
        ("object", True),
        ("Optional[Any]", True),
        ("None", True),
        ("", True),
        ("Pet", False),
        ("Pet | Error | None", False),
        ("Optional[Union[Pet, Dict[str, Any]]]", False),
        ("list[Pet]", False),
        ("dict[str, int]", False),
        ("Response[Any]", True),  # a generic class of the package is opened to what it carries
        ("Response[Pet]", False),
    ],
)
def test_untyped_returns_carry_no_type_of_the_response(tmp_path: Path, annotation: str, expected: bool) -> None:
    package = _package(tmp_path, "class Response:\n    status_code: int\n")
    assert untyped(annotation, package) is expected


def test_a_return_pages_when_it_is_an_iterator_or_a_package_class_that_iterates(tmp_path: Path) -> None:
    source = (
        "class BasePage:\n    def __iter__(self): ...\n"
        "class SyncPage(BasePage):\n    items: list\n"
        "class AsyncPager:\n    def __aiter__(self): ...\n"
        "class PetList:\n    data: list\n"
    )
    package = _package(tmp_path, source)
    assert pages("SyncPage[types.Pet]", package)  # through its base
    assert pages("AsyncPager[Pet]", package)
    assert pages("Iterator[Pet]", package)
    assert not pages("PetList", package)
    assert not pages("list[Pet]", package)
    assert not pages("BaseModel", package)  # pydantic's __iter__ is not the package's


def test_a_file_argument_is_named_for_a_file_part_and_typed_as_a_file(tmp_path: Path) -> None:
    source = (
        "FileInput = bytes | IO[bytes]\n"
        "class File:\n    payload: BinaryIO\n"
        "class UploadBody:\n    file: File\n    caption: str\n"
        "class RawBody:\n    caption: str\n"
    )
    package = _package(tmp_path, source)

    def method(*params: tuple[str, str]) -> Method:
        return Method("upload", "POST", "/up", "None", params)

    assert takes_file(method(("file", "FileInput"), ("caption", "str")), {"file"}, package)  # an alias
    assert takes_file(method(("body", "UploadBody")), {"file"}, package)  # a body model's field, a File class
    assert takes_file(
        method(("file", "Union[StrictBytes, StrictStr, Tuple[StrictStr, StrictBytes]]")), {"file"}, package
    )
    assert not takes_file(method(("body", "bytes")), {"file"}, package)  # the whole body as bytes: no file argument
    assert not takes_file(method(("file", "str")), {"file"}, package)
    assert not takes_file(method(("body", "RawBody")), {"file"}, package)


def test_a_missing_tool_is_a_reason_not_a_gap(tiny: Entry, tmp_path: Path) -> None:
    absent = Generator("openapi-generator", (), "", "java (17) is not installed: run `bash .ci/portability-tools`")
    row = check_tool(absent, tiny, spec_facts(tiny.path, "tiny"), tmp_path)
    assert not row.generated and row.imports is None and row.mypy_errors is None
    assert row.problems == [f"not run: {absent.missing}"]
    assert "0 of 1" in summary([row]).splitlines()[2]


def test_the_summary_adds_each_column_over_a_tools_specs() -> None:
    rows = [
        ToolRow("t", "a", 4, True, True, 3, methods=4, typed_json=3, untyped=1, glued=2, lists=2, paginated=1, whole=1),
        ToolRow("t", "b", 2, True, False, None, methods=1, typed_json=1, lists=1, multipart=1, uploads=1),
        ToolRow("t", "c", 3, problems=["generate: timed out after 300s"]),
        ToolRow("u", "a", 4, True, True, 0, methods=4),
    ]
    table = summary(rows).splitlines()
    cells = [c.strip() for c in table[2].strip("|").split("|")]
    # lists: 1 of 3 paged, and of the 2 with something to page (spec a's second list answers its whole collection)
    expected = [
        "t",
        "2 of 3",
        "1 of 3",
        "3 (0 of 3), 1 not checked",
        "5 of 9",
        "1 of 4",
        "2",
        "1 of 3 (1 of 2)",
        "1 of 1",
    ]
    assert cells[:-1] == expected
    assert [c.strip() for c in table[3].strip("|").split("|")][:4] == ["u", "1 of 1", "1 of 1", "0 (1 of 1)"]


def test_an_operation_without_a_callable_comes_with_what_the_tool_said_of_it() -> None:
    from benchmarks.peers import _said
    from benchmarks.proc import Run

    said = (
        "WARNING parsing GET /2013/cidr/{CidrId} within default.\nCannot parse response\n"
        "WARNING parsing POST /2013/cidr within default. Endpoint will not be generated.\nReference not found\n"
    )
    run = Run((), 0, 1.0, 0, said, "")
    assert _said(run, [("POST", "/2013/cidr")]).endswith("Endpoint will not be generated. Reference not found")
    assert _said(run, [("GET", "/2013/cidr/{}")]).endswith("within default. Cannot parse response")
    assert _said(run, [("PUT", "/2013/cidr")]) == "PUT /2013/cidr: the tool said nothing about it"


# --- each tool, really run ------------------------------------------------------------------------------------


def _installed(tool: str) -> Generator:
    found = generator(tool)
    if found.missing:
        if os.environ.get("CI"):  # .ci/run installs every tool first (.ci/portability-tools): missing is a failure
            pytest.fail(f"{tool}: {found.missing}", pytrace=False)
        pytest.skip(f"{tool}: {found.missing}")
    return found


# what the tiny spec must give, tool by tool: (auto-paginated lists, glued names)
EXPECTED = {
    "specforge": (1, 0),  # cursor list recognised; names from operationIds and verbs (create for /Messages.json)
    "openapi-python-client": (0, 1),  # post_messages_json
    "openapi-generator": (0, 1),  # messages_json_post
}


@pytest.mark.slow
@pytest.mark.parametrize("tool", TOOLS)
def test_each_tool_on_a_tiny_spec(tool: str, tiny: Entry, tmp_path: Path) -> None:
    gen = _installed(tool)
    row = check_tool(gen, tiny, spec_facts(tiny.path, "tiny"), tmp_path / "work")
    assert row.generated and row.imports, row.problems
    assert row.mypy_errors is not None, row.problems  # it ran; ours must have none
    assert row.mypy_errors == 0 or tool != "specforge", row.problems
    assert (row.methods, row.operations) == (4, 4), row.problems
    assert (row.untyped, row.typed_json) == (0, 3), row.problems
    assert (row.lists, row.multipart, row.uploads) == (1, 1, 1), row.problems
    assert (row.paginated, row.glued) == EXPECTED[tool], row.problems
    assert all("operations have no callable" not in p for p in row.problems), row.problems


@pytest.mark.slow
@pytest.mark.parametrize("tool", ["openapi-python-client", "openapi-generator"])
def test_the_peers_write_no_pager(tool: str, tiny: Entry, tmp_path: Path) -> None:
    """No class of their output iterates (``__iter__``/``__aiter__``) and no callable returns an iterator: what
    the pagination column reads as 0 is their code, not an assumption."""
    gen = _installed(tool)
    work = tmp_path / "work"
    check_tool(gen, tiny, spec_facts(tiny.path, "tiny"), work)
    packages = [p for p in (work / tool).glob("*/rw_example_com_tiny") if p.is_dir()]
    assert packages, f"no package under {work / tool}"
    package = Package.read(packages[0])
    assert package.classes, "the package has no classes: the reader looked in the wrong place"
    assert not [name for name in package.classes if package.iterable(name)]
    for path in packages[0].rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.returns is not None:
                assert not pages(ast.unparse(node.returns), package), f"{path}: {node.name}"


@pytest.mark.slow
def test_a_tool_that_fails_says_why(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps({"openapi": "3.0.3", "paths": {"/x": {"get": {"responses": "no"}}}}), "utf-8")
    entry = Entry(broken, "example.com/broken", 1, "3.0")
    from benchmarks.peers import SpecFacts

    empty = SpecFacts(frozenset(), frozenset(), frozenset(), {})
    row = check_tool(_installed("openapi-python-client"), entry, empty, tmp_path / "work")
    assert not row.generated
    assert row.problems and row.problems[0].startswith("generate: exit "), row.problems
    timed = check_tool(_installed("openapi-generator"), entry, empty, tmp_path / "work2", timeout=0.2)
    assert not timed.generated and timed.problems == ["generate: timed out after 0s"], timed.problems


@pytest.mark.slow
def test_the_command_writes_the_report_with_its_command_and_machine(tmp_path: Path) -> None:
    report = tmp_path / "REALWORLD.md"
    assert realworld_main(["--count", "0", "--peers", "--report", str(report)]) == 0
    text = report.read_text(encoding="utf-8")
    assert f"Written by `python -m benchmarks.realworld --count 0 --peers --report {report}`; do not edit." in text
    assert "Machine: date: " in text and "cores: " in text
    assert "| tool | specs generated |" in text


def test_the_realworld_summary_gives_the_share_of_paged_lists_both_ways() -> None:
    from benchmarks.realworld import Row, table

    rows = [Row("a", 10, lists=8, paginated=5, unpositioned=3, whole=2), Row("b", 4, lists=2, paginated=2)]
    summary = table(rows).splitlines()[-1]
    assert "lists paginated: 7 of 10 (70 % of all lists;" in summary
    assert "returns the whole collection, nothing to page: 2 lists;" in summary
    assert "of the 8 lists with something to page, 7 paginated (88 %)" in summary
