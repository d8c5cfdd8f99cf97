"""How many of the real payloads each spec accepts: ``python -m tests.specs.acceptance [SPEC_DIR]``.

SPEC_DIR defaults to ``specs/``; point it at an older copy (``git archive REV specs | tar -x -C /tmp/old``)
to compare. One line per API, then one per rejected payload with the first problems.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from apimodel import load_api
from apimodel.project import SPECS_DIR
from conformance.mock import validate_response
from conformance.mock.model import serve
from tests.specs import real_bitfaktura, real_cloudinvoice, real_econt, real_efactori, real_facturare

PAYLOADS = [
    *real_bitfaktura.PAYLOADS,
    *real_facturare.PAYLOADS,
    *real_econt.PAYLOADS,
    *real_cloudinvoice.PAYLOADS,
    *real_efactori.PAYLOADS,
]


def main(argv: list[str]) -> int:
    folder = Path(argv[0]) if argv else SPECS_DIR
    rejected: list[str] = []
    for api in sorted({p.api for p in PAYLOADS}):
        served = serve(load_api(folder / f"{api}.yaml", api))
        mine = [p for p in PAYLOADS if p.api == api]
        accepted = 0
        for payload in mine:
            body = json.dumps(payload.body).encode()
            problems = validate_response(served, payload.method, payload.path, payload.status, "application/json", body)
            accepted += not problems
            if problems:
                rejected.append(f"  {payload.id}: " + "; ".join(str(p) for p in problems[:3]))
        print(f"{api}: {accepted}/{len(mine)} real payloads accepted")
    print("\n".join(rejected))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
