"""Instructions the mock runs per request, in process: ``python -m benchmarks.workloads.instructions [--calls N]``.

On a shared two-core machine the wall-clock cost of one request moves by 20 % or more between two runs of the same
code, so a change of a few per cent to the request path cannot be seen in time. The number of instructions the
mock's request handler runs hardly moves (about 0.2 %). This runs petstore-expanded's list, retrieve and create
(the ``mock:petstore-expanded`` calls, no HTTP) under valgrind's cachegrind with no cache simulation, once with no
call and once with ``--calls`` calls, and prints the difference divided by the calls: instructions per request,
the interpreter's start-up and the spec's loading taken out. Run it on two commits to compare them.

With ``--http`` it counts the whole server instead: ``specforge mock`` serving petstore-expanded as it ships, under
cachegrind, and the calls sent to it over one kept-alive connection (one at a time, each answer read whole before
the next): the HTTP protocol, the event loop and the handler together, the same subtraction taking out the start,
the first create and the stop. The kernel's share (the socket calls) is not counted: valgrind sees user space only.

It counts instructions, not time: a change that trades instructions for memory traffic (or the reverse) can move
one and not the other. Needs valgrind (Debian: ``apt-get install valgrind``).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

__all__ = ["main"]

ROLES = ("list", "retrieve", "create")
_MOUNT = "oai-petstore-expanded"
# one hash seed for every measured process: with a random one, dictionaries and sets are laid out differently run
# to run, and a billion-instruction start-up moves by a million
_STEADY = {**os.environ, "PYTHONHASHSEED": "0"}
_VALGRIND = ("valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null")
_REFS = re.compile(r"I\s+refs:\s+([\d,]+)")


def _calls(role: str, count: int) -> None:
    """In the measured process: ``count`` calls of ``role`` to the mock's handler, after one create (so that a
    retrieve finds pet 1 and a list has one pet to show)."""
    from benchmarks.suites.mock import PETSTORE
    from benchmarks.suites.mock_calls import plan
    from conformance.mock import MockConfig, create_app

    calls = plan(PETSTORE, _MOUNT).calls
    app = create_app([f"{_MOUNT}={PETSTORE}"], config=MockConfig())
    server = next(iter(app.state.mock.servers.values()))

    def prepared(role: str) -> tuple[str, str, bytes, dict[str, str], bytes | None]:
        call = calls[role]
        headers = {k.lower(): v for k, v in call.headers.items()} | {"host": "127.0.0.1"}
        if call.body is not None:
            headers["content-type"] = "application/json"
        path, _, query = call.path.replace("{id}", "1").partition("?")
        return call.method, path, query.encode(), headers, call.body

    first = server.handle(*prepared("create"), {})
    if first[0] >= 300:
        raise SystemExit(f"instructions: the first create answered {first[0]}: {first[2][:200]!r}")
    method, path, query, headers, body = prepared(role)
    for _ in range(count):
        server.handle(method, path, query, headers, body, {})


def _wire(role: str) -> bytes:
    """``role``'s request as sent on the wire (to pet 1), with the plan's credentials and body."""
    from benchmarks.suites.mock import PETSTORE
    from benchmarks.suites.mock_calls import plan

    call = plan(PETSTORE, _MOUNT).calls[role]
    lines = [f"{call.method} /{_MOUNT}{call.path.replace('{id}', '1')} HTTP/1.1", "Host: 127.0.0.1"]
    lines += [f"{name}: {value}" for name, value in call.headers.items()]
    if call.body is not None:
        lines += ["Content-Type: application/json", f"Content-Length: {len(call.body)}"]
    return "\r\n".join([*lines, "", ""]).encode() + (call.body or b"")


def _answer(conn: socket.socket) -> bytes:
    """One answer, read whole (its head and the body its length says)."""
    data = b""
    while b"\r\n\r\n" not in data:
        data += _received(conn)
    head, _, body = data.partition(b"\r\n\r\n")
    length = re.search(rb"(?im)^content-length:\s*(\d+)", head)
    while length is not None and len(body) < int(length[1]):
        body += _received(conn)
    return head


def _received(conn: socket.socket) -> bytes:
    chunk = conn.recv(65536)
    if not chunk:
        raise SystemExit("instructions: the mock closed the connection")
    return chunk


def _count_http(valgrind: str, role: str, calls: int) -> int:
    """Instructions of the served mock (start to stop) with the first create and ``calls`` calls of ``role``.

    The one connection is opened once the mock prints its banner (its socket is bound by then): no probe for
    readiness, whose number of tries would change with the machine's load and each be answered when the server
    starts. What is left that moves with time is uvicorn's tick (ten a second), next to nothing."""
    from benchmarks.proc import free_port
    from benchmarks.suites.mock import PETSTORE
    from benchmarks.tools import tool

    mock = tool("ours-mock")
    if not mock.available:
        raise SystemExit(f"instructions: {mock.missing}")
    port = free_port()
    command = [valgrind, *_VALGRIND[1:], *mock.command, "--spec", str(PETSTORE), "--name", _MOUNT, "--port", str(port)]
    with tempfile.TemporaryDirectory() as work:
        log = Path(work) / "mock.log"
        with log.open("wb") as sink:
            server = subprocess.Popen(
                command, stdout=sink, stderr=subprocess.STDOUT, start_new_session=True, env=_STEADY
            )
        try:
            _await_banner(server, log, f"127.0.0.1:{port}/")
            with socket.create_connection(("127.0.0.1", port), timeout=300) as conn:
                for wire in [_wire("create")] + [_wire(role)] * calls:
                    conn.sendall(wire)
                    head = _answer(conn)
                    if not head.startswith(b"HTTP/1.1 2"):
                        status = head.split(b"\r\n", 1)[0].decode("latin-1")
                        raise SystemExit(f"instructions: {role} answered {status}")
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=300)
        finally:
            if server.poll() is None:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()
        text = log.read_text(errors="replace")
    found = _REFS.search(text)
    if found is None:
        last = (text.strip() or "no output").splitlines()[-1]
        raise SystemExit(f"instructions: no count from valgrind (the mock's log ends: {last})")
    return int(found.group(1).replace(",", ""))


