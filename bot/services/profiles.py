"""Profiles: what the berita acara prints of a person (name with titles, NIP, jabatan,
pangkat/golongan) and the phone, kept by each registered person with `/profil`.

The NIP (Nomor Induk Pegawai) of a civil servant has 18 digits: the birth date (yyyymmdd), the
TMT, the month of the first appointment (yyyymm), the sex (1 man, 2 woman) and a sequence
number (PP 11/2017 and BKN practice). The check tells which part is wrong, so the person can
correct it instead of guessing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from bot.services.context import Context
from bot.services.domain import Role
from bot.services.errors import InvalidInput, NotRegistered
from bot.services.uow import UnitOfWork
from bot.services.users import (
    NIP_DIGITS,
    clean_name,
    clean_phone,
    clean_position,
    find_user,
)
from bot.services.validation import within
from db.models import User

RANK_MAX = 60
# A civil servant is appointed at 18 at the earliest; a year of slack for rounding by month.
MIN_AGE_AT_APPOINTMENT = 17
EARLIEST_BIRTH_YEAR = 1940


class Field(StrEnum):
    """A field of the profile that `/profil` changes."""

    NAME = "full_name"
    NIP = "nip"
    POSITION = "position"
    RANK = "rank"
    PHONE = "phone"


@dataclass(frozen=True)
class Profile:
    """A person's profile as `/profil` shows it."""

    full_name: str
    nip: str | None
    position: str | None
    rank: str | None
    phone: str | None
    opd_name: str | None
    staff: bool


def check_nip(text: str, today: date) -> str:
    """Returns the NIP typed (spaces and dots allowed), or refuses naming the wrong part."""
    raw = "".join(char for char in text if char not in " .-")
    if len(raw) != NIP_DIGITS or not raw.isascii() or not raw.isdigit():
        raise InvalidInput("nip")
    try:
        born = date(int(raw[0:4]), int(raw[4:6]), int(raw[6:8]))
    except ValueError:
        raise InvalidInput("nip_birth") from None
    if not born.year >= EARLIEST_BIRTH_YEAR or born >= today:
        raise InvalidInput("nip_birth")
    year, month = int(raw[8:12]), int(raw[12:14])
    if not 1 <= month <= 12:
        raise InvalidInput("nip_tmt")
    if (year, month) < (born.year + MIN_AGE_AT_APPOINTMENT, born.month):
        raise InvalidInput("nip_tmt_early")
    if (year, month) > (today.year, today.month):
        raise InvalidInput("nip_tmt_future")
    if raw[14] not in "12":
        raise InvalidInput("nip_sex")
    if raw[15:] == "000":
        raise InvalidInput("nip_sequence")
    return raw


def clean_rank(text: str) -> str:
    """Validates a pangkat/golongan, e.g. "Penata Muda, III/a"."""
    return within(text, 2, RANK_MAX, "rank", one_line=True)


def clean(field: Field, text: str, now: datetime, ctx: Context) -> str:
    """Returns a checked value of a field."""
    match field:
        case Field.NAME:
            return clean_name(text)
        case Field.NIP:
            return check_nip(text, now.astimezone(ctx.calendar.tz).date())
        case Field.POSITION:
            return clean_position(text)
        case Field.RANK:
            return clean_rank(text)
        case Field.PHONE:
            return clean_phone(text)


def _is_known(user: User | None) -> bool:
    return user is not None and (user.opd_id is not None or bool(user.roles))


def profile_of(user: User) -> Profile:
    """Returns the profile view of a user."""
    return Profile(
        full_name=user.full_name,
        nip=user.nip,
        position=user.position,
        rank=user.rank,
        phone=user.phone,
        opd_name=user.opd.name if user.opd else None,
        staff=bool(user.roles - {Role.REPORTER.value}),
    )


async def _registered(uow: UnitOfWork, ctx: Context) -> User:
    user = await find_user(uow, ctx.who)
    if user is None or not _is_known(user):
        raise NotRegistered()
    return user


async def show(uow: UnitOfWork, ctx: Context) -> Profile:
    """Returns the actor's profile; only registered people (OPD staff or Kominfo) have one."""
    return profile_of(await _registered(uow, ctx))


async def change(uow: UnitOfWork, ctx: Context, field: Field, value: str | None) -> Profile:
    """Changes one field (checked here); NIP and pangkat may be emptied (None)."""
    user = await _registered(uow, ctx)
    # Only the NIP and the pangkat may be emptied; the others are checked as empty text.
    emptied = value is None and field in (Field.NIP, Field.RANK)
    checked = None if emptied else clean(field, value or "", ctx.now, ctx)
    setattr(user, field.value, checked)
    await uow.users.flush()
    view = profile_of(user)
    await uow.commit()
    return view


def missing_for_document(user: User) -> list[str]:
    """Returns what the berita acara needs of a signatory and the profile lacks, to be asked
    once: the jabatan, and the NIP with it the first time (a person without a jabatan on file
    has never been asked; one who then had no NIP is not asked again)."""
    if user.position:
        return []
    return [Field.NIP.value, Field.POSITION.value] if not user.nip else [Field.POSITION.value]


def apply_document_fields(user: User, nip: str | None, position: str | None, ctx: Context) -> None:
    """Stores the NIP and jabatan asked for a document on the person's profile (checked)."""
    if nip:
        user.nip = check_nip(nip, ctx.now.astimezone(ctx.calendar.tz).date())
    if position:
        user.position = clean_position(position)


async def document_needs(uow: UnitOfWork, ctx: Context) -> list[str]:
    """Returns what the actor's profile lacks for a berita acara (see missing_for_document)."""
    user = await find_user(uow, ctx.who)
    return missing_for_document(user) if user is not None else []
