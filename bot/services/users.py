"""Users, roles, invites and registration of OPD staff."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.services.domain import Actor, OpdView, Role, UserView
from bot.services.errors import InvalidInput, InvalidState, NotAllowed, NotFound, NotRegistered
from bot.services.uow import UnitOfWork
from bot.services.validation import within
from db.models import Invite, Opd, User, UserRole

NAME_MAX = 100
POSITION_MAX = 100
PHONE_MIN_DIGITS = 8
PHONE_MAX_DIGITS = 15
NIP_DIGITS = 18


def opd_view(opd: Opd) -> OpdView:
    """Returns the view of an OPD."""
    return OpdView(id=opd.id, code=opd.code, name=opd.name, active=opd.active)


def user_view(user: User, bootstrap_admins: Iterable[int] = ()) -> UserView:
    """Returns the view of a user, bootstrap admins included in the roles."""
    roles = set(user.roles)
    if user.telegram_id in set(bootstrap_admins):
        roles.add(Role.ADMIN.value)
    return UserView(
        id=user.id,
        telegram_id=user.telegram_id,
        full_name=user.full_name,
        phone=user.phone,
        nip=user.nip,
        position=user.position,
        opd=opd_view(user.opd) if user.opd else None,
        roles=frozenset(roles),
    )


async def find_user(uow: UnitOfWork, actor: Actor) -> User | None:
    """Returns the active user behind an actor, if registered."""
    user = await uow.users.by_telegram_id(actor.telegram_id)
    return user if user is not None and user.active else None


async def require_user(uow: UnitOfWork, actor: Actor) -> User:
    """Returns the active user behind an actor or refuses."""
    user = await find_user(uow, actor)
    if user is None:
        raise NotRegistered()
    return user


async def ensure_admin_user(
    uow: UnitOfWork, actor: Actor, admin_ids: Iterable[int], now: datetime
) -> User:
    """Returns the user of a bootstrap admin, creating the account on first contact."""
    if actor.telegram_id not in set(admin_ids):
        raise NotAllowed()
    user = await uow.users.by_telegram_id(actor.telegram_id)
    if user is None:
        user = User(
            telegram_id=actor.telegram_id,
            full_name=(actor.display_name or str(actor.telegram_id))[:NAME_MAX],
            created_at=now,
            active=True,
        )
        user.role_rows = [UserRole(role=Role.ADMIN.value)]
        uow.users.add(user)
        await uow.users.flush()
    elif Role.ADMIN.value not in user.roles:
        user.role_rows.append(UserRole(role=Role.ADMIN.value))
    return user


async def require_role(
    uow: UnitOfWork, actor: Actor, role: Role, admin_ids: Iterable[int] = ()
) -> User:
    """Returns the acting user if they hold a role (bootstrap admins count as admins)."""
    admin_ids = set(admin_ids)
    if role is Role.ADMIN and actor.telegram_id in admin_ids:
        user = await uow.users.by_telegram_id(actor.telegram_id)
        if user is not None:
            return user
    user = await require_user(uow, actor)
    if role.value not in user.roles and not (
        role is Role.ADMIN and actor.telegram_id in admin_ids
    ):
        raise NotAllowed(role=role.value)
    return user


async def require_admin(
    uow: UnitOfWork, actor: Actor, admin_ids: Iterable[int], now: datetime
) -> User:
    """Returns the acting admin, creating the account of a bootstrap admin on first use."""
    if actor.telegram_id in set(admin_ids):
        return await ensure_admin_user(uow, actor, admin_ids, now)
    return await require_role(uow, actor, Role.ADMIN)


async def touch_user(uow: UnitOfWork, actor: Actor, now: datetime) -> UserView:
    """Returns the actor's account, recording a bare one (no roles) on first contact."""
    user = await uow.users.by_telegram_id(actor.telegram_id)
    if user is None:
        user = User(
            telegram_id=actor.telegram_id,
            full_name=(actor.display_name or str(actor.telegram_id))[:NAME_MAX],
            created_at=now,
            active=True,
        )
        user.role_rows = []
        uow.users.add(user)
        await uow.users.flush()
        await uow.commit()
        fresh = await uow.users.get(user.id)
        assert fresh is not None  # noqa: S101 - just written
        user = fresh
    return user_view(user)


