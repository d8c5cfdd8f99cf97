"""The drift injector: named mutations applied between the suite and the mock, to prove drift is caught."""

from __future__ import annotations

from conformance.inject.middleware import DriftInjector
from conformance.inject.mutations import MUTATIONS, Mutation

__all__ = ["MUTATIONS", "DriftInjector", "Mutation"]
