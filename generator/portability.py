"""Our specs for other languages: openapi-generator settings per language, derived from the spec itself.

A faithful property name that is no identifier in a target language (onFact's ``_``) carries a language-name
extension (``x-go-name``, read by oapi-codegen and go-swagger); openapi-generator reads none, so its Go
settings get the same names as ``nameMappings``. A deepObject query parameter whose schema is a named free-form
map (Invoiced's ``filter[...]``) is mapped, for Java, to a small class of ours that writes bracket notation.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from apimodel.diagnostics import escape_pointer
from apimodel.loader import resolve_pointer
from apimodel.walk import iter_operations, local_ref_target

__all__ = [
    "GO_NAME",
    "JAVA_DEEP_OBJECT_CLASS",
    "LANGUAGES",
    "NAME_EXTENSIONS",
    "Language",
    "generator_config",
    "iter_properties",
]

GO_NAME = "x-go-name"
NAME_EXTENSIONS: tuple[str, ...] = (GO_NAME,)
"""Extensions that give a property a name of its own in a target language."""

JAVA_DEEP_OBJECT_CLASS = "specforge.openapi.DeepObjectQuery"


@dataclass(frozen=True)
class Language:
    """One target language: the openapi-generator it uses and the settings it needs, each with its reason."""

    key: str
    generator: str
    properties: tuple[tuple[str, object, str], ...]  # (additional property, value, why)


_COMMON: tuple[tuple[str, object, str], ...] = (("hideGenerationTimestamp", True, "regenerating gives the same files"),)

LANGUAGES: tuple[Language, ...] = (
    Language("typescript", "typescript-fetch", _COMMON),
    Language(
        "go",
        "go",
        (
            *_COMMON,
            ("packageName", "{api}", "one Go package per API"),
        ),
    ),
    Language(
        "java",
        "java",
        (
            *_COMMON,
            ("library", "native", "java.net.http and Jackson only: no OkHttp, Gson or Gson-Fire to fetch"),
            ("openApiNullable", False, "no jackson-databind-nullable dependency; nullable fields are plain"),
            ("useJakartaEe", True, "jakarta.annotation, which Debian packages (libjakarta-annotation-api-java)"),
            ("invokerPackage", "specforge.{api}", "one package per API"),
            ("apiPackage", "specforge.{api}.api", "one package per API"),
            ("modelPackage", "specforge.{api}.model", "one package per API"),
        ),
    ),
)

_GLOBAL = {"skipFormModel": "false"}  # multipart bodies keep their model (BitFaktura's logo upload)


def iter_properties(data: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """Every named property of every schema in the document: (pointer of the property, name, schema)."""
    stack: list[tuple[Any, str]] = [(data, "")]
    while stack:
        node, pointer = stack.pop()
        if isinstance(node, dict):
            properties = node.get("properties")
            if isinstance(properties, dict):
                for name, schema in properties.items():
                    if isinstance(schema, dict):
                        yield f"{pointer}/properties/{escape_pointer(str(name))}", str(name), schema
            for key, value in node.items():
                if isinstance(value, dict | list):
                    stack.append((value, f"{pointer}/{escape_pointer(str(key))}"))
        elif isinstance(node, list):
            stack.extend((value, f"{pointer}/{index}") for index, value in enumerate(node))


def _name_mappings(data: dict[str, Any], extension: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for _, name, schema in iter_properties(data):
        value = schema.get(extension)
        if isinstance(value, str) and value:
            found.setdefault(name, value)
    return dict(sorted(found.items()))


def _free_form_map(schema: Any) -> bool:
    return (
        isinstance(schema, dict)
        and schema.get("type", "object") == "object"
        and not schema.get("properties")
        and isinstance(schema.get("additionalProperties"), dict)
    )


def _schema_name(data: dict[str, Any], node: Any) -> str | None:
    """The component name a ``$ref`` names, when that component is a free-form map."""
    ref = node.get("$ref") if isinstance(node, dict) else None
    target = local_ref_target(ref) if isinstance(ref, str) else None
    if target and target.startswith("/components/schemas/") and _free_form_map(_resolve(data, node)):
        return target.rsplit("/", 1)[1]
    return None


def _one_of_maps(data: dict[str, Any]) -> list[str]:
    """Free-form map components among the choices of a oneOf or anyOf (an error message: a string or a map).

    openapi-generator's Java writes ``Map<String, String>.class`` for such a choice, which does not compile;
    mapped to the raw ``Map`` the choice compiles and reads as a map."""
    names: set[str] = set()
    stack: list[Any] = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            for key in ("oneOf", "anyOf"):
                for choice in node.get(key) or ():
                    if name := _schema_name(data, choice):
                        names.add(name)
            stack.extend(v for v in node.values() if isinstance(v, dict | list))
        elif isinstance(node, list):
            stack.extend(v for v in node if isinstance(v, dict | list))
    return sorted(names)


def _deep_object_maps(data: dict[str, Any]) -> list[str]:
    """Names of component schemas that are free-form maps sent as deepObject query parameters."""
    names: set[str] = set()
    for op in iter_operations(data):
        for parameter in [*(op.path_item.get("parameters") or []), *(op.operation.get("parameters") or [])]:
            parameter = _resolve(data, parameter)
            if not isinstance(parameter, dict) or parameter.get("style") != "deepObject":
                continue
            if name := _schema_name(data, parameter.get("schema")):
                names.add(name)
    return sorted(names)


def _resolve(data: dict[str, Any], node: Any) -> Any:
    if isinstance(node, dict) and isinstance(node.get("$ref"), str) and (target := local_ref_target(node["$ref"])):
        try:
            return resolve_pointer(data, target)
        except KeyError:
            return None
    return node


def generator_config(language: Language, data: dict[str, Any], api: str) -> dict[str, Any]:
    """The openapi-generator config file (``-c``) for one spec in one language."""
    config: dict[str, Any] = {
        "generatorName": language.generator,
        "additionalProperties": {
            key: value.format(api=api) if isinstance(value, str) else value
            for key, value, _ in language.properties
            if key != "library"
        },
        "globalProperties": dict(_GLOBAL),
    }
    library = next((value for key, value, _ in language.properties if key == "library"), None)
    if library is not None:
        config["library"] = library
    if language.key == "go" and (names := _name_mappings(data, GO_NAME)):
        config["nameMappings"] = names
    if language.key == "java":
        mappings = {
            **dict.fromkeys(_one_of_maps(data), "Map"),
            **dict.fromkeys(_deep_object_maps(data), JAVA_DEEP_OBJECT_CLASS),
        }
        if mappings:
            config["schemaMappings"] = dict(sorted(mappings.items()))
    return config
