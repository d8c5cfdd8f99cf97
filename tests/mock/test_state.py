"""``--state``: objects kept in a SQLite file, shared by every mock and worker serving it, and refused clearly
when the file is not a mock state of this version."""

from __future__ import annotations

import contextlib
import multiprocessing
import sqlite3
import threading
from pathlib import Path
from typing import Any

import httpx2
import pytest
from click.testing import CliRunner

from conformance.mock import MockConfig, MockConfigError, create_app, demo_credentials
from conformance.mock.shared import SharedState
from specforge.cli import main
from tests.mock.helpers import MINIBILL, CheckedClient, api_client
from tests.served import mock_process

BODY = {"invoice": {"buyer_name": "Acme", "kind": "vat", "issue_date": "2024-01-10"}}


def test_a_worker_whose_first_write_takes_no_counter_still_takes_a_new_version(tmp_path: Path) -> None:
    """Found by Fakturownia's SDK against ``--workers 2``: a worker whose first write was a delete (no id or
    number taken, so the counters file not mapped yet) stamped it with the version the SQLite file's meta row
    kept when the mocks started, under versions other workers had given out since; every other worker, past
    that version already, never took the delete in and went on serving the deleted invoice."""
    state = tmp_path / "mock.sqlite"
    one, two = _client(state), _client(state)
    two.app.state.mock.shared.close()  # as before the workers are forked: each opens the file again
    made = [one.post("/invoices.json", params=_token(), json=BODY).json()["id"] for _ in range(3)]
    assert two.delete(f"/invoices/{made[0]}.json", params=_token()).status_code in (200, 204)
    assert one.get(f"/invoices/{made[0]}.json", params=_token()).status_code == 404
    assert _ids(one) == _ids(two) == made[1:]
    two.app.state.mock.shared.close()
    two.app.state.mock.reset()  # a reset through a worker that has not mapped the counters yet starts them again
    assert one.post("/invoices.json", params=_token(), json=BODY).json()["id"] == 1


def test_running_totals_past_what_sqlite_holds_as_an_integer_are_kept(tmp_path: Path) -> None:
    """A payment of 9.2e250 (schemathesis sent one through ``conform --url`` against ``--workers 2``) is a whole
    double, and no 64-bit integer: it was written to the counters table as an int and every commit carrying it
    failed (a 500). It is kept as a REAL; a JSON integer past every double counts as infinite, in memory too."""
    state = tmp_path / "mock.sqlite"
    client = api_client(create_app(["efactori"], config=MockConfig(state_file=state)), "efactori")
    lines = [{"name": "Pain", "quantity": 1, "price": 100}]
    body = {"customer_name": "Dupont", "date": "2026-03-01", "invoice_lines": lines}
    made = client.post("/v1/invoices.json", json=body).json()["id"]
    for amount in (9.16540033579451e250, 10**400):
        payment = {"payment_account_id": 3, "date": "2026-03-02", "amount": {"_": amount}}
        assert client.post(f"/v1/invoices/{made}/payments.json", json=payment).status_code == 201
    assert client.get(f"/v1/invoices/{made}.json").json()["status"] == "paid"
    client.app.state.mock.shared.close()  # the counters it changed are written to the SQLite file
    with contextlib.closing(sqlite3.connect(state)) as db:
        totals = db.execute("SELECT value FROM counters WHERE name LIKE 'tally:%'").fetchall()
    assert totals == [(float("inf"),)]


