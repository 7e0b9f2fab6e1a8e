"""Users, roles, invites and registration of OPD staff."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.config import Settings
from bot.services.context import Context
from bot.services.domain import Actor, OpdView, Role, UserView
from bot.services.errors import (
    InvalidInput,
    InvalidState,
    NotAllowed,
    NotFound,
    NotRegistered,
    found,
)
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


async def _first_contact(uow: UnitOfWork, actor: Actor, now: datetime) -> User:
    """Records a bare account (no roles, named as Telegram shows them) of someone new."""
    user = User(
        telegram_id=actor.telegram_id,
        full_name=(actor.display_name or str(actor.telegram_id))[:NAME_MAX],
        created_at=now,
        active=True,
    )
    user.role_rows = []
    uow.users.add(user)
    await uow.users.flush()
    return user


async def account(uow: UnitOfWork, actor: Actor, now: datetime) -> User:
    """Returns the actor's account (active or not), recording a bare one on first contact."""
    user = await uow.users.by_telegram_id(actor.telegram_id)
    return user if user is not None else await _first_contact(uow, actor, now)


async def admin_chats(uow: UnitOfWork, settings: Settings) -> list[int]:
    """Returns the admins' chats: users with the admin role and the configured bootstrap admins."""
    chats = set(await uow.users.chats_with_role(Role.ADMIN.value)) | set(settings.admin_ids)
    return sorted(chats)


async def require_role(uow: UnitOfWork, actor: Actor, role: Role) -> User:
    """Returns the acting user if they hold a role."""
    user = await require_user(uow, actor)
    if role.value not in user.roles:
        raise NotAllowed(role=role.value)
    return user


async def require_admin(uow: UnitOfWork, ctx: Context) -> User:
    """Returns the acting admin; a bootstrap admin's account is made an admin's on first use."""
    actor = ctx.who
    if actor.telegram_id not in ctx.settings.admin_ids:
        return await require_role(uow, actor, Role.ADMIN)
    user = await account(uow, actor, ctx.now)
    if Role.ADMIN.value not in user.roles:
        user.role_rows.append(UserRole(role=Role.ADMIN.value))
    return user


async def touch_user(uow: UnitOfWork, ctx: Context) -> UserView:
    """Returns the actor's account, recording a bare one (no roles) on first contact."""
    user = await uow.users.by_telegram_id(ctx.who.telegram_id)
    if user is None:
        user = await _first_contact(uow, ctx.who, ctx.now)
        await uow.commit()
        fresh = await uow.users.get(user.id)
        assert fresh is not None  # noqa: S101 - just written
        user = fresh
    return user_view(user)


async def profile(uow: UnitOfWork, ctx: Context) -> UserView | None:
    """Returns the acting user's profile, or None when unknown."""
    user = await find_user(uow, ctx.who)
    return user_view(user, ctx.settings.admin_ids) if user else None


# --- invites ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class InviteView:
    """A created invite."""

    token: str
    opd: OpdView
    expires_at: datetime
    max_uses: int


async def create_invite(uow: UnitOfWork, ctx: Context, opd_id: int) -> InviteView:
    """Creates a registration invite for an OPD, on the configured terms (admins only)."""
    creator = await require_admin(uow, ctx)
    opd = await uow.opds.get(opd_id)
    if opd is None or not opd.active:
        raise NotFound(what="opd")
    invite = Invite(
        token=secrets.token_urlsafe(12),
        opd_id=opd.id,
        created_by_id=creator.id,
        created_at=ctx.now,
        expires_at=ctx.now + timedelta(hours=ctx.settings.invite_ttl_hours),
        max_uses=ctx.settings.invite_max_uses,
        uses=0,
        revoked=False,
    )
    uow.invites.add(invite)
    await uow.commit()
    return InviteView(invite.token, opd_view(opd), invite.expires_at, invite.max_uses)


async def check_invite(uow: UnitOfWork, ctx: Context, token: str) -> OpdView:
    """Returns the OPD of a usable invite, or refuses with the reason.

    An invite admits up to `max_uses` people: for someone who already is a reporter of its OPD
    (opening the link again, say to correct a phone number) a used-up invite still works.
    """
    invite = await uow.invites.by_token(token) if len(token) <= 64 else None
    if invite is None or invite.revoked:
        raise NotFound(what="invite")
    if invite.expires_at <= ctx.now:
        raise InvalidState("invite_expired")
    if invite.uses >= invite.max_uses and not (
        ctx.actor is not None and await _already_counted(uow, ctx.actor, invite.opd_id)
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


async def begin_registration(uow: UnitOfWork, ctx: Context, token: str) -> RegistrationStart:
    """Checks an invite and tells which OPD the actor belongs to now (if any)."""
    opd = await check_invite(uow, ctx, token)
    user = await find_user(uow, ctx.who)
    previous = opd_view(user.opd) if user is not None and user.opd is not None else None
    return RegistrationStart(opd=opd, previous_opd=previous)


async def register(uow: UnitOfWork, ctx: Context, token: str, data: Registration) -> UserView:
    """Links the actor to the invite's OPD as a reporter; a person new to it uses up one use."""
    actor = ctx.who
    opd = await check_invite(uow, ctx, token)
    invite = await uow.invites.by_token(token)
    assert invite is not None  # noqa: S101 - checked just above
    counted = await _already_counted(uow, actor, opd.id)
    if not counted and not await uow.invites.consume(invite.id, ctx.now):
        raise InvalidState("invite_used")
    user = await account(uow, actor, ctx.now)
    user.full_name = data.full_name
    user.phone = data.phone
    user.nip = data.nip
    user.position = data.position
    user.opd_id = opd.id
    user.active = True
    if Role.REPORTER.value not in user.roles:
        user.role_rows.append(UserRole(role=Role.REPORTER.value))
    await uow.users.flush()
    return await _committed_view(uow, user.id, ctx)


async def _known_user(uow: UnitOfWork, telegram_id: int) -> User:
    """Returns the user with this Telegram id; one who never talked to the bot is not found."""
    return found(await uow.users.by_telegram_id(telegram_id), NotFound(what="user"))


async def _committed_view(uow: UnitOfWork, user_id: int, ctx: Context) -> UserView:
    """Commits a change of a user and returns the user as stored now."""
    await uow.commit()
    refreshed = await uow.users.get(user_id)
    assert refreshed is not None  # noqa: S101 - just written
    return user_view(refreshed, ctx.settings.admin_ids)


# --- roles -----------------------------------------------------------------------------------


async def set_role(
    uow: UnitOfWork, ctx: Context, target_telegram_id: int, role: Role, grant: bool
) -> UserView:
    """Grants or revokes a role (admins only); the target must have talked to the bot."""
    await require_admin(uow, ctx)
    target = await _known_user(uow, target_telegram_id)
    has = role.value in target.roles
    if grant and not has:
        target.role_rows.append(UserRole(role=role.value))
    elif not grant and has:
        target.role_rows = [row for row in target.role_rows if row.role != role.value]
    return await _committed_view(uow, target.id, ctx)


async def describe_user(uow: UnitOfWork, ctx: Context, target_telegram_id: int) -> UserView:
    """Returns a user's profile and roles (admins only); unknown users are refused."""
    await require_admin(uow, ctx)
    target = await _known_user(uow, target_telegram_id)
    return user_view(target, ctx.settings.admin_ids)
