"""Who a report names on paper (the letterhead of the institution, the Kepala Bidang who
signs) and how it writes numbers and periods. Kept apart from the document code, so preparing a
report or its message imports no PDF library."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.services.berita_acara.words import format_date


@dataclass(frozen=True)
class Letterhead:
    """The institution's letterhead, as the berita acara prints it."""

    lines: tuple[str, ...]
    address: str = ""
    logo: bytes | None = None


@dataclass(frozen=True)
class Signer:
    """The Kepala Bidang who signs the report (blank lines when unknown)."""

    name: str = ""
    nip: str | None = None


def number(value: float | int | None, digits: int = 1) -> str:
    """Returns a number as Indonesian documents print it (decimal comma), "-" for none."""
    if value is None:
        return "-"
    if isinstance(value, int):
        return f"{value:,}".replace(",", ".")
    return f"{value:,.{digits}f}".replace(",", " ").replace(".", ",").replace(" ", ".")


def period_text(first: date, last: date) -> str:
    """Returns "1 Juli 2026 s.d. 30 September 2026"."""
    return f"{format_date(first)} s.d. {format_date(last)}"
