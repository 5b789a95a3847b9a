"""Domains import downwards only (STYLE.md): main → goals → meetings → matching → cohorts."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import mentoring

ORDER = ("cohorts", "matching", "meetings", "goals", "main")
# Views are the entry points of pages that show several domains at once (the pairs page
# shows meeting counts); the domains' models, services and pure modules never look up.
ENTRY_POINTS = {"views.py", "__init__.py"}


def _imported(path: Path) -> list[str]:
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            names.append(node.module or "")
        elif isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
    return names


@pytest.mark.parametrize("domain", ORDER[:-1])
def test_a_domain_never_imports_the_domains_above_it(domain: str) -> None:
    above = tuple(f"mentoring.{name}" for name in ORDER[ORDER.index(domain) + 1 :])
    package = Path(mentoring.__file__).parent / domain
    offenders = [
        f"{path.name}: {name}"
        for path in sorted(package.glob("*.py"))
        if path.name not in ENTRY_POINTS
        for name in _imported(path)
        if name.startswith(above)
    ]
    assert offenders == []
