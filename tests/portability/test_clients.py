"""openapi-generator clients of each spec compile: typescript-fetch with ``tsc --strict``, go with ``go build``,
java (native) with ``javac``, generated from what ``specforge bundle`` publishes and with its configs.

No dependency is downloaded: Go builds in GOPATH mode against Debian's golang-golang-x-oauth2-dev and
golang-gopkg-validator.v2-dev; javac compiles against Debian's Jackson, JSR 305 and Jakarta annotation jars,
plus the generator jar for jackson-datatype-jsr310 (bundled there, not packaged by Debian).
``SPECFORGE_PORTABILITY_APIS`` (comma-separated) narrows the specs; every one of the five by default.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from apimodel.project import API_NAMES
from specforge.cli import main
from tests.portability.tools import (
    GO_LIBRARIES,
    TOOLS,
    executable,
    generator_jar,
    java_classpath,
    need,
    npm_bin,
    run,
)

pytestmark = pytest.mark.slow

APIS = [a for a in os.environ.get("SPECFORGE_PORTABILITY_APIS", ",".join(API_NAMES)).split(",") if a]
LANGUAGES = ("typescript", "go", "java")


def _generate(api: str, language: str, work: Path) -> tuple[Path, Path]:
    """Bundle the spec, then run openapi-generator with the bundle's config; returns (client, bundle)."""
    bundle = work / "bundle"
    result = CliRunner().invoke(main, ["bundle", api, "--out", str(bundle)])
    assert result.exit_code == 0, result.output
    config = yaml.safe_load((bundle / "openapi-generator" / f"{api}-{language}.yaml").read_text(encoding="utf-8"))
    config["inputSpec"] = str(bundle / f"{api}.yaml")
    config["outputDir"] = str(work / language / api)
    config_path = work / f"{api}-{language}.yaml"
    config_path.write_text(yaml.safe_dump(config), encoding="utf-8")
    java = executable("java")
    run([str(java), "-jar", str(generator_jar()), "generate", "-c", str(config_path)], timeout=600)
    return work / language / api, bundle


def _typescript(client: Path, work: Path) -> None:
    sources = sorted(str(p) for p in client.rglob("*.ts"))
    assert sources, "the generator wrote no TypeScript"
    flags = ["--strict", "--noEmit", "--target", "es2020", "--lib", "es2020,dom", "--module", "commonjs"]
    run([str(npm_bin("tsc")), *flags, "--moduleResolution", "node", *sources], cwd=client)


def _go(client: Path, work: Path, api: str) -> None:
    need("Debian's Go libraries (golang-golang-x-oauth2-dev)", GO_LIBRARIES / "src" / "golang.org" / "x" / "oauth2")
    gopath = work / "gopath"
    package = gopath / "src" / api
    shutil.copytree(client, package)
    env = {
        **os.environ,
        "GO111MODULE": "off",  # GOPATH mode: the module proxy is not reachable, Debian's sources are
        "GOPATH": f"{gopath}{os.pathsep}{GO_LIBRARIES}",
        "GOCACHE": str(TOOLS / "gocache"),
        "GOFLAGS": "",
    }
    run([str(executable("go")), "build", "-o", os.devnull, "."], cwd=package, env=env)


def _java(client: Path, work: Path, bundle: Path) -> None:
    sources = sorted(str(p) for p in (client / "src" / "main").rglob("*.java"))
    support = sorted(str(p) for p in (bundle / "java").rglob("*.java")) if (bundle / "java").is_dir() else []
    assert sources, "the generator wrote no Java"
    classes = work / "classes"
    command = [str(executable("javac")), "-nowarn", "-encoding", "UTF-8", "-d", str(classes)]
    run([*command, "-cp", java_classpath(), *sources, *support], cwd=client)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("api", APIS)
def test_the_generated_client_compiles(api: str, language: str, tmp_path: Path) -> None:
    assert api in API_NAMES, f"SPECFORGE_PORTABILITY_APIS names {api!r}; choose from {', '.join(API_NAMES)}"
    client, bundle = _generate(api, language, tmp_path)
    if language == "typescript":
        _typescript(client, tmp_path)
    elif language == "go":
        _go(client, tmp_path, api)
    else:
        _java(client, tmp_path, bundle)


def test_the_readme_commands_generate_what_they_say(tmp_path: Path) -> None:
    """The README's "Using the specs from other languages" block, run as printed: bundle, then the three
    generator commands (PyPI's openapi-generator-cli on PATH, as the README says)."""
    from tests.packaging.readme import commands

    bin_dirs = [str(Path(sys.executable).parent), str(TOOLS / "venv" / "bin")]
    need("openapi-generator-cli (PyPI)", TOOLS / "venv" / "bin" / "openapi-generator-cli")
    env = {**os.environ, "PATH": os.pathsep.join([*bin_dirs, os.environ.get("PATH", "")])}
    lines = commands("Using the specs from other languages")
    assert lines[0] == "specforge bundle" and len(lines) == 4
    for line in lines:
        run(["bash", "-c", line], cwd=tmp_path, env=env, timeout=900)
    for folder in ("typescript/bitfaktura", "go/efactori", "java/facturare"):
        generated = [p for p in (tmp_path / "clients" / folder).rglob("*") if p.suffix in (".ts", ".go", ".java")]
        assert generated, f"clients/{folder} holds no source"
