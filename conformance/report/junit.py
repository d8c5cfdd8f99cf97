"""The drift report as JUnit XML: a test suite per API, a test case per operation, a failure per drift."""

from __future__ import annotations

from collections.abc import Sequence
from xml.etree import ElementTree as ET

from conformance.engine import ApiResult

__all__ = ["render_junit"]


def render_junit(results: Sequence[ApiResult]) -> str:
    root = ET.Element("testsuites", name="specforge conform")
    for r in results:
        operations = sorted({d.operation for d in r.drifts})
        suite = ET.SubElement(
            root,
            "testsuite",
            name=r.api,
            tests=str(max(r.operations_covered, len(operations)) + len(r.errors) + (r.unchecked is not None)),
            failures=str(len(operations) + (r.unchecked is not None)),
            errors=str(len(r.errors)),
            time=f"{r.elapsed:.3f}",
        )
        for operation in operations:
            case = ET.SubElement(suite, "testcase", classname=f"conformance.{r.api}", name=operation)
            for drift in (d for d in r.drifts if d.operation == operation):
                failure = ET.SubElement(case, "failure", type=drift.kind, message=f"{drift.kind} at {drift.pointer}")
                failure.text = (
                    f"check: {drift.check}\nspec says: {drift.spec_says}\napi did: {drift.api_did}\n{drift.curl}"
                )
        if r.operations_covered > len(operations):
            ET.SubElement(
                suite,
                "testcase",
                classname=f"conformance.{r.api}",
                name=f"{r.operations_covered - len(operations)} operation(s) without drift",
            )
        if r.unchecked is not None:  # a run that checked nothing fails CI, it does not pass as clean
            case = ET.SubElement(suite, "testcase", classname=f"conformance.{r.api}", name="the run reached the API")
            ET.SubElement(case, "failure", type="unchecked", message=r.unchecked[:200]).text = r.unchecked
        for index, error in enumerate(r.errors):
            case = ET.SubElement(suite, "testcase", classname=f"conformance.{r.api}", name=f"run error {index + 1}")
            ET.SubElement(case, "error", message=error.split("\n")[0][:200]).text = error
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"
