"""Small-group suppression: what leadership may see of a count, a share or a mean.

Pure logic, no Flask. Every figure of a report is a `Cell`; primary suppression hides a
count of fewer than `min_group` people, complementary suppression hides a second cell
wherever a hidden one could be recovered by subtracting shown cells from a shown total,
and shares and means computed from a hidden or small group are hidden too. With
`min_group=None` (HR) nothing is hidden.

How a cell is written (its words, its number format) is a `Wording` the caller gives:
English with plain numbers by default; the pages pass the reader's language and Babel's
formats, the CSV exports the reader's words with plain numbers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from mentoring.plain_english import Gettext, Ngettext, english, english_plural

SMALL = "small"  # fewer people than the threshold
COMPLEMENT = "complement"  # hidden so a small cell cannot be worked out by subtraction
DERIVED = "derived"  # a share or a mean of a hidden or small group

NOT_SHOWN = "not shown"


def plain_decimal(value: float, digits: int) -> str:
    """A decimal with a point and these digits, for English and spreadsheets: 3.7."""
    return f"{value:.{digits}f}"


def _plain_percent(value: float) -> str:
    return f"{value:.0f} %"


def _plain_number(value: float | int) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


@dataclass(frozen=True)
class Wording:
    """How report figures are written: the words around them and the number formats.

    `percent` takes a percentage (62.0 for 62 %); `decimal` a value and its digits;
    `number` a count or a plain figure.
    """

    _: Gettext = english
    ngettext: Ngettext = english_plural
    percent: Callable[[float], str] = _plain_percent
    decimal: Callable[[float, int], str] = plain_decimal
    number: Callable[[float | int], str] = _plain_number
    # Curriculum names (topics, goal templates) in the reader's language; keyed by English.
    curriculum: Callable[[str], str] = str
    # A month given as "YYYY-MM", as the reader writes it (spreadsheets keep the ISO form).
    month: Callable[[str], str] = str

    def signed(self, value: float, digits: int = 2) -> str:
        """A gain with its sign: +1.00, -1.48."""
        return ("+" if value >= 0 else "-") + self.decimal(abs(value), digits)


# English with plain numbers: the default of every pure function here and in `figures`.
PLAIN = Wording()


@dataclass(eq=False)
class Cell:
    """One figure of a report, with why it is hidden (None when shown)."""

    value: float | int | None
    kind: str = "count"  # count, percent, mean, number, days, p, text
    hidden: str | None = None
    min_group: int | None = None
    # The counts a share is computed from: hiding one of them later hides the share too.
    depends_on: tuple[Cell, ...] = ()

    @property
    def reason(self) -> str | None:
        """Why the figure is hidden, including a count it depends on being hidden."""
        if self.hidden:
            return self.hidden
        if any(not cell.shown for cell in self.depends_on):
            return DERIVED
        return None

    @property
    def shown(self) -> bool:
        """Whether the figure may be shown."""
        return self.reason is None

    @property
    def chart_value(self) -> float | None:
        """The value a chart may draw: None when hidden or undefined."""
        if not self.shown or self.value is None or self.kind == "text":
            return None
        return float(self.value)

    def text(self, wording: Wording = PLAIN) -> str:
        """The figure as the reader sees it, in pages and exports alike."""
        _ = wording._
        reason = self.reason
        if reason == SMALL:
            # TRANSLATORS: a count leadership may not see exactly, e.g. "fewer than 5".
            return _("fewer than %(num)s", num=self.min_group)
        if reason:
            # TRANSLATORS: a figure hidden so that a small group cannot be worked out.
            return _("not shown")
        value = self.value
        if value is None:
            return "–"
        if self.kind == "text":
            return str(value)
        if self.kind == "percent":
            return wording.percent(value)
        if self.kind == "mean":
            return wording.decimal(value, 1)
        if self.kind == "signed":
            return wording.signed(value)
        if self.kind == "p":
            return "< " + wording.decimal(0.001, 3) if value < 0.001 else wording.decimal(value, 3)
        return wording.number(value)

    def __str__(self) -> str:
        return self.text()


def text(value: str) -> Cell:
    """A cell of text (a row label, a name): never hidden."""
    return Cell(value, "text")


class Suppressor:
    """Makes cells under one threshold; `min_group=None` shows everything (HR)."""

    def __init__(self, min_group: int | None) -> None:
        self.min_group = min_group

    def count(self, value: int, base: int | None = None) -> Cell:
        """A count; hidden when the people it rests on (`base`, else itself) are 1 to k-1."""
        people = value if base is None else base
        small = self.min_group is not None and 0 < people < self.min_group
        return Cell(value, "count", SMALL if small else None, self.min_group)

    def number(self, value: float | int | None, base: int, kind: str = "mean") -> Cell:
        """A mean (or any figure) computed from `base` people: hidden when they are few."""
        small = self.min_group is not None and base < self.min_group
        hidden = DERIVED if small and base > 0 else None
        return Cell(None if base == 0 else value, kind, hidden, self.min_group)

    def share(self, part: Cell, whole: Cell) -> Cell:
        """`part` as a percentage of `whole`; hidden when either is hidden or whole is small."""
        if not whole.value:
            return Cell(None, "percent", None, self.min_group)
        value = 100.0 * float(part.value or 0) / float(whole.value)
        if self.min_group is None:
            return Cell(value, "percent")
        hidden = DERIVED if whole.value < self.min_group else None
        return Cell(value, "percent", hidden, self.min_group, depends_on=(part, whole))


@dataclass(frozen=True)
class Constraint:
    """A published identity: the members add up to the total."""

    members: tuple[Cell, ...]
    total: Cell


def sums_to(members: Iterable[Cell], total: Cell) -> Constraint:
    """Declare that the members of a row or column add up to a total."""
    return Constraint(tuple(members), total)


def protect(constraints: Sequence[Constraint]) -> int:
    """Complementary suppression: hide cells until no equation has a single hidden cell.

    Where exactly one cell of an equation is hidden, the smallest shown non-zero member
    is hidden with it (the total only when no such member remains, so totals shared by
    several tables stay shown). Repeats until stable, since hiding a cell in a row can
    expose one in a column. Returns how many cells were hidden.
    """
    added = 0
    changed = True
    while changed:
        changed = False
        for constraint in constraints:
            cells = [*constraint.members, constraint.total]
            hidden = [cell for cell in cells if not cell.shown]
            if len(hidden) != 1:
                continue
            candidates = [
                cell for cell in constraint.members if cell.shown and (cell.value or 0) > 0
            ]
            if candidates:
                pick = min(candidates, key=lambda cell: cell.value or 0)
            elif constraint.total.shown and constraint.total.value:
                pick = constraint.total
            else:
                continue  # everything else is zero: the hidden cell is the total, also 0
            pick.hidden = COMPLEMENT
            added += 1
            changed = True
    return added


def recoverable(constraints: Sequence[Constraint]) -> list[Cell]:
    """The hidden cells an attacker could compute exactly from the shown ones by
    linear differencing (for the differencing test)."""
    import numpy as np

    hidden: list[Cell] = []
    seen: set[int] = set()
    for constraint in constraints:
        for cell in (*constraint.members, constraint.total):
            if not cell.shown and id(cell) not in seen:
                seen.add(id(cell))
                hidden.append(cell)
    if not hidden:
        return []
    index = {id(cell): i for i, cell in enumerate(hidden)}
    rows = []
    for constraint in constraints:
        row = np.zeros(len(hidden))
        for cell in constraint.members:
            if id(cell) in index:
                row[index[id(cell)]] += 1
        if id(constraint.total) in index:
            row[index[id(constraint.total)]] -= 1
        if row.any():
            rows.append(row)
    if not rows:
        return []
    matrix = np.array(rows)
    rank = np.linalg.matrix_rank(matrix)
    found = []
    for cell in hidden:
        unit = np.zeros(len(hidden))
        unit[index[id(cell)]] = 1
        if np.linalg.matrix_rank(np.vstack([matrix, unit])) == rank:
            found.append(cell)
    return found