async def profile(uow: UnitOfWork, actor: Actor, admin_ids: Iterable[int] = ()) -> UserView | None:
    """Returns the acting user's profile, or None when unknown."""
    user = await find_user(uow, actor)
    return user_view(user, admin_ids) if user else None


# --- invites ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class InviteView:
    """A created invite."""

    token: str
    opd: OpdView
    expires_at: datetime
    max_uses: int


async def create_invite(
    uow: UnitOfWork,
    actor: Actor,
    opd_id: int,
    *,
    now: datetime,
    ttl: timedelta,
    max_uses: int,
    admin_ids: Iterable[int],
) -> InviteView:
    """Creates a registration invite for an OPD (admins only)."""
    creator = await require_admin(uow, actor, admin_ids, now)
    opd = await uow.opds.get(opd_id)
    if opd is None or not opd.active:
        raise NotFound(what="opd")
    invite = Invite(
        token=secrets.token_urlsafe(12),
        opd_id=opd.id,
        created_by_id=creator.id,
        created_at=now,
        expires_at=now + ttl,
        max_uses=max_uses,
        uses=0,
        revoked=False,
    )
    uow.invites.add(invite)
    await uow.commit()
    return InviteView(invite.token, opd_view(opd), invite.expires_at, invite.max_uses)


async def check_invite(
    uow: UnitOfWork, token: str, now: datetime, actor: Actor | None = None
) -> OpdView:
    """Returns the OPD of a usable invite, or refuses with the reason.

    An invite admits up to `max_uses` people: for someone who already is a reporter of its OPD
    (opening the link again, say to correct a phone number) a used-up invite still works.
    """
    invite = await uow.invites.by_token(token) if len(token) <= 64 else None
    if invite is None or invite.revoked:
        raise NotFound(what="invite")
    if invite.expires_at <= now:
        raise InvalidState("invite_expired")
    if invite.uses >= invite.max_uses and not (
        actor is not None and await _already_counted(uow, actor, invite.opd_id)
    ):
        raise InvalidState("invite_used")
    if not invite.opd.active:
        raise NotFound(what="invite")
    return opd_view(invite.opd)


async def _already_counted(uow: UnitOfWork, actor: Actor, opd_id: int) -> bool:
    """Tells whether the actor already is a reporter of the OPD: no new person for its invites."""
    user = await find_user(uow, actor)
    return user is not None and user.opd_id == opd_id and Role.REPORTER.value in user.roles


@dataclass(frozen=True)
class Registration:
    """What the registration conversation collected."""

    full_name: str
    phone: str
    nip: str | None
    position: str


def clean_name(text: str) -> str:
    """Validates a person's full name."""
    return within(text, 3, NAME_MAX, "name", one_line=True, letter=True)


def clean_phone(text: str) -> str:
    """Normalises an Indonesian phone number (08..., +62..., 62...)."""
    raw = "".join(ch for ch in text if ch not in " -().")
    if raw.startswith("+"):
        raw = raw[1:]
    if not raw.isdigit():
        raise InvalidInput("phone")
    if raw.startswith("62"):
        raw = "0" + raw[2:]
    if not (PHONE_MIN_DIGITS <= len(raw) <= PHONE_MAX_DIGITS) or not raw.startswith("0"):
        raise InvalidInput("phone")
    return raw


def clean_nip(text: str) -> str:
    """Validates a civil-servant number (NIP, 18 digits)."""
    raw = text.replace(" ", "")
    if len(raw) != NIP_DIGITS or not raw.isdigit():
        raise InvalidInput("nip")
    return raw


