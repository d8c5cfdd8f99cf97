"""What a read-only run reaches through the values documented responses carry (issue 13): a document's attachments
name its files (``x-lists`` with ``from``), and a public widget is found by its product's ``token``."""

from __future__ import annotations

from conformance.mock import create_app
from conformance.mock.config import MockConfig
from tests.mock.helpers import api_client


def test_an_invoices_attachments_list_the_files_its_attachments_field_names() -> None:
    """Invoiced: a document is created or updated with ``attachments`` (File ids, write-only), and
    ``GET /invoices/{id}/attachments`` lists an attachment per file with the File object under ``file``
    (developer.invoiced.com, "Attachments"; the spec's example)."""
    client = api_client(create_app(["facturare"]), "facturare")
    files = [client.post("/files", json={"name": f"{n}.pdf", "url": f"https://x.md/{n}.pdf"}).json() for n in "ab"]
    customer = client.post("/customers", json={"name": "Agroprod"}).json()
    ids = [f["id"] for f in files]
    invoice = client.post("/invoices", json={"customer": customer["id"], "attachments": ids}).json()
    assert "attachments" not in invoice  # write-only: kept, never sent
    listed = client.get(f"/invoices/{invoice['id']}/attachments").json()
    assert [a["file"] for a in listed] == files
    assert [a["id"] for a in listed] == ids
    assert "attachments" not in client.get(f"/invoices/{invoice['id']}").json()
    client.patch(f"/invoices/{invoice['id']}", json={"attachments": ids[1:]})  # an update replaces them
    assert [a["file"]["id"] for a in client.get(f"/invoices/{invoice['id']}/attachments").json()] == ids[1:]
    other = client.post("/invoices", json={"customer": customer["id"]}).json()
    assert client.get(f"/invoices/{other['id']}/attachments").json() == []


def test_a_public_widget_is_found_by_its_products_token_in_any_account() -> None:
    """BitFaktura's ``/a/{prefix}/p/{token}.js``: "{{token}} is the value of the product's token field" (seed 003);
    public, so whoever asks gets the script of the product that holds the token, and 404 for a token none holds."""
    app = create_app(["bitfaktura"], config=MockConfig(seed_data=True))
    server = app.state.mock.servers["bitfaktura"]
    token = next(iter(server.store.bucket(1, "products").objects.values()))["token"]  # the second account's product
    client = api_client(app, "bitfaktura")
    answer = client.get(f"/a/demo/p/{token}.js")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/javascript") and "iframe" in answer.text
    assert client.get("/a/demo/p/no-such-token.js").status_code == 404
