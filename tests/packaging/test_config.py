"""A user's project: ``[tool.specforge]`` (or specforge.toml) found by walking up, its paths, its errors."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from specforge.cli import main
from specforge.config import ConfigError, discover, find_config, load_config
from tests.specs import BOOKSHOP

PROJECT = """\
[project]
name = "shop-integration"

[tool.specforge.apis.shop]
spec = "api/bookshop.yaml"
out = "clients/shop"
package = "shop_sdk"
"""


def _project(root: Path, text: str = PROJECT, file: str = "pyproject.toml") -> Path:
    (root / "api").mkdir(parents=True, exist_ok=True)
    shutil.copy(BOOKSHOP, root / "api" / "bookshop.yaml")
    (root / file).write_text(text, encoding="utf-8")
    return root / file


def _error(path: Path) -> str:
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    message = str(caught.value)
    assert "\n" not in message
    return message


def test_found_by_walking_up_with_paths_relative_to_the_file(tmp_path: Path) -> None:
    _project(tmp_path)
    below = tmp_path / "src" / "deep"
    below.mkdir(parents=True)
    config = discover(below)
    assert config is not None and config.path == tmp_path / "pyproject.toml"
    (shop,) = config.apis
    assert shop.spec == tmp_path / "api" / "bookshop.yaml" and shop.spec_label == "api/bookshop.yaml"
    assert shop.out == tmp_path / "clients" / "shop" and shop.package == "shop_sdk" and shop.profile == "generic"
    assert shop.target == f"shop={tmp_path / 'api' / 'bookshop.yaml'}"


def test_a_pyproject_without_the_table_is_passed_over(tmp_path: Path) -> None:
    _project(tmp_path, '[apis.shop]\nspec = "api/bookshop.yaml"\n', file="specforge.toml")
    inner = tmp_path / "pkg"
    inner.mkdir()
    (inner / "pyproject.toml").write_text('[project]\nname = "pkg"  # no specforge table\n', encoding="utf-8")
    config = discover(inner)
    assert config is not None and config.path == tmp_path / "specforge.toml" and config.apis[0].out is None
    (inner / "pyproject.toml").write_text('[tool.specforge.apis.b]\nspec = "../api/bookshop.yaml"\n', "utf-8")
    assert find_config(inner) == inner / "pyproject.toml"  # the nearest one wins


def test_specforge_toml_keys_are_top_level(tmp_path: Path) -> None:
    message = _error(_project(tmp_path, '[tool.specforge.apis.shop]\nspec = "api/bookshop.yaml"\n', "specforge.toml"))
    assert message == f"{tmp_path / 'specforge.toml'}: tool: unknown key; use one of apis, max-examples, report, seed"


def test_our_own_apis_by_name_and_options(tmp_path: Path) -> None:
    text = 'max-examples = 2\nseed = 7\nreport = "out"\n[apis.econt]\nspec = "econt"\nout = "c/e"\nconform = false\n'
    config = load_config(_project(tmp_path, text, file="specforge.toml"))
    (econt,) = config.apis
    assert econt.builtin and econt.target == "econt" and econt.spec_label == "specs/econt.yaml"
    assert econt.profile == "house" and not econt.conform and econt.package == "econt_client"
    assert (config.max_examples, config.seed, config.report) == (2, 7, tmp_path / "out")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (PROJECT.replace("package =", "packge ="), "tool.specforge.apis.shop.packge: unknown key; use one of"),
        (PROJECT + "colour = 1\n", "tool.specforge.apis.shop.colour: unknown key"),
        (PROJECT.replace('"api/bookshop.yaml"', '"api/nope.yaml"'), "apis.shop.spec: api/nope.yaml does not exist"),
        (
            PROJECT + '[tool.specforge.apis.copy]\nspec = "api/bookshop.yaml"\nout = "clients/shop"\n',
            "tool.specforge.apis.copy.out: clients/shop overlaps tool.specforge.apis.shop.out (clients/shop)",
        ),
        (
            PROJECT + '[tool.specforge.apis.inner]\nspec = "api/bookshop.yaml"\nout = "clients/shop/inner"\n',
            "tool.specforge.apis.inner.out: clients/shop/inner overlaps tool.specforge.apis.shop.out",
        ),
        (PROJECT.replace('"shop_sdk"', '"shop-sdk"'), "tool.specforge.apis.shop.package: 'shop-sdk' is not a Python"),
        (PROJECT.replace('out = "clients/shop"', "out = 3"), "tool.specforge.apis.shop.out: 3 is not a string"),
        (
            PROJECT.replace("[project]", "[tool.specforge]\nmax-examples = true\n[project]"),
            "tool.specforge.max-examples: True is not an integer",
        ),
        (PROJECT.replace('spec = "api/bookshop.yaml"\n', ""), "tool.specforge.apis.shop.spec: missing"),
        (PROJECT.replace("apis.shop]", "apis.shop]\nprofile = 'strict'"), "tool.specforge.apis.shop.profile: 'strict'"),
        ("[tool.specforge]\nseed = 1\n", "tool.specforge.apis: missing or empty"),
        (PROJECT.replace("[project]", "[project"), "pyproject.toml: is not valid TOML"),
    ],
)
def test_each_error_is_one_line_naming_the_file_and_the_key(tmp_path: Path, text: str, expected: str) -> None:
    message = _error(_project(tmp_path, text))
    assert expected in message and message.startswith(str(tmp_path / "pyproject.toml"))


def test_cli_errors_are_one_line_and_exit_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _project(tmp_path, PROJECT.replace("package =", "packge ="))
    monkeypatch.chdir(tmp_path)
    for command in (["generate"], ["generate", "--check"], ["validate"], ["conform"], ["check"], ["mock"]):
        result = CliRunner().invoke(main, command)
        assert result.exit_code == 2, (command, result.output)
        lines = result.output.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error[config] ") and "packge: unknown key" in lines[0]
    _project(tmp_path)
    unknown = CliRunner().invoke(main, ["generate", "nope"])
    assert unknown.exit_code == 2 and "no API nope in the configuration; it lists shop" in unknown.output


def test_generate_check_validate_and_conform_act_on_the_configured_apis(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _project(tmp_path, PROJECT.replace("[project]", "[tool.specforge]\nmax-examples = 1\nreport = 'out/reports'\n[x]"))
    work = tmp_path / "src"
    work.mkdir()
    monkeypatch.chdir(work)  # relative paths resolve against the file, not here
    runner = CliRunner()
    made = runner.invoke(main, ["generate"])
    assert made.exit_code == 0 and made.output.startswith("clients/shop: 4 operations"), made.output
    client = tmp_path / "clients" / "shop"
    header = (client / "shop_sdk" / "_client.py").read_text(encoding="utf-8").splitlines()[0]
    assert header == "# Generated by specforge from api/bookshop.yaml; do not edit. Regenerate: specforge generate shop"
    assert "pip install -e clients/shop" in (client / "README.md").read_text(encoding="utf-8")
    assert json.loads((client / "shop_sdk" / "_provenance.json").read_text())["spec"] == "api/bookshop.yaml"
    assert runner.invoke(main, ["generate", "--check"]).exit_code == 0
    (client / "shop_sdk" / "_client.py").write_text("edited\n", encoding="utf-8")
    stale = runner.invoke(main, ["generate", "--check"])
    assert stale.exit_code == 1 and "-edited" in stale.output and "clients/shop is out of date" in stale.output
    assert not (work / "clients").exists() and not (work / "api").exists()

    valid = runner.invoke(main, ["validate"])
    assert valid.exit_code == 0 and "1 spec(s) checked: 0 error(s)" in valid.output
    conformed = runner.invoke(main, ["conform", "--quiet"])
    assert conformed.exit_code == 0, conformed.output
    assert conformed.output.splitlines()[2].split()[:2] == ["shop", "4/4"]  # named after the configuration
    junit = (tmp_path / "out" / "reports" / "junit.xml").read_text(encoding="utf-8")
    assert '<testsuite name="shop" tests="4" failures="0"' in junit


def test_without_a_configuration_our_five_stay_the_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["validate"])
    assert result.exit_code == 0 and "5 spec(s) checked: 0 error(s)" in result.output