def clean_position(text: str) -> str:
    """Validates a job title."""
    return within(text, 2, POSITION_MAX, "position", one_line=True)


def clean_contact(phone: str, owner_id: int | None, actor: Actor) -> str:
    """Validates a shared contact: it must be the actor's own, with a valid phone number."""
    if owner_id != actor.telegram_id:
        raise InvalidInput("contact_not_own")
    return clean_phone(phone)


@dataclass(frozen=True)
class RegistrationStart:
    """What the registration conversation needs to begin: the invite's OPD and the current one."""

    opd: OpdView
    previous_opd: OpdView | None


async def begin_registration(
    uow: UnitOfWork, actor: Actor, token: str, now: datetime
) -> RegistrationStart:
    """Checks an invite and tells which OPD the actor belongs to now (if any)."""
    opd = await check_invite(uow, token, now, actor)
    user = await find_user(uow, actor)
    previous = opd_view(user.opd) if user is not None and user.opd is not None else None
    return RegistrationStart(opd=opd, previous_opd=previous)


async def register(
    uow: UnitOfWork,
    actor: Actor,
    token: str,
    data: Registration,
    now: datetime,
    admin_ids: Iterable[int] = (),
) -> UserView:
    """Links the actor to the invite's OPD as a reporter; a person new to it uses up one use."""
    opd = await check_invite(uow, token, now, actor)
    invite = await uow.invites.by_token(token)
    assert invite is not None  # noqa: S101 - checked just above
    counted = await _already_counted(uow, actor, opd.id)
    if not counted and not await uow.invites.consume(invite.id, now):
        raise InvalidState("invite_used")
    user = await uow.users.by_telegram_id(actor.telegram_id)
    if user is None:
        user = User(telegram_id=actor.telegram_id, created_at=now, active=True)
        user.role_rows = []
        uow.users.add(user)
    user.full_name = data.full_name
    user.phone = data.phone
    user.nip = data.nip
    user.position = data.position
    user.opd_id = opd.id
    user.active = True
    if Role.REPORTER.value not in user.roles:
        user.role_rows.append(UserRole(role=Role.REPORTER.value))
    await uow.users.flush()
    return await _committed_view(uow, user.id, admin_ids)


async def _known_user(uow: UnitOfWork, telegram_id: int) -> User:
    """Returns the user with this Telegram id; one who never talked to the bot is not found."""
    user = await uow.users.by_telegram_id(telegram_id)
    if user is None:
        raise NotFound(what="user")
    return user


async def _committed_view(uow: UnitOfWork, user_id: int, admin_ids: Iterable[int]) -> UserView:
    """Commits a change of a user and returns the user as stored now."""
    await uow.commit()
    refreshed = await uow.users.get(user_id)
    assert refreshed is not None  # noqa: S101 - just written
    return user_view(refreshed, admin_ids)


# --- roles -----------------------------------------------------------------------------------


async def set_role(
    uow: UnitOfWork,
    actor: Actor,
    target_telegram_id: int,
    role: Role,
    grant: bool,
    *,
    now: datetime,
    admin_ids: Iterable[int],
) -> UserView:
    """Grants or revokes a role (admins only); the target must have talked to the bot."""
    await require_admin(uow, actor, admin_ids, now)
    target = await _known_user(uow, target_telegram_id)
    has = role.value in target.roles
    if grant and not has:
        target.role_rows.append(UserRole(role=role.value))
    elif not grant and has:
        target.role_rows = [row for row in target.role_rows if row.role != role.value]
    return await _committed_view(uow, target.id, admin_ids)


async def describe_user(
    uow: UnitOfWork,
    actor: Actor,
    target_telegram_id: int,
    *,
    now: datetime,
    admin_ids: Iterable[int],
) -> UserView:
    """Returns a user's profile and roles (admins only); unknown users are refused."""
    await require_admin(uow, actor, admin_ids, now)
    target = await _known_user(uow, target_telegram_id)
    return user_view(target, admin_ids)
