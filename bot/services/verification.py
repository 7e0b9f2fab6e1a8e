"""Checking a printed berita acara: the key of its code, the look-up by code, the tries.

Anyone holding the paper (an auditor, the OPD's head, a registered user or not) sends
`/verifikasi KODE` or scans the QR code and learns whether the bot issued that berita acara.
The code is an HMAC of the document's number, ticket and time (`berita_acara.verification_code`)
keyed with `BA_SECRET` or, when that is empty, with a key generated once and kept in the
database; never with the bot token, so revoking a leaked token voids no printed document.
A document is valid when a berita acara with its code is on record: the record, not the key,
decides, so codes printed under an earlier key stay checkable.
"""

from __future__ import annotations

import secrets
from collections import deque
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.config import Settings
from bot.services import berita_acara
from bot.services.berita_acara import confirmations
from bot.services.context import Context
from bot.services.errors import DomainError
from bot.services.uow import UnitOfWork

# The name of the generated key in the settings table (also written by migration 0007).
CODE_KEY_SETTING = "ba_secret"
TRIES_PER_MINUTE = 10
TRY_WINDOW = timedelta(minutes=1)
# People remembered by the try counter before the stale ones are dropped.
_PRUNE_AT = 1000


class TooManyTries(DomainError):
    """The person tried more codes in the last minute than allowed."""

    code = "too_many_tries"


@dataclass(frozen=True)
class VerifiedBeritaAcara:
    """What `/verifikasi` tells about a berita acara on record (nothing beyond the paper)."""

    code: str
    number: str
    title: str
    ticket_number: str
    signed_at: datetime
    opd_name: str
    first_party: str
    first_institution: str
    second_party: str
    second_position: str
    confirmed_by: str
    confirmed_at: datetime
    # Each party's confirmation (empty for a berita acara issued before they were recorded).
    confirmations: tuple[confirmations.ConfirmationView, ...] = ()


class TryCounter:
    """Counts each person's verification tries over a sliding minute.

    Kept in memory, one per running application: a restart forgets at most a minute of tries,
    while a database write per try would let a flood of wrong codes load the database.
    """

    def __init__(self, limit: int = TRIES_PER_MINUTE, window: timedelta = TRY_WINDOW) -> None:
        self.limit = limit
        self.window = window
        self._tries: dict[int, deque[datetime]] = {}

    def allow(self, who: int, now: datetime) -> bool:
        """Records a try of a person; False when it is over the limit (not recorded then)."""
        if len(self._tries) >= _PRUNE_AT:
            self._prune(now)
        tries = self._tries.setdefault(who, deque())
        while tries and tries[0] <= now - self.window:
            tries.popleft()
        if len(tries) >= self.limit:
            return False
        tries.append(now)
        return True

    def _prune(self, now: datetime) -> None:
        stale = [who for who, tries in self._tries.items() if tries[-1] <= now - self.window]
        for who in stale:
            del self._tries[who]


async def secret(uow: UnitOfWork, settings: Settings) -> str:
    """Returns the key of the verification codes: `BA_SECRET`, else the one in the database."""
    configured = settings.ba_secret.get_secret_value()
    if configured:
        return configured  # the settings refuse a key equal to the bot token
    stored = await uow.settings.get(CODE_KEY_SETTING)
    if stored:
        return stored
    # Migration 0007 stores one; this only runs if that row was removed. It is written with
    # the caller's unit of work, so it exists exactly when the first code made with it does.
    token = settings.bot_token.get_secret_value() if settings.bot_token else ""
    generated = secrets.token_urlsafe(32)
    while generated == token:  # pragma: no cover - 256 random bits never equal a token
        generated = secrets.token_urlsafe(32)
    await uow.settings.set(CODE_KEY_SETTING, generated)
    return generated


async def check(
    uow: UnitOfWork, tries: TryCounter, typed: str, ctx: Context
) -> VerifiedBeritaAcara | None:
    """Returns the berita acara a typed code belongs to, None for a code not on record."""
    if not tries.allow(ctx.who.telegram_id, ctx.now):
        raise TooManyTries
    code = berita_acara.normalise_code(typed)
    if code is None:
        return None
    row = await uow.workflow.berita_acara_by_code(code)
    if row is None:
        return None
    ticket = await uow.tickets.get(row.ticket_id)
    report = await uow.workflow.latest_repair(row.ticket_id)
    confirmer = await uow.users.get(row.signed_by_id)
    if ticket is None or report is None or confirmer is None:  # pragma: no cover - foreign keys
        return None
    return VerifiedBeritaAcara(
        code=row.verification_code,
        number=row.number,
        title=berita_acara.title_for(bool(report.items)),
        ticket_number=ticket.number,
        signed_at=row.signed_at,
        opd_name=ticket.opd.name,
        first_party=report.technician.full_name,
        first_institution=ctx.settings.institution_name,
        second_party=row.signatory_name,
        second_position=row.signatory_position,
        confirmed_by=confirmer.full_name,
        confirmed_at=row.signed_at,
        confirmations=await confirmations.parties(uow, report.id),
    )
