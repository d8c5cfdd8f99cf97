"""The closed loop: each generated client drives the in-process mock through one realistic workflow."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.e2e.harness import Loop, loop


@pytest.fixture
def facturare(monkeypatch: pytest.MonkeyPatch) -> Iterator[Loop]:
    yield from loop("facturare", monkeypatch)


@pytest.fixture
def bitfaktura(monkeypatch: pytest.MonkeyPatch) -> Iterator[Loop]:
    yield from loop("bitfaktura", monkeypatch)


@pytest.fixture
def efactori(monkeypatch: pytest.MonkeyPatch) -> Iterator[Loop]:
    yield from loop("efactori", monkeypatch)


@pytest.fixture
def econt(monkeypatch: pytest.MonkeyPatch) -> Iterator[Loop]:
    yield from loop("econt", monkeypatch)


@pytest.fixture
def cloudinvoice(monkeypatch: pytest.MonkeyPatch) -> Iterator[Loop]:
    yield from loop("cloudinvoice", monkeypatch)