def test_what_a_failed_commit_did_is_undone_in_memory_and_in_the_running_totals(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A commit the file refuses (disk full, an I/O error) gets its requests a 500. Before, the mock that made them
    went on serving the objects they created from its memory, and the running total a refused payment added stayed
    added: the next payment of 50 on an invoice of 100 made it paid."""
    from conformance.mock.shared import SharedState

    client = api_client(create_app(["efactori"], config=MockConfig(state_file=tmp_path / "mock.sqlite")), "efactori")
    body = {"customer_name": "Dupont", "invoice_lines": [{"name": "Pain", "quantity": 1, "price": 100, "vat": 0}]}
    made = client.post("/v1/invoices.json", json=body).json()["id"]
    committing = SharedState._committing

    def refused(self: SharedState, versions: int = 0) -> Any:
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(SharedState, "_committing", refused)
    payment = {"payment_account_id": 3, "date": "2026-03-02", "amount": {"_": 100}}
    for path, sent in ((f"/v1/invoices/{made}/payments.json", payment), ("/v1/invoices.json", body)):
        with pytest.raises(sqlite3.OperationalError):  # in process the app's error is raised (over HTTP: a 500)
            client.post(path, json=sent)
    monkeypatch.setattr(SharedState, "_committing", committing)
    assert client.get(f"/v1/invoices/{made + 1}.json").status_code == 404  # the refused create is gone
    half = {**payment, "amount": {"_": 50}}
    assert client.post(f"/v1/invoices/{made}/payments.json", json=half).status_code == 201
    assert client.get(f"/v1/invoices/{made}.json").json().get("status") is None  # 50 of 100 paid, not 150
    assert client.post(f"/v1/invoices/{made}/payments.json", json=half).status_code == 201
    assert client.get(f"/v1/invoices/{made}.json").json().get("status") == "paid"


def _client(state: Path) -> CheckedClient:
    return CheckedClient(create_app([MINIBILL], config=MockConfig(state_file=state)), "minibill")


def _token(tenant: int = 0) -> dict[str, str]:
    return {"api_token": demo_credentials(str(MINIBILL), tenant)["MINI_TOKEN"]}


def _ids(client: CheckedClient, **params: Any) -> list[int]:
    ids: list[int] = []
    page = 1
    while True:
        response = client.get("/invoices.json", params={**_token(), "per_page": 50, "page": page, **params})
        assert response.status_code == 200
        ids += [item["id"] for item in response.json()]
        if len(response.json()) < 50:
            return ids
        page += 1


def test_objects_survive_a_restart(tmp_path: Path) -> None:
    state = tmp_path / "mock.sqlite"
    first = _client(state)
    made = [first.post("/invoices.json", params=_token(), json=BODY).json()["id"] for _ in range(3)]
    changed = first.put(f"/invoices/{made[1]}.json", params=_token(), json={"invoice": {"buyer_name": "Changed"}})
    assert changed.status_code == 200
    first.delete(f"/invoices/{made[2]}.json", params=_token())
    first.close()
    again = _client(state)
    assert _ids(again) == made[:2]
    assert again.get(f"/invoices/{made[1]}.json", params=_token()).json()["buyer_name"] == "Changed"
    assert again.get(f"/invoices/{made[2]}.json", params=_token()).status_code == 404
    newer = again.post("/invoices.json", params=_token(), json=BODY).json()["id"]
    assert newer not in made  # the id counter survived too


def test_two_mocks_on_one_file_see_each_others_writes(tmp_path: Path) -> None:
    state = tmp_path / "mock.sqlite"
    one, two = _client(state), _client(state)
    made: list[int] = []
    lock = threading.Lock()

    def create(client: CheckedClient) -> None:
        for _ in range(15):
            created = client.post("/invoices.json", params=_token(), json=BODY).json()["id"]
            with lock:
                made.append(created)

    threads = [threading.Thread(target=create, args=(c,)) for c in (one, two, one, two)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(made)) == 60  # no id given twice
    assert sorted(_ids(one)) == sorted(_ids(two)) == sorted(made)
    assert _ids(one) == _ids(two)  # the same order everywhere
    changed = {"invoice": {**BODY["invoice"], "kind": "proforma"}}
    assert one.put(f"/invoices/{made[0]}.json", params=_token(), json=changed).status_code == 200
    assert two.get(f"/invoices/{made[0]}.json", params=_token()).json()["kind"] == "proforma"
    assert _ids(two, kind="proforma") == [made[0]]
    two.delete(f"/invoices/{made[1]}.json", params=_token())
    assert one.get(f"/invoices/{made[1]}.json", params=_token()).status_code == 404
    assert made[1] not in _ids(one)
    assert _ids(one, order="id.desc") == sorted(set(made) - {made[1]}, reverse=True)
    one.app.state.mock.reset()
    assert _ids(two) == []


def test_a_request_is_one_transaction_written_before_it_is_answered(tmp_path: Path) -> None:
    """A facturare customer create takes two ids and a number and logs ``customer.created``. On a shared file the
    numbers are taken in the counters file every process maps (no commit each), and the two objects and the three
    counters go into the SQLite file in one transaction, committed before the answer. A second mock on the file
    then sees all of it, and its own create continues both sequences."""
    state = tmp_path / "mock.sqlite"
    one, two = (api_client(create_app(["facturare"], config=MockConfig(state_file=state)), "facturare") for _ in "12")
    shared = one.app.state.mock.shared
    assert shared is not None
    statements: list[str] = []
    shared._connection().set_trace_callback(statements.append)
    first = one.post("/customers", json={"name": "Acme"})
    assert first.status_code == 201, first.text
    shared._connection().set_trace_callback(None)
    assert [s for s in statements if s in ("BEGIN IMMEDIATE", "COMMIT", "ROLLBACK")] == ["BEGIN IMMEDIATE", "COMMIT"]
    begin, commit = statements.index("BEGIN IMMEDIATE"), statements.index("COMMIT")
    outside = statements[:begin] + statements[commit + 1 :]
    assert [s for s in outside if not s.startswith(("SELECT", "PRAGMA"))] == []  # nothing written outside it
    counted = sorted(s.split("'")[5] for s in statements[begin:commit] if s.startswith("INSERT INTO counters"))
    assert counted == ["id:customers", "id:events", "seq:customers:number"]  # no number taken for nothing
    made = first.json()
    assert two.get(f"/customers/{made['id']}").json()["number"] == made["number"]
    events = two.get("/events").json()
    assert [(e["type"], e["data"]["object"]["id"]) for e in events] == [("customer.created", made["id"])]
    second = two.post("/customers", json={"name": "Beta"}).json()
    assert second["id"] == made["id"] + 1
    assert int(second["number"].rsplit("-", 1)[1]) == int(made["number"].rsplit("-", 1)[1]) + 1
    third = one.post("/customers", json={"name": "Gamma"}).json()  # the second mock took numbers meanwhile
    assert third["id"] == second["id"] + 1
    assert [e["data"]["object"]["id"] for e in one.get("/events").json()] == [third["id"], second["id"], made["id"]]


def _refusal(path: Path) -> str:
    result = CliRunner().invoke(main, ["mock", "--spec", str(MINIBILL), "--state", str(path), "--port", "0"])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert str(path) in lines[0]
    return lines[0]


def test_a_file_that_is_no_state_is_refused_in_one_line(tmp_path: Path) -> None:
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"this is not a database, it is a note" * 100)
    assert "move it away or give another --state" in _refusal(junk)
    assert junk.read_bytes().startswith(b"this is not")  # never reset silently

    other = tmp_path / "other.sqlite"
    with sqlite3.connect(other) as db:
        db.execute("CREATE TABLE invoices (id INTEGER)")
    before = other.read_bytes()
    assert "not a mock state file (tables: invoices)" in _refusal(other)
    assert other.read_bytes() == before  # someone else's database is left as it was: not even switched to WAL
    with sqlite3.connect(other) as db:
        assert db.execute("PRAGMA journal_mode").fetchone() == ("delete",)

    missing = tmp_path / "no-such-dir" / "state.sqlite"
    assert "is not a directory" in _refusal(missing)


def test_a_state_of_another_format_version_is_refused(tmp_path: Path) -> None:
    state = tmp_path / "old.sqlite"
    SharedState.open(state).close()
    with sqlite3.connect(state) as db:
        db.execute("UPDATE meta SET value = '0' WHERE name = 'format_version'")
    message = _refusal(state)
    assert "format 0, this mock reads format 2" in message
    assert "delete the file to start afresh" in message
    with pytest.raises(MockConfigError):
        create_app([MINIBILL], config=MockConfig(state_file=state))


def test_a_state_of_format_1_is_read_and_made_format_2(tmp_path: Path) -> None:
    """Format 1 kept the newest version in its meta row; format 2 keeps it in the counters file too, and an older
    specforge reading that row would stamp new rows with old versions: so a file served once is marked 2."""
    state = tmp_path / "mock.sqlite"
    first = _client(state)
    made = first.post("/invoices.json", params=_token(), json=BODY).json()["id"]
    first.app.state.mock.shared.close()
    Path(f"{state}-counters").unlink()
    with sqlite3.connect(state) as db:
        db.execute("UPDATE meta SET value = '1' WHERE name = 'format_version'")
        db.execute("DELETE FROM meta WHERE name = 'counters'")
    again = _client(state)
    assert _ids(again) == [made]
    assert again.post("/invoices.json", params=_token(), json=BODY).json()["id"] > made
    with sqlite3.connect(state) as db:
        assert db.execute("SELECT value FROM meta WHERE name = 'format_version'").fetchone() == ("2",)


def test_counters_are_shared_in_a_file_beside_the_state_and_built_again_from_it(tmp_path: Path) -> None:
    """Ids and numbers are taken in ``PATH-counters``, which every process serving the state maps; a commit that
    shows a number tells the state file the counter went at least that far (``AHEAD`` further). A counters file
    that is gone, or belongs to another state (a state file put back from elsewhere), is built again from the
    state file: ids go on past every one given (skipping at most ``AHEAD``), never giving one twice."""
    from conformance.mock.counters import AHEAD, SIZE

    state = tmp_path / "mock.sqlite"
    counters = Path(f"{state}-counters")
    first = _client(state)
    made = [first.post("/invoices.json", params=_token(), json=BODY).json()["id"] for _ in range(3)]
    assert counters.stat().st_size == SIZE
    counters.unlink()  # gone: built again from the state file, which has every number a commit showed
    again = _client(state)
    after = again.post("/invoices.json", params=_token(), json=BODY).json()["id"]
    assert made[-1] < after <= made[-1] + 1 + AHEAD

    other = tmp_path / "other.sqlite"
    stranger = _client(other)
    for _ in range(7):  # another state, counted further
        stranger.post("/invoices.json", params=_token(), json=BODY)
    counters.write_bytes(Path(f"{other}-counters").read_bytes())  # its counters file put beside this state
    third = _client(state)
    last = third.post("/invoices.json", params=_token(), json=BODY).json()["id"]
    assert after < last <= after + 1 + AHEAD and last != 8  # not the other state's next id
    assert _ids(third) == [*made, after, last]


def test_a_counters_file_deleted_while_mocks_run_is_mapped_again_by_each(tmp_path: Path) -> None:
    """Each mock still counted in the counters file it had mapped, deleted under it, while a mock that came after
    built a new one: two sets of ids and versions, and writes one mock never saw. Each mock now finds out at its
    next commit (under the writers' lock) and maps the file at the path, carrying over what it took since its last
    commit; ids stay unique and every write is seen by both."""
    state = tmp_path / "mock.sqlite"
    one, two = _client(state), _client(state)
    made = [c.post("/invoices.json", params=_token(), json=BODY).json()["id"] for c in (one, two, one)]
    Path(f"{state}-counters").unlink()  # one and two still map the deleted file
    three = _client(state)  # builds a new one
    for client in (three, one, two, three, one):
        made.append(client.post("/invoices.json", params=_token(), json=BODY).json()["id"])
    assert three.delete(f"/invoices/{made[0]}.json", params=_token()).status_code == 204
    made.append(one.post("/invoices.json", params=_token(), json=BODY).json()["id"])
    assert len(set(made)) == len(made), made
    expected = sorted(set(made) - {made[0]})
    assert sorted(_ids(one)) == sorted(_ids(two)) == sorted(_ids(three)) == expected
    assert one.get(f"/invoices/{made[0]}.json", params=_token()).status_code == 404  # three's delete, seen by one


def test_a_counters_file_that_is_not_one_is_refused_in_one_line(tmp_path: Path) -> None:
    state = tmp_path / "mock.sqlite"
    SharedState.open(state).close()
    counters = Path(f"{state}-counters")
    counters.write_bytes(b"someone's notes" * 10)
    message = _refusal(state)
    assert f"{counters}: not a counters file" in message and "delete it" in message
    assert counters.read_bytes() == b"someone's notes" * 10  # left as it was


def test_counters_past_the_files_room_are_counted_in_the_state_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The counters file has room for so many counters (tens of thousands); a new counter past that is one
    statement of its own in the SQLite file, and two mocks still never take one number twice."""
    from conformance.mock import counters

    monkeypatch.setattr(counters, "ROOM", 1)  # the first counter taken fills it
    state = tmp_path / "mock.sqlite"
    one, two = (api_client(create_app(["facturare"], config=MockConfig(state_file=state)), "facturare") for _ in "12")
    made = [client.post("/customers", json={"name": "Acme"}).json() for client in (one, two, one, two)]
    assert [m["id"] for m in made] == [1, 2, 3, 4]
    assert [int(m["number"].rsplit("-", 1)[1]) for m in made] == [1, 2, 3, 4]
    with sqlite3.connect(state) as db:
        names = dict(db.execute("SELECT name, value FROM counters"))
    assert names["seq:customers:number"] == 4 and names["id:events"] == 4  # counted there, exactly
    assert names["id:customers"] == 1 + counters.AHEAD  # told once, at the first id, how far it may go
    assert one.app.state.mock.shared._tallied._used() == 1


def test_a_reset_starts_one_apis_numbers_again_and_keeps_the_others(tmp_path: Path) -> None:
    """Resetting one API of a state forgets its objects and its counters, in the counters file every mock maps as
    in the SQLite file; another API's counters on the same state go on."""
    state = tmp_path / "mock.sqlite"
    app = create_app([MINIBILL, "facturare"], config=MockConfig(state_file=state))
    mini, billing = CheckedClient(app, "minibill"), api_client(app, "facturare")
    for _ in range(2):
        assert mini.post("/invoices.json", params=_token(), json=BODY).status_code == 201
        assert billing.post("/customers", json={"name": "Acme"}).status_code == 201
    app.state.mock.servers["minibill"].store.reset()
    assert mini.post("/invoices.json", params=_token(), json=BODY).json()["id"] == 1
    assert billing.post("/customers", json={"name": "Acme"}).json()["id"] == 3
    other = create_app([MINIBILL, "facturare"], config=MockConfig(state_file=state))  # a mock of its own
    assert CheckedClient(other, "minibill").post("/invoices.json", params=_token(), json=BODY).json()["id"] == 2
    assert api_client(other, "facturare").post("/customers", json={"name": "Beta"}).json()["id"] == 4


def _open_at(state: str, start: Any) -> None:
    start.wait(timeout=60)  # every process opens the new file at one moment
    SharedState.open(Path(state)).close()


def test_mocks_started_together_on_a_new_file_all_open_it(tmp_path: Path) -> None:
    """CI jobs that start their mocks at once on one new ``--state``. Each one that finds the file empty goes to
    make it a state: the first switch to WAL and the tables are made once, and the others then read them, never
    failing on ``database is locked`` or ``table meta already exists`` (which told the user to move the file away)."""
    context = multiprocessing.get_context("spawn")  # a fresh interpreter each, as separate mocks are
    for attempt in range(4):
        state = tmp_path / f"new-{attempt}.sqlite"
        start = context.Barrier(4)
        processes = [context.Process(target=_open_at, args=(str(state), start)) for _ in range(4)]
        for process in processes:
            process.start()
        for process in processes:
            process.join(timeout=60)
        assert [process.exitcode for process in processes] == [0, 0, 0, 0]
        with sqlite3.connect(state) as db:
            assert db.execute("SELECT value FROM meta WHERE name = 'format'").fetchone() == ("specforge-mock-state",)
            assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_seed_data_goes_into_a_new_state_once(tmp_path: Path) -> None:
    state = tmp_path / "seeded.sqlite"
    config = MockConfig(state_file=state, seed_data=True)
    first = CheckedClient(create_app([MINIBILL], config=config), "minibill")
    seeded = _ids(first)
    assert seeded
    second = CheckedClient(create_app([MINIBILL], config=config), "minibill")
    assert _ids(second) == seeded


def _cpu_ticks(pid: int) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


@pytest.mark.slow
def test_workers_share_one_state_over_loopback(tmp_path: Path) -> None:
    """Two workers behind one port: every object created through either is listed and read once through both."""
    state = str(tmp_path / "shared.sqlite")
    with mock_process("--spec", str(MINIBILL), "--workers", "2", "--state", state) as served:
        assert served.banner[-1] == f"state: {state} (2 workers)"
        base, process = served.urls["minibill"], served.process
        workers = [int(p) for p in Path(f"/proc/{process.pid}/task/{process.pid}/children").read_text().split()]
        assert len(workers) == 2
        before = {pid: _cpu_ticks(pid) for pid in workers}
        made: list[int] = []
        lock = threading.Lock()

        def create() -> None:
            for _ in range(25):  # a new connection per request, so the kernel spreads them over the workers
                response = httpx2.post(f"{base}/invoices.json", params=_token(), json=BODY, timeout=10)
                assert response.status_code == 201, response.text
                with lock:
                    made.append(response.json()["id"])

        threads = [threading.Thread(target=create) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        assert len(made) == 200 and len(set(made)) == 200
        for _ in range(6):
            listed: list[int] = []
            for page in range(1, 6):
                params = {**_token(), "per_page": 50, "page": page}
                listed += [o["id"] for o in httpx2.get(f"{base}/invoices.json", params=params, timeout=10).json()]
            assert sorted(listed) == sorted(made)
        for number in made[::10]:
            assert httpx2.get(f"{base}/invoices/{number}.json", params=_token(), timeout=10).status_code == 200
        assert all(_cpu_ticks(pid) > before[pid] for pid in workers), "one worker served nothing"
    assert process.returncode == 0


def test_chosen_numbers_and_payment_sums_are_shared_state_too(tmp_path: Path) -> None:
    """A number the client chose and what payments added up live in the state file, for every mock serving it."""
    state = tmp_path / "mock.sqlite"
    one, two = (create_app(["efactori"], config=MockConfig(state_file=state)) for _ in range(2))
    first, second = api_client(one, "efactori"), api_client(two, "efactori")
    lines = [{"name": "Pain", "quantity": 1, "price": 100}]
    body = {"customer_name": "Dupont", "date": "2026-03-01", "invoice_lines": lines}
    assert first.post("/v1/invoices.json", json={**body, "number": 40}).status_code == 201
    made = second.post("/v1/invoices.json", json=body).json()["id"]
    assert second.get(f"/v1/invoices/{made}.json").json()["number"] == 41
    payment = {"payment_account_id": 3, "date": "2026-03-02", "amount": {"_": 50.5}}
    assert first.post(f"/v1/invoices/{made}/payments.json", json=payment).status_code == 201
    assert second.post(f"/v1/invoices/{made}/payments.json", json=payment).status_code == 201
    assert first.get(f"/v1/invoices/{made}.json").json()["status"] == "paid"  # 50.50 + 50.50 cover 100.00


def test_the_writers_lock_is_held_for_statements_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Other workers' writers never wait while a create builds its object or shapes its answer: the lock is taken
    for a counter's one statement and for the commit of the request's rows, and the rows are in the file before
    the answer is sent."""
    from conformance.mock.replies import Replies
    from conformance.mock.resources import Resources

    client = _client(tmp_path / "mock.sqlite")
    shared = client.app.state.mock.shared
    assert shared is not None
    held: list[bool] = [False]
    seen: list[tuple[str, bool]] = []
    take, give = SharedState._lock_gate, SharedState._unlock

    def taking(self: SharedState) -> None:
        take(self)
        held[0] = True

    def giving(self: SharedState) -> None:
        held[0] = False
        give(self)

    def watch(name: str, method: Any) -> Any:
        def watched(self: Any, *args: Any, **kwargs: Any) -> Any:
            seen.append((name, held[0]))
            return method(self, *args, **kwargs)

        return watched

    monkeypatch.setattr(SharedState, "_lock_gate", taking)
    monkeypatch.setattr(SharedState, "_unlock", giving)
    monkeypatch.setattr(Resources, "_build_object", watch("build", Resources._build_object))
    monkeypatch.setattr(Replies, "reply", watch("reply", Replies.reply))
    created = client.post("/invoices.json", params=_token(), json=BODY)
    assert created.status_code == 201, created.text
    assert ("build", False) in seen and ("reply", False) in seen
    assert [name for name, locked in seen if locked] == []
    other = _client(tmp_path / "mock.sqlite")  # and it is in the file before the answer is sent
    assert other.get(f"/invoices/{created.json()['id']}.json", params=_token()).status_code == 200


def test_what_others_wrote_during_a_request_is_taken_in_after_it_in_the_order_of_first_writing(tmp_path: Path) -> None:
    """A request reads what was stored when it began, and what others write meanwhile is taken in when the next
    one begins, not while it holds the writers' lock. An object another process wrote first still lists first:
    every process lists one order, which pages that go to different workers rely on."""
    from conformance.mock.store import Store

    state = tmp_path / "mock.sqlite"
    one, two = Store("api", SharedState.open(state)), Store("api", SharedState.open(state))
    where = (0, "things", ())

    def listed(store: Store) -> list[str]:
        return list(store.bucket(*where).objects)

    one.put(*where, "a", {"id": "a"})
    with two.unit():
        assert listed(two) == ["a"]
        one.put(*where, "b", {"id": "b"})  # another worker, while this request runs
        one.put(*where, "gone", {"id": "gone"})
        two.put(*where, "c", {"id": "c"})  # stamped after b and gone
        assert listed(two) == ["a", "c"]  # what it began with, and its own write
        own = two.get(*where, "c")
    one.delete(*where, "gone")
    assert listed(two) == ["a", "b", "c"]  # b in its place; gone is gone
    assert two.get(*where, "c") is own  # its own write is not read back
    assert listed(one) == ["a", "b", "c"]
    one.put(*where, "a", {"id": "a", "changed": True})  # a change keeps an object's place
    two.put(*where, "d", {"id": "d"})
    assert listed(two) == listed(one) == ["a", "b", "c", "d"]
    assert two.get(*where, "a") == {"id": "a", "changed": True}
    with two.unit():
        one.put(*where, "e", {"id": "e"})
        two.clear(*where)  # a write that depends on all that is stored sees e too
    assert listed(two) == listed(one) == []
