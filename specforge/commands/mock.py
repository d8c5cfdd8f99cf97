"""``specforge mock``: serve the stateful mock of our APIs (or any OpenAPI spec) on 127.0.0.1."""

from __future__ import annotations

import contextlib
import socket
import tempfile
from pathlib import Path

import click

from apimodel.diagnostics import SpecError
from conformance.mock import MockConfig, MockConfigError, create_app
from specforge.commands.project import config_or_exit
from specforge.commands.serving import serve

__all__ = ["banner", "bind", "mock"]


def banner(app: object, host: str, port: int) -> str:
    """Each API's base URL and its demo tenants' credentials as environment variable assignments."""
    lines = []
    for name, server in app.state.mock.servers.items():  # type: ignore[attr-defined]
        url = f"http://{host}:{port}/{name}"
        lines.append(f"{name}: {url}")
        lines.append(f"  {name.upper().replace('-', '_')}_BASE_URL={url}")  # what the generated clients read
        for index in range(min(2, len(server.tenants))):
            assignments = " ".join(f"{env}={value}" for env, value in server.tenants.values[index].items())
            lines.append(f"  tenant {index}: {assignments or '(no credentials needed)'}")
    return "\n".join(lines)


@click.command()
@click.argument("apis", nargs=-1, metavar="[API]...")
@click.option("--spec", "specs", multiple=True, type=click.Path(path_type=Path), help="Serve any OpenAPI 3 spec file.")
@click.option("--name", default=None, help="Mount name for a single --spec (default: its file stem).")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind (keep it on loopback).")
@click.option("--port", default=4010, show_default=True, type=int, help="Port (0 picks a free one).")
@click.option("--seed-data", is_flag=True, help="Start with a few objects per resource and tenant.")
@click.option("--tenants", type=click.Path(path_type=Path, exists=True, dir_okay=False), help="Extra tenants file.")
@click.option("--fault-rate", default=0.0, type=float, help="Share of requests (0..1) given a random fault.")
@click.option("--latency-ms", default=0.0, type=float, help="Delay every response by this many milliseconds.")
@click.option("--max-body-bytes", default=1_000_000, type=int, show_default=True, help="Bigger bodies get 413.")
@click.option(
    "--state",
    type=click.Path(path_type=Path, dir_okay=False),
    help=(
        "Keep the objects in this SQLite file: they survive a restart of the mock (not a crash of the machine: the"
        " file is not synced to disk), and mocks given the same file share them. Ids and numbers are counted in"
        " FILE-counters beside it, which every mock serving the file maps (built again from FILE if it is gone)."
    ),
)
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Serve from this many processes sharing one state (a temporary file unless --state names one).",
)
@click.option(
    "--self-check",
    is_flag=True,
    help="Validate every response as sent against the spec; each one that breaks it is logged on stderr.",
)
@click.option(
    "--chaos",
    is_flag=True,
    help="Success bodies drift from their schema like real APIs' (unknown fields and enum values, nulls, "
    "missing fields, numbers as strings); each response's X-Mock-Chaos header says how. A request alone can ask "
    "with the header 'Prefer: chaos'.",
)
@click.option(
    "--random-seed", type=int, default=None, help="Seed of random faults and chaos drift: the same seed, the same run."
)
@click.option("--print-only", is_flag=True, help="Print the base URLs and credentials, then exit.")
def mock(
    apis: tuple[str, ...],
    specs: tuple[Path, ...],
    name: str | None,
    host: str,
    port: int,
    seed_data: bool,
    tenants: Path | None,
    fault_rate: float,
    latency_ms: float,
    max_body_bytes: int,
    state: Path | None,
    workers: int,
    self_check: bool,
    chaos: bool,
    random_seed: int | None,
    print_only: bool,
) -> None:
    """Serve the stateful mock: each API under http://HOST:PORT/<api>/ (by default a project's configured APIs,
    else all of ours)."""
    if name and len(specs) != 1:
        raise click.UsageError("--name goes with exactly one --spec")
    targets: list[str | Path] = list(apis)
    targets += [f"{name}={specs[0]}"] if name else list(specs)
    if not targets:  # a project's configured APIs, else all of ours
        project = config_or_exit()
        targets = [entry.target for entry in project.apis] if project is not None else []
    with contextlib.ExitStack() as cleanup:
        if workers > 1 and state is None and not print_only:
            state = Path(cleanup.enter_context(tempfile.TemporaryDirectory(prefix="specforge-mock-"))) / "state.sqlite"
        try:
            config = MockConfig(
                tenants_file=tenants,
                seed_data=seed_data,
                fault_rate=fault_rate,
                latency_ms=latency_ms,
                max_body_bytes=max_body_bytes,
                state_file=state,
                self_check=self_check,
                chaos=chaos,
                random_seed=random_seed,
            )
            app = create_app(targets or None, config=config)
        except (SpecError, MockConfigError) as exc:
            raise click.ClickException(str(exc)) from None
        if not app.state.mock.servers:
            raise click.ClickException("no spec could be loaded; run `specforge validate` to see why")
        if print_only:
            click.echo(banner(app, host, port))
            return
        # bound before the banner, so `--port 0` prints the port it got; workers get a socket each on one port,
        # so the kernel spreads connections over them (one shared socket gives most to whichever wakes first)
        socks = [bind(host, port, share=workers > 1)]
        socks += [bind(host, socks[0].getsockname()[1], share=True) for _ in range(workers - 1)]
        click.echo(banner(app, host, socks[0].getsockname()[1]), nl=True)
        if state is not None or workers > 1:
            click.echo(f"state: {state} ({workers} worker{'s' if workers > 1 else ''})")
        if chaos:
            click.echo(f"chaos: success bodies drift from their schema (seed {random_seed or 0}; see X-Mock-Chaos)")
        try:
            code = serve(app, socks)
        finally:
            for sock in socks:
                sock.close()
            if self_check:
                found = sum(len(v) for v in app.state.mock.violations().values())
                click.echo(f"self-check: {found} response(s) broke the spec (this process)", err=True)
    if code:
        raise SystemExit(code)


def bind(host: str, port: int, *, share: bool = False) -> socket.socket:
    """A listening TCP socket on ``host:port`` (port 0: a free one); one-line error when it cannot bind.

    ``share`` sets ``SO_REUSEPORT``: each worker listens on a socket of its own on the same port.

    The protocol is named (``IPPROTO_TCP``, not 0): asyncio turns Nagle's algorithm off only on sockets that
    say they are TCP, and the accepted connections inherit it. Without it every kept-alive request waited
    for the client's delayed ACK, about 40 ms.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if share:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise click.ClickException(f"cannot listen on {host}:{port} ({exc.strerror}); pick another --port") from None
    sock.listen(128)
    sock.set_inheritable(True)
    return sock
