"""What a run really checked: per operation, how many requests got an answer and how many reached a 2xx.

A run that was locked out, or never reached the API, must not end "no drift found": :func:`verdict` says
why such a run checked (almost) nothing, in one line. Refusals count only for requests that carried the
run's credentials: schemathesis also sends requests without them on purpose, to check that they are refused.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

__all__ = ["Coverage", "OperationCoverage", "verdict"]

_REFUSED = frozenset({401, 403})
_NOT_FOUND_SHARE = 0.8  # (nearly) every answer a 404 and none a success: the base URL is wrong

# whether a request carried the run's credentials: (headers, query string, body) -> bool
Carried = Callable[[dict[str, str], str, bytes], bool]


@dataclass(frozen=True)
class OperationCoverage:
    """One operation's requests in a run."""

    operation: str  # "GET /pets"
    answered: int = 0  # requests that got a response
    succeeded: int = 0  # ... with a 2xx
    refused: int = 0  # ... with 401 or 403, although they carried the run's credentials
    not_found: int = 0  # ... with 404
    unanswered: int = 0  # requests that got no response (connection errors, timeouts)

    @property
    def reached(self) -> bool:
        return self.succeeded > 0

    @property
    def locked_out(self) -> bool:
        """Never a success, and refused most times the run's credentials were sent."""
        return not self.reached and self.refused > 0 and self.refused * 2 >= self.answered


@dataclass
class Coverage:
    """Counts answers per operation as scenarios finish; ``selected`` are the operations the run may call."""

    selected: tuple[str, ...]
    carried: Carried = field(default=lambda headers, query, body: True, repr=False)
    _statuses: dict[str, Counter[int]] = field(default_factory=dict)
    _refused: Counter[str] = field(default_factory=Counter)
    _unanswered: Counter[str] = field(default_factory=Counter)

    def observe(self, recorder: Any) -> None:
        for case_id, interaction in recorder.interactions.items():
            node = recorder.cases.get(case_id)
            if node is None:
                continue
            label = str(node.value.operation.label)
            if interaction.response is None:
                self._unanswered[label] += 1
                continue
            status = int(interaction.response.status_code)
            self._statuses.setdefault(label, Counter())[status] += 1
            if status in _REFUSED and self._carried(interaction.request):
                self._refused[label] += 1

    def _carried(self, request: Any) -> bool:
        headers = {k: v[0] if isinstance(v, list) and v else str(v) for k, v in (request.headers or {}).items()}
        return self.carried(headers, urlsplit(str(request.uri)).query, request.body or b"")

    def unanswered(self, label: str) -> None:
        """A request of ``label`` that failed before any response (reported as a non-fatal error)."""
        self._unanswered[label] += 1

    def operations(self) -> tuple[OperationCoverage, ...]:
        found = []
        for label in sorted(set(self.selected) | set(self._statuses) | set(self._unanswered)):
            statuses = self._statuses.get(label, Counter())
            found.append(
                OperationCoverage(
                    operation=label,
                    answered=sum(statuses.values()),
                    succeeded=sum(n for s, n in statuses.items() if 200 <= s < 300),
                    refused=self._refused.get(label, 0),
                    not_found=statuses.get(404, 0),
                    unanswered=self._unanswered.get(label, 0),
                )
            )
        return tuple(found)


_LOCKED_MIN = 5  # refusals that make a lock-out on their own, when it shows in few operations


def verdict(operations: tuple[OperationCoverage, ...], credential_hint: str) -> str | None:
    """Why the run checked (almost) nothing, or ``None`` when it reached the API."""
    answered = sum(o.answered for o in operations)
    unanswered = sum(o.unanswered for o in operations)
    if answered == 0:
        if unanswered:
            return f"none of {unanswered} requests got an answer: is the server up and the base URL right?"
        return "no request was sent: no operation was selected"
    locked = [o for o in operations if o.locked_out]
    # a lock-out shows in many refusals, or in most operations: one or two 403s on an operation whose other cases got
    # 404 (GitHub's codespaces secrets, two fuzzed cases each) are the API's answers to those cases, not a lock-out
    if locked and (sum(o.refused for o in locked) >= _LOCKED_MIN or 2 * len(locked) >= len(operations)):
        refused, sent = sum(o.refused for o in locked), sum(o.answered for o in locked)
        names = ", ".join(o.operation for o in locked[:3]) + (f" and {len(locked) - 3} more" if len(locked) > 3 else "")
        return f"{refused} of {sent} requests to {names} were refused with 401 or 403: {credential_hint}"
    if any(o.reached for o in operations):
        return None
    not_found = sum(o.not_found for o in operations)
    if not_found >= _NOT_FOUND_SHARE * answered:
        return f"{not_found} of {answered} requests got 404 and none succeeded: is the base URL right?"
    return f"none of {answered} requests succeeded, so no success response was checked"
