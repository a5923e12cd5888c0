"""Validates JUnit XML against every JUnit schema in tests/schemas (see its README), and shows a
report as GitLab's test view would.

The Ant schema (windyroad JUnit.xsd) and Jenkins' junit-10.xsd validate the whole document. Maven
Surefire's schema describes a file holding a single <testsuite> without the Ant schema's suite-level
additions (timestamp, hostname, id, package, suite <system-out>/<system-err>), so each suite is
checked against it with those taken out: what is left, above all every <testcase>, must be valid.
"""

from __future__ import annotations

import copy
import xml.etree.ElementTree as ET
from functools import cache
from pathlib import Path

import xmlschema

SCHEMAS = Path(__file__).parent / "schemas"
WHOLE_DOCUMENT = ("JUnit.xsd", "junit-10.xsd")
SUREFIRE = "surefire-test-report-3.0.xsd"
_ANT_ONLY_ATTRIBUTES = ("timestamp", "hostname", "id", "package")
_ANT_ONLY_CHILDREN = ("system-out", "system-err")


@cache
def schema(name: str) -> xmlschema.XMLSchema10:
    return xmlschema.XMLSchema10(SCHEMAS / name)


def surefire_views(xml_text: str) -> list[ET.Element]:
    """Each <testsuite> as a Surefire file would hold it."""
    views = []
    for suite in ET.fromstring(xml_text).iter("testsuite"):
        view = copy.deepcopy(suite)
        for name in _ANT_ONLY_ATTRIBUTES:
            view.attrib.pop(name, None)
        for child in [c for c in view if c.tag in _ANT_ONLY_CHILDREN]:
            view.remove(child)
        views.append(view)
    return views


def assert_valid_junit(xml_text: str) -> None:
    """Fails with the first problem of each schema that rejects the document."""
    problems = []
    for name in WHOLE_DOCUMENT:
        problems += [f"{name}: {e.path}: {e.reason}" for e in schema(name).iter_errors(xml_text)][
            :3
        ]
    for view in surefire_views(xml_text):
        text = ET.tostring(view, encoding="unicode")
        problems += [
            f"{SUREFIRE}: {e.path}: {e.reason}" for e in schema(SUREFIRE).iter_errors(text)
        ][:3]
    assert not problems, "\n".join(problems)


def gitlab_view(xml_text: str) -> dict[tuple[str, str], tuple[str, str]]:
    """What GitLab's test report shows of each case: (suite, name) → (status, output).

    As GitLab's JUnit parser reads a case: the first of <failure>, <error>, <skipped> sets the
    status and its text is the output; any other case is a success with no output at all.
    """
    shown = {}
    for suite in ET.fromstring(xml_text).iter("testsuite"):
        for case in suite.iter("testcase"):
            status, output = "success", ""
            for tag, name in (("failure", "failed"), ("error", "error"), ("skipped", "skipped")):
                child = case.find(tag)
                if child is not None:
                    status, output = name, child.text or ""
                    break
            shown[(suite.get("name", ""), case.get("name", ""))] = (status, output)
    return shown
