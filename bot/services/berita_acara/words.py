"""Indonesian words of the berita acara: numbers spelled out (terbilang), dates and times as
Indonesian letters write them, and the Roman month of letter numbers."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

DAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")

MONTHS = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)

_ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")

_DIGITS = ("nol", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan")

# Scale words from the largest down; Indonesian groups by thousands like English.
_SCALES = ((10**12, "triliun"), (10**9, "miliar"), (10**6, "juta"), (10**3, "ribu"))

_TERBILANG_LIMIT = 10**15


def roman_month(month: int) -> str:
    """Returns the Roman numeral of a month (1..12), as used in Indonesian letter numbers."""
    if not 1 <= month <= 12:
        raise ValueError(f"month must be within 1..12, got {month}")
    return _ROMAN[month - 1]


def terbilang(n: int) -> str:
    """Spells a non-negative integer below 10**15 in Indonesian words."""
    if n < 0:
        raise ValueError(f"terbilang needs a non-negative number, got {n}")
    if n >= _TERBILANG_LIMIT:
        raise ValueError(f"terbilang supports numbers below {_TERBILANG_LIMIT}, got {n}")
    if n == 0:
        return _DIGITS[0]
    words: list[str] = []
    for scale, name in _SCALES:
        group, n = divmod(n, scale)
        if group == 0:
            continue
        # "seribu", not "satu ribu"; every larger scale keeps "satu" ("satu juta").
        words.append(
            "seribu" if group == 1 and scale == 1000 else f"{_below_thousand(group)} {name}"
        )
    if n:
        words.append(_below_thousand(n))
    return " ".join(words)


def _below_thousand(n: int) -> str:
    hundreds, rest = divmod(n, 100)
    words: list[str] = []
    if hundreds:
        words.append("seratus" if hundreds == 1 else f"{_DIGITS[hundreds]} ratus")
    if rest:
        words.append(_below_hundred(rest))
    return " ".join(words)


def _below_hundred(n: int) -> str:
    if n < 10:
        return _DIGITS[n]
    if n == 10:
        return "sepuluh"
    if n == 11:
        return "sebelas"
    if n < 20:
        return f"{_DIGITS[n - 10]} belas"
    tens, ones = divmod(n, 10)
    return f"{_DIGITS[tens]} puluh" + (f" {_DIGITS[ones]}" if ones else "")


def date_in_words(moment: datetime, timezone: str) -> str:
    """Returns the opening date phrase of a berita acara for the local date in the zone."""
    local = local_time(moment, timezone)
    return (
        f"Pada hari ini {DAYS[local.weekday()]} tanggal {terbilang(local.day)} "
        f"bulan {MONTHS[local.month - 1]} tahun {terbilang(local.year)}"
    )


def format_date(day: date) -> str:
    """Returns a date as Indonesian letters write it, e.g. "27 November 2026"."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def format_moment(moment: datetime, timezone: str) -> str:
    """Returns a local timestamp such as "Senin, 30 November 2026 pukul 14.05 WIB"."""
    local = local_time(moment, timezone)
    return (
        f"{DAYS[local.weekday()]}, {local.day} {MONTHS[local.month - 1]} {local.year} "
        f"pukul {local:%H.%M} {local.tzname()}"
    )


def short_moment(moment: datetime, timezone: str) -> str:
    """Returns a local timestamp such as "30 November 2026 pukul 14.05 WIB"."""
    local = local_time(moment, timezone)
    return f"{format_date(local.date())} pukul {local:%H.%M} {local.tzname()}"


def require_aware(moment: datetime) -> None:
    """Rejects a naive moment, which has no date in any particular zone."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("the moment must be timezone-aware")


def local_time(moment: datetime, timezone: str) -> datetime:
    """Returns an aware moment in the zone."""
    require_aware(moment)
    return moment.astimezone(ZoneInfo(timezone))