def _await_banner(server: subprocess.Popen[bytes], log: Path, address: str, timeout: float = 600.0) -> None:
    """Wait until the mock's banner names ``address`` (its socket is bound: a connection waits to be served)."""
    deadline = time.monotonic() + timeout
    while address not in log.read_text(errors="replace"):
        if server.poll() is not None:
            last = (log.read_text(errors="replace").strip() or "no output").splitlines()[-1]
            raise SystemExit(f"instructions: the mock under valgrind exited ({server.returncode}): {last}")
        if time.monotonic() > deadline:
            raise SystemExit(f"instructions: the mock under valgrind printed no banner within {timeout:.0f}s")
        time.sleep(0.05)


def _count(valgrind: str, role: str, calls: int) -> int:
    command = [
        valgrind,
        *_VALGRIND[1:],
        sys.executable,
        "-m",
        "benchmarks.workloads.instructions",
        "--inside",
        role,
        "--calls",
        str(calls),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=1800, check=False, env=_STEADY)
    found = _REFS.search(done.stderr)
    if done.returncode != 0 or found is None:
        last = (done.stderr.strip() or "no output").splitlines()[-1]
        raise SystemExit(f"instructions: {role} under valgrind failed (exit {done.returncode}): {last}")
    return int(found.group(1).replace(",", ""))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--calls", type=int, default=2000, help="calls counted per role (default 2000)")
    parser.add_argument("--role", action="append", choices=ROLES, help="only this call (repeatable)")
    parser.add_argument("--http", action="store_true", help="count the served mock over HTTP, not the handler alone")
    parser.add_argument("--inside", choices=ROLES, help=argparse.SUPPRESS)  # the measured process
    args = parser.parse_args(argv)
    if args.inside:
        _calls(args.inside, args.calls)
        return
    if args.calls < 1:
        parser.error("--calls must be at least 1")
    valgrind = shutil.which("valgrind")
    if valgrind is None:
        raise SystemExit("instructions: valgrind is not installed (Debian: apt-get install valgrind)")
    count, what = (_count_http, " over HTTP (the served mock)") if args.http else (_count, "")
    for role in args.role or ROLES:
        base, counted = count(valgrind, role, 0), count(valgrind, role, args.calls)
        each = (counted - base) / args.calls
        print(f"petstore-expanded {role}{what}: {each:,.0f} instructions per request", flush=True)


if __name__ == "__main__":
    main()
