"""Wheel build hook: compile the French (and any other) catalogues into the wheel.

The compiled .mo files are not in the repository; this builds them from the .po files
and ships both inside the package as mentoring/translations/<lang>/LC_MESSAGES/.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class TranslationsBuildHook(BuildHookInterface):
    """Compile translations/*/LC_MESSAGES/*.po and force-include them in the wheel."""

    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        """Compile each catalogue into a temporary folder and add it to the wheel."""
        source = Path(self.root) / "translations"
        self._compiled = Path(tempfile.mkdtemp(prefix="mentoring-mo-"))
        for po_path in sorted(source.glob("*/LC_MESSAGES/*.po")):
            relative = po_path.relative_to(source)
            with po_path.open("rb") as po_file:
                catalog = read_po(po_file, locale=relative.parts[0])
            mo_path = self._compiled / relative.with_suffix(".mo")
            mo_path.parent.mkdir(parents=True, exist_ok=True)
            with mo_path.open("wb") as mo_file:
                write_mo(mo_file, catalog, use_fuzzy=False)
            target = Path("mentoring/translations") / relative
            build_data["force_include"][str(po_path)] = str(target)
            build_data["force_include"][str(mo_path)] = str(target.with_suffix(".mo"))

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        """Remove the temporary compiled catalogues."""
        shutil.rmtree(self._compiled, ignore_errors=True)
