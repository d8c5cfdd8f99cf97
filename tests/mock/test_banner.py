"""What ``specforge mock`` prints: base URLs and demo credentials as environment variable assignments."""

from __future__ import annotations

from conformance.mock import create_app, demo_credentials
from specforge.commands.mock import banner


def test_banner_assigns_the_base_url_and_each_tenants_credentials() -> None:
    text = banner(create_app(["econt", "bitfaktura"]), "127.0.0.1", 4321)
    lines = text.splitlines()
    assert lines[0] == "econt: http://127.0.0.1:4321/econt"
    assert lines[1] == "  ECONT_BASE_URL=http://127.0.0.1:4321/econt"
    for api in ("econt", "bitfaktura"):
        for tenant in (0, 1):
            credentials = demo_credentials(api, tenant)
            assert credentials and all(f"{env}={value}" in text for env, value in credentials.items())
    assert demo_credentials("econt", 0) != demo_credentials("econt", 1)
    assert "  BITFAKTURA_BASE_URL=http://127.0.0.1:4321/bitfaktura" in lines
