"""A user's project: which specs to validate, generate and conform, read from ``[tool.specforge]``.

The configuration lives in ``specforge.toml`` (top-level keys) or in ``pyproject.toml`` under
``[tool.specforge]``, in the current folder or the nearest one above it. Relative paths resolve against the
folder of that file, never against the current directory::

    [tool.specforge]
    max-examples = 5                     # conform: generated cases per operation and phase

    [tool.specforge.apis.billing]        # the API's name: <NAME>_BASE_URL, credentials' variables, the mock's /billing
    spec = "openapi/billing.yaml"        # a file, or one of specforge's own APIs by name ("bitfaktura")
    out = "clients/billing"              # where `specforge generate` writes the client project (omit: not generated)
    package = "billing_client"           # the Python package (default: <name>_client)

Every problem is a :class:`ConfigError` of one line naming the file and the key.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from apimodel.project import API_NAMES, SPECS_DIR, display_path

__all__ = ["FILE_NAMES", "ApiEntry", "ConfigError", "ProjectConfig", "discover", "find_config", "load_config"]

FILE_NAMES: tuple[str, ...] = ("specforge.toml", "pyproject.toml")

Profile = Literal["house", "generic"]

_TOP_KEYS = {"apis": "a table", "max-examples": "an integer", "seed": "an integer", "report": "a string"}
_API_KEYS = {
    "spec": "a string", "out": "a string", "package": "a string", "profile": "a string", "conform": "a boolean"
}  # fmt: skip
_API_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
_PACKAGE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_TYPES: dict[str, type] = {"a table": dict, "an integer": int, "a string": str, "a boolean": bool}


class ConfigError(Exception):
    """A configuration file specforge cannot use; ``str()`` is one line naming the file and the key."""


@dataclass(frozen=True)
class ApiEntry:
    """One API of the project."""

    name: str
    spec: Path  # absolute (ours: inside specforge's specs)
    spec_label: str  # how generated headers name it: relative to the config's folder, or specs/<api>.yaml
    builtin: bool  # one of specforge's own APIs, named by ``spec = "<api>"``
    out: Path | None  # absolute; None when it is not generated
    out_label: str
    package: str
    profile: Profile
    conform: bool

    @property
    def target(self) -> str:
        """What ``load_api``, ``create_app`` and the conformance runs take: ``NAME=PATH`` (or our API's name)."""
        return self.name if self.builtin and self.spec.stem == self.name else f"{self.name}={self.spec}"


@dataclass(frozen=True)
class ProjectConfig:
    path: Path
    apis: tuple[ApiEntry, ...]
    max_examples: int | None = None
    seed: int | None = None
    report: Path | None = None

    @property
    def root(self) -> Path:
        return self.path.parent

    def select(self, names: tuple[str, ...]) -> list[ApiEntry]:
        """The entries named (all when none is); an unknown name is a one-line error listing the known ones."""
        known = {entry.name: entry for entry in self.apis}
        unknown = [name for name in names if name not in known]
        if unknown:
            raise ConfigError(
                f"{display_path(self.path)}: no API {', '.join(unknown)} in the configuration; "
                f"it lists {', '.join(known) or 'none'}"
            )
        return [known[name] for name in names] if names else list(self.apis)


def _section(path: Path, data: dict[str, Any]) -> tuple[dict[str, Any] | None, str]:
    if path.name == "pyproject.toml":
        tool = data.get("tool")
        section = tool.get("specforge") if isinstance(tool, dict) else None
        return (section if isinstance(section, dict) else None), "tool.specforge."
    return data, ""


def _read(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{display_path(path)}: cannot be read ({exc.strerror})") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{display_path(path)}: is not UTF-8 text; save it as UTF-8") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{display_path(path)}: is not valid TOML ({exc})") from None


def find_config(start: Path) -> Path | None:
    """The nearest ``specforge.toml``, or ``pyproject.toml`` with ``[tool.specforge]``, at or above ``start``."""
    for folder in [start, *start.parents]:
        for name in FILE_NAMES:
            candidate = folder / name
            if not candidate.is_file():
                continue
            if name == "pyproject.toml" and "specforge" not in candidate.read_text(encoding="utf-8"):
                continue  # most projects' pyproject.toml: no need to parse it
            if _section(candidate, _read(candidate))[0] is not None:
                return candidate
    return None


def _check_keys(file: str, prefix: str, table: dict[str, Any], allowed: dict[str, str]) -> None:
    for key, value in table.items():
        if key not in allowed:
            raise ConfigError(f"{file}: {prefix}{key}: unknown key; use one of {', '.join(sorted(allowed))}")
        expected = allowed[key]
        if not isinstance(value, _TYPES[expected]) or (expected == "an integer" and isinstance(value, bool)):
            raise ConfigError(f"{file}: {prefix}{key}: {value!r} is not {expected}")


def _entry(config: Path, file: str, prefix: str, name: str, table: dict[str, Any]) -> ApiEntry:
    where = f"{file}: {prefix}"
    if not _API_NAME.fullmatch(name):
        raise ConfigError(f"{where[:-1]}: API name {name!r}: use letters, digits and _, starting with a letter")
    _check_keys(file, prefix, table, _API_KEYS)
    if "spec" not in table:
        raise ConfigError(f"{where}spec: missing; name the API's OpenAPI file (relative to {config.name}'s folder)")
    raw_spec = str(table["spec"])
    builtin = raw_spec in API_NAMES
    spec = SPECS_DIR / f"{raw_spec}.yaml" if builtin else (config.parent / raw_spec).resolve()
    if not spec.is_file():
        raise ConfigError(f"{where}spec: {raw_spec} does not exist (relative to {display_path(config.parent)}/)")
    label = f"specs/{raw_spec}.yaml" if builtin else spec.relative_to(config.parent).as_posix()
    out = (config.parent / str(table["out"])).resolve() if "out" in table else None
    package = str(table.get("package") or f"{name.lower()}_client")
    if not _PACKAGE.fullmatch(package):
        raise ConfigError(f"{where}package: {package!r} is not a Python package name; use letters, digits and _")
    if "package" in table and out is None:
        raise ConfigError(f"{where}package: goes with out (the folder to generate the package into)")
    profile = table.get("profile", "house" if builtin else "generic")
    if profile not in ("house", "generic"):
        raise ConfigError(f"{where}profile: {profile!r}; use house or generic")
    out_label = out.relative_to(config.parent).as_posix() if out and out.is_relative_to(config.parent) else str(out)
    return ApiEntry(name, spec, label, builtin, out, out_label, package, profile, bool(table.get("conform", True)))


def _check_outputs(file: str, prefix: str, entries: list[ApiEntry]) -> None:
    for index, entry in enumerate(entries):
        for other in entries[:index]:
            if entry.out is None or other.out is None:
                continue
            if entry.out == other.out or entry.out.is_relative_to(other.out) or other.out.is_relative_to(entry.out):
                raise ConfigError(
                    f"{file}: {prefix}apis.{entry.name}.out: {entry.out_label} overlaps "
                    f"{prefix}apis.{other.name}.out ({other.out_label}); give each API a folder of its own"
                )


def load_config(path: Path) -> ProjectConfig:
    """Read and check one configuration file; raise :class:`ConfigError` on the first problem."""
    path = path.resolve()
    file = display_path(path)
    section, prefix = _section(path, _read(path))
    if section is None:
        raise ConfigError(f"{file}: has no [tool.specforge] table")
    _check_keys(file, prefix, section, _TOP_KEYS)
    apis = section.get("apis", {})
    if not apis:
        raise ConfigError(f"{file}: {prefix}apis: missing or empty; add a [{prefix}apis.NAME] table with a spec")
    entries = []
    for name, table in apis.items():
        if not isinstance(table, dict):
            raise ConfigError(f"{file}: {prefix}apis.{name}: is a {type(table).__name__}, not a table")
        entries.append(_entry(path, file, f"{prefix}apis.{name}.", name, table))
    _check_outputs(file, prefix, entries)
    max_examples = section.get("max-examples")
    if max_examples is not None and max_examples < 1:
        raise ConfigError(f"{file}: {prefix}max-examples: {max_examples} is below 1")
    report = (path.parent / section["report"]).resolve() if "report" in section else None
    return ProjectConfig(path, tuple(entries), max_examples, section.get("seed"), report)


def discover(start: Path | None = None) -> ProjectConfig | None:
    """The configuration in force at ``start`` (default: the current folder), or ``None`` when there is none."""
    found = find_config((start or Path.cwd()).resolve())
    return load_config(found) if found is not None else None
