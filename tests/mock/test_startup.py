"""The mock is built with the cyclic garbage collector paused (``collector_paused``): a spec's schemas, samples
and routes are hundreds of thousands of long-lived containers, and every collection that their allocation
triggered walked them all (on Stripe's spec, create_app went from 1.9 s to 0.6 s of CPU without it). That is
only sound while building makes next to no garbage in reference cycles, which would pile up meanwhile."""

from __future__ import annotations

import gc

import pytest

from conformance.mock import MockConfig, create_app
from conformance.mock import app as app_module


def test_the_collector_is_paused_while_the_mock_is_built_and_on_again_after(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[bool] = []
    original = app_module.load_api

    def noting(*args: object, **kwargs: object) -> object:
        seen.append(gc.isenabled())
        return original(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(app_module, "load_api", noting)
    create_app(["econt"])
    assert seen == [False]
    assert gc.isenabled()


def test_building_our_five_apis_with_seed_data_makes_almost_no_cyclic_garbage() -> None:
    gc.collect()
    gc.disable()
    try:
        app = create_app(
            ["facturare", "econt", "efactori", "bitfaktura", "cloudinvoice"], config=MockConfig(seed_data=True)
        )
        garbage = gc.collect()
        held = len(gc.get_objects())
    finally:
        gc.enable()
    assert len(app.state.mock.servers) == 5
    assert garbage < held / 100, f"{garbage} objects in reference cycles, of {held} tracked"
