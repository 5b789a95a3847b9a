"""Merge the area helpers' French fragments into the catalogue (temporary tool).

Extracts every message of the code and templates into translations/messages.pot,
updates translations/fr/LC_MESSAGES/messages.po from it, fills each empty translation
from translations/fragments/*.po (the first non-empty one wins, files in name order),
and prints the messages still untranslated. Run from the repository root:

    .venv/bin/python translations/merge_fragments.py
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "translations"
POT = TRANSLATIONS / "messages.pot"
KEYWORDS = [
    "-k", "_l", "-k", "lazy_gettext", "-k", "ngettext:1,2", "-k", "lazy_ngettext:1,2",
    "-k", "pgettext:1c,2", "-k", "npgettext:1c,2,3",
]  # fmt: skip
EXTRACT = [
    "pybabel", "extract", "-F", str(ROOT / "babel.cfg"), *KEYWORDS,
    "--add-comments=TRANSLATORS:", "--no-location", "--sort-output", "--omit-header",
    "--no-wrap", "-o", str(POT), ".",
]  # fmt: skip
UPDATE = [
    "pybabel", "update", "-i", str(POT), "-d", str(TRANSLATIONS), "--no-fuzzy-matching",
    "--no-wrap", "--ignore-obsolete",
]  # fmt: skip


def _translated(string: str | tuple[str, ...]) -> bool:
    """Whether a msgstr (or every plural form of it) is filled in."""
    return all(string) if isinstance(string, tuple) else bool(string)


def main() -> int:
    """Extract, update, fill from the fragments; return 1 when something is untranslated."""
    import os

    os.chdir(ROOT)
    CommandLineInterface().run(EXTRACT)
    CommandLineInterface().run(UPDATE)
    fragments = []
    for path in sorted((TRANSLATIONS / "fragments").glob("*.po")):
        with path.open("rb") as handle:
            fragments.append((path.name, read_po(handle, locale="fr")))
    target = TRANSLATIONS / "fr" / "LC_MESSAGES" / "messages.po"
    with target.open("rb") as handle:
        catalog = read_po(handle, locale="fr")
    missing = []
    for message in catalog:
        if not message.id:
            continue
        for _name, fragment in fragments:
            found = fragment.get(message.id, message.context)
            if found is not None and _translated(found.string) and not found.fuzzy:
                message.string = found.string
                message.flags.discard("fuzzy")
                break
        if not _translated(message.string) or message.fuzzy:
            missing.append(message.id)
    with target.open("wb") as handle:
        write_po(handle, catalog, width=0, no_location=True, sort_output=True)
    for msgid in missing:
        print("untranslated:", msgid if isinstance(msgid, str) else msgid[0])
    print(f"{len(missing)} untranslated of {len([m for m in catalog if m.id])}.")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
