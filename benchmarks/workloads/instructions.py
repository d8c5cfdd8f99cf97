"""Instructions the mock runs per request, in process: ``python -m benchmarks.workloads.instructions [--calls N]``.

On a shared two-core machine the wall-clock cost of one request moves by 20 % or more between two runs of the same
code, so a change of a few per cent to the request path cannot be seen in time. The number of instructions the
mock's request handler runs hardly moves (about 0.2 %). This runs petstore-expanded's list, retrieve and create
(the ``mock:petstore-expanded`` calls, no HTTP) under valgrind's cachegrind with no cache simulation, once with no
call and once with ``--calls`` calls, and prints the difference divided by the calls: instructions per request,
the interpreter's start-up and the spec's loading taken out. Run it on two commits to compare them.

It counts instructions, not time: a change that trades instructions for memory traffic (or the reverse) can move
one and not the other. Needs valgrind (Debian: ``apt-get install valgrind``).
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys

__all__ = ["main"]

ROLES = ("list", "retrieve", "create")
_REFS = re.compile(r"I\s+refs:\s+([\d,]+)")


def _calls(role: str, count: int) -> None:
    """In the measured process: ``count`` calls of ``role`` to the mock's handler, after one create (so that a
    retrieve finds pet 1 and a list has one pet to show)."""
    from benchmarks.suites.mock import PETSTORE
    from benchmarks.suites.mock_calls import plan
    from conformance.mock import MockConfig, create_app

    mount = "oai-petstore-expanded"
    calls = plan(PETSTORE, mount).calls
    app = create_app([f"{mount}={PETSTORE}"], config=MockConfig())
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


def _count(valgrind: str, role: str, calls: int) -> int:
    command = [
        valgrind,
        "--tool=cachegrind",
        "--cache-sim=no",
        "--cachegrind-out-file=/dev/null",
        sys.executable,
        "-m",
        "benchmarks.workloads.instructions",
        "--inside",
        role,
        "--calls",
        str(calls),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=1800, check=False)
    found = _REFS.search(done.stderr)
    if done.returncode != 0 or found is None:
        last = (done.stderr.strip() or "no output").splitlines()[-1]
        raise SystemExit(f"instructions: {role} under valgrind failed (exit {done.returncode}): {last}")
    return int(found.group(1).replace(",", ""))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--calls", type=int, default=2000, help="calls counted per role (default 2000)")
    parser.add_argument("--role", action="append", choices=ROLES, help="only this call (repeatable)")
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
    for role in args.role or ROLES:
        base, counted = _count(valgrind, role, 0), _count(valgrind, role, args.calls)
        print(f"petstore-expanded {role}: {(counted - base) / args.calls:,.0f} instructions per request", flush=True)


if __name__ == "__main__":
    main()
