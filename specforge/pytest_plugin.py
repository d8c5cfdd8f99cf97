"""The pytest plugin (entry point ``pytest11``): mocks of our APIs, or of any spec, as fixtures.

``specforge_mock("bitfaktura")`` gives a :class:`~specforge.testing.MockedApi` with fresh state for the test;
``specforge_mock_module`` and ``specforge_mock_session`` keep one mock's state for the module or the session.
``--specforge-live API=URL`` points the same tests at a live sandbox (credentials from the environment); tests
marked ``specforge_mock_only`` are skipped then.

Nothing heavy is imported until a fixture is used: the plugin loads in every pytest run of an environment
where specforge is installed.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from specforge.testing import MockedApi, Mocks

__all__ = ["MockFactory"]

_MOCK_ONLY = "specforge_mock_only"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("specforge", "specforge mocks")
    group.addoption(
        "--specforge-live",
        action="append",
        default=[],
        metavar="API=URL",
        help="Run the specforge_mock fixtures of API against the live sandbox at URL (credentials from the "
        "environment); repeat for several APIs.",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", f"{_MOCK_ONLY}: the test needs the mock; skipped with --specforge-live")


def _live(config: pytest.Config) -> dict[str, str]:
    found: dict[str, str] = {}
    for item in config.getoption("--specforge-live"):
        name, sep, url = str(item).partition("=")
        if not sep or not name or not url.startswith(("http://", "https://")):
            raise pytest.UsageError(f"--specforge-live {item}: give API=URL, e.g. bitfaktura=https://sandbox.example")
        found[name] = url
    return found


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    live = _live(config)
    if not live:
        return
    skip = pytest.mark.skip(reason=f"mock only; --specforge-live points at {', '.join(sorted(live))}")
    for item in items:
        if item.get_closest_marker(_MOCK_ONLY) is not None:
            item.add_marker(skip)


class MockFactory:
    """Call it with an API name (ours, or one of your ``[tool.specforge]`` configuration) or a spec path
    (relative to pytest's rootdir): ``specforge_mock("bitfaktura", loopback=False, seed_data=False)``."""

    def __init__(self, mocks: Mocks) -> None:
        self.mocks = mocks

    def __call__(self, api: str | Path, *, loopback: bool = False, seed_data: bool = False) -> MockedApi:
        from specforge.testing import TargetError

        try:
            return self.mocks.start(api, loopback=loopback, seed_data=seed_data)
        except TargetError as exc:
            problem = str(exc)
        pytest.fail(f"specforge_mock: {problem}", pytrace=False)  # outside the except: one line, no chained error


def _configured(root: Path) -> dict[str, tuple[Path, str]]:
    from specforge.config import ConfigError, discover

    try:
        config = discover(root)
    except ConfigError as exc:
        raise pytest.UsageError(f"specforge: {exc}") from None
    return {e.name: (e.spec, e.package) for e in config.apis} if config is not None else {}


def _factory(request: pytest.FixtureRequest) -> Iterator[MockFactory]:
    from specforge.testing import Mocks

    root = request.config.rootpath
    mocks = Mocks(root, _live(request.config), _configured(root))
    try:
        yield MockFactory(mocks)
    finally:
        mocks.close()


@pytest.fixture
def specforge_mock(request: pytest.FixtureRequest) -> Iterator[MockFactory]:
    """Mocks with fresh state for this test (closed, and servers stopped, when it ends)."""
    yield from _factory(request)


@pytest.fixture(scope="module")
def specforge_mock_module(request: pytest.FixtureRequest) -> Iterator[MockFactory]:
    """Mocks whose state the tests of one module share."""
    yield from _factory(request)


@pytest.fixture(scope="session")
def specforge_mock_session(request: pytest.FixtureRequest) -> Iterator[MockFactory]:
    """Mocks whose state every test of the session shares."""
    yield from _factory(request)
