"""CSV exports of report tables: UTF-8 with a BOM, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence

from mentoring.reports.figures import Table
from mentoring.reports.suppression import PLAIN, Wording

BOM = "\ufeff"
# A spreadsheet runs a cell starting with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"-?\d+(\.\d+)?")


def safe_cell(value: object) -> str:
    """A cell as text a spreadsheet shows as text: formula-like values get a quote first.

    Plain numbers (a negative gain such as -0.25) stay numbers: they are no formula.
    """
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS) and not PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def rows_csv(header: Sequence[object], rows: Iterable[Sequence[object]]) -> str:
    """Rows as CSV text with a BOM, every cell made safe."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([safe_cell(cell) for cell in header])
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return BOM + out.getvalue()


def table_csv(table: Table, wording: Wording = PLAIN) -> str:
    """A report table as CSV, its figures as the page shows them (suppressed), numbers
    plain so that a spreadsheet reads them: give a wording with plain number formats."""
    return rows_csv(
        table.header,
        ([label, *(cell.text(wording) for cell in cells)] for label, cells in table.rows),
    )
