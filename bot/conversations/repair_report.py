"""The repair report (procedure 8-9): the technician records the diagnosis, the actions taken,
photos after the repair and the replaced equipment with serial numbers and what becomes of the
old devices; sending it confirms the berita acara's content as PIHAK PERTAMA (the NIP and
jabatan the document needs are asked once, when the profile lacks them).

Opened by the deep link `/start rr_<ticket id>` behind «Laporkan perbaikan» on the job card.
For a heavy fault the approved material list can be taken over, asking only the serials.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from telegram.ext import ConversationHandler

from bot import callbacks
from bot.config import Settings
from bot.conversations import equipment as eq
from bot.conversations import wizard as w
from bot.services import attachments, profiles, users, workflow
from bot.services.domain import MaterialLine, ReplacedLine
from bot.services.errors import InvalidInput
from bot.services.ticket_flow import Action
from bot.services.uow import UnitOfWork
from bot.texts import berita_acara as bt
from bot.texts import wizards as t
from bot.texts.common import esc

log = logging.getLogger(__name__)

# Keys of the draft (JSON values only); the device being entered is `draft["device"]`.
APPROVED = "approved"  # the approved material list (offered while the list is empty)
ITEMS = "items"
SERIALS = "serials"
SERIAL_AT = "serial_at"  # index of the taken-over item whose serials are asked
FIRST = "device_name"  # the step of a device's first field
DISPOSITION = "disposition"  # what becomes of the old devices (a key of DISPOSITIONS)
NEEDS = "needs"  # what the berita acara needs of the technician's profile ("nip", "position")
TECH_NIP, TECH_POSITION = "tech_nip", "tech_position"


def _line(item: eq.Item) -> ReplacedLine:
    name, quantity, unit = item.get("name", ""), item.get("quantity", 0), item.get("unit", "")
    return ReplacedLine(name, quantity, unit, item.get("old"), item.get("new"))


def _lines(draft: w.Draft) -> list[ReplacedLine]:
    return [_line(item) for item in draft[ITEMS]]


async def _approved(uow: UnitOfWork, ticket_id: int) -> w.Draft:
    items = await workflow.approved_items(uow, ticket_id)
    listed = [{"name": i.name, "quantity": i.quantity, "unit": i.unit} for i in items]
    return {APPROVED: listed, SERIAL_AT: 0}


def _serial(text: str) -> str | None:
    if not text.strip():
        raise InvalidInput("serial")  # nothing visible: "-" says it is not known
    return workflow.clean_replaced_line(ReplacedLine("perangkat", 1, "unit", text)).old_serial


def _serial_pair(text: str) -> tuple[str | None, str | None]:
    """Splits "lama / baru"; a lone "-" says both are unknown."""
    if text.strip() == "-":
        return None, None
    separator = " / " if " / " in text else "/"
    old, found, new = text.partition(separator)
    if not found or not old.strip() or not new.strip():
        raise InvalidInput("serial")
    return _serial(old), _serial(new)


async def _device(turn: w.Turn, item: eq.Item) -> w.Move:
    """Adds the entered device, checked whole, to the list."""
    line = workflow.clean_replaced_line(_line(item))
    old, new = line.old_serial, line.new_serial
    turn.draft[ITEMS].append(
        {"name": line.name, "quantity": line.quantity, "unit": line.unit, "old": old, "new": new}
    )
    return w.Go(ITEMS)


async def _take_approved(turn: w.Turn) -> w.Move:
    await turn.clear_buttons()
    turn.draft[ITEMS] = [dict(item, old=None, new=None) for item in turn.draft[APPROVED]]
    turn.draft[SERIAL_AT] = 0
    return w.Go(SERIALS)


async def _serials(turn: w.Turn, pair: tuple[str | None, str | None]) -> w.Move:
    """Records the serials of one taken-over item; asks the next item's, then shows the list."""
    index = int(turn.draft[SERIAL_AT])
    turn.draft[ITEMS][index].update(old=pair[0], new=pair[1])
    if index + 1 == len(turn.draft[ITEMS]):
        return w.Go(ITEMS)
    turn.draft[SERIAL_AT] = index + 1
    return w.Go(SERIALS)


def _ask_serials(draft: w.Draft) -> str:
    index = int(draft[SERIAL_AT])
    return t.ask_serials(_line(draft[ITEMS][index]), index + 1, len(draft[ITEMS]))


def _ask_replaced(draft: w.Draft) -> str:
    approved = [MaterialLine(i["name"], "", i["quantity"], i["unit"]) for i in draft[APPROVED]]
    return t.ask_replaced(_lines(draft), approved)


async def _listed(turn: w.Turn) -> w.Move:
    """Goes on from the list: the old devices' disposition, what the profile lacks, the
    summary."""
    await turn.clear_buttons()
    draft = turn.draft
    if draft[ITEMS]:
        return w.Go(DISPOSITION)
    draft[DISPOSITION] = None
    if draft.get(w.REVIEWED):
        return w.Go(w.SUMMARY)
    needs = draft.get(NEEDS) or []
    return w.Go(TECH_NIP if "nip" in needs else TECH_POSITION if needs else w.SUMMARY)


def _replaced(draft: w.Draft) -> w.Rows:
    add = eq.add_row(t.ADD_DEVICE, FIRST, draft[ITEMS])
    if draft[ITEMS]:
        return [add, [w.Button(t.DONE, "done", run=_listed)]]
    approved = [w.Button(t.USE_APPROVED, "appr", run=_take_approved)] if draft[APPROVED] else []
    return [approved, add, [w.Button(t.NO_REPLACEMENT, "none", run=_listed)]]


async def _tech_nip(turn: w.Turn, text: str) -> w.Move:
    """Checks the technician's NIP against today's date (the TMT may not lie ahead)."""
    ctx = turn.services.context(turn.actor)
    turn.draft[TECH_NIP] = profiles.check_nip(text, ctx.now.astimezone(ctx.calendar.tz).date())
    return None


def _needs(field: str) -> Callable[[w.Draft], bool]:
    return lambda draft: field in (draft.get(NEEDS) or [])


def _summary(draft: w.Draft) -> str:
    diagnosis, actions, photos = draft["diagnosis"], draft["actions"], len(draft["photos"])
    summary = t.repair_summary(draft[eq.NUMBER], diagnosis, actions, photos, _lines(draft))
    disposition = draft.get(DISPOSITION) if draft[ITEMS] else None
    confirm = bt.technician_confirmation(
        disposition, draft.get(TECH_NIP), draft.get(TECH_POSITION)
    )
    return f"{summary}\n\n{confirm}"


async def _submit(turn: w.Turn) -> w.Move:
    draft, services = turn.draft, turn.services
    async with services.uow() as uow:
        view = await workflow.report_repair(
            uow,
            services.context(turn.actor),
            int(draft[w.TICKET]),
            diagnosis=draft["diagnosis"],
            actions=draft["actions"],
            items=_lines(draft),
            photos=[attachments.from_json(item) for item in draft["photos"]],
            disposition=draft.get(DISPOSITION) if draft[ITEMS] else None,
            nip=draft.get(TECH_NIP),
            position=draft.get(TECH_POSITION),
            username=turn.update.effective_user.username if turn.update.effective_user else None,
        )
    log.info("repair reported for %s", view.number)
    return w.Finish(t.RR_SENT.format(number=esc(view.number)))


MENU = w.Menu(t.RR_EDIT, t.ASK_EDIT, t.RR_EDIT_FIELDS, t.BACK)
PAIR_ERROR = eq.fixed(t.SERIAL_PAIR_ERROR)
FLOW = eq.flow(
    ("repair_report", "repair", callbacks.REPAIR_FORM),
    (t.RR_TITLE, t.RR_CANCELLED, t.RR_TIMED_OUT),
    eq.deep_link(callbacks.START_REPAIR, Action.REPORT_REPAIR, t.RR_START, _approved, needs=NEEDS),
    w.Summary(_summary, _submit, t.RR_SEND, t.CANCEL, t.NEED_RR_SUMMARY, MENU),
    [
        eq.long_text("diagnosis", t.ASK_DIAGNOSIS),
        eq.long_text("actions", t.ASK_ACTIONS),
        eq.photos(t.ASK_RR_PHOTOS, reopen=t.ASK_PHOTOS_AGAIN),
        # Reopened from the menu, the list is entered anew (the approved one offered again).
        w.Step(ITEMS, _ask_replaced, t.NEED_BUTTON, buttons=_replaced, collect=True),
        *eq.item_steps(
            "device",
            [
                eq.name(t.ASK_DEVICE_NAME),
                eq.QUANTITY,
                eq.UNIT,
                eq.Field("old", t.ASK_OLD_SERIAL, _serial, t.SERIAL_ERROR),
                eq.Field("new", t.ASK_NEW_SERIAL, _serial, t.SERIAL_ERROR),
            ],
            _device,
        ),
        w.Step(SERIALS, _ask_serials, text=_serial_pair, then=_serials, errors=PAIR_ERROR),
        # Asked once the list is done (`_listed`), in this order, each where it applies.
        w.Step(
            DISPOSITION,
            bt.ASK_DISPOSITION,
            t.NEED_BUTTON,
            buttons=w.column(bt.DISPOSITION_BUTTONS, lambda label: f"Perangkat lama: {label}"),
            when=lambda draft: bool(draft[ITEMS]),
        ),
        w.Step(
            TECH_NIP,
            bt.ASK_TECH_NIP,
            text=str,
            then=_tech_nip,
            buttons=[[w.Button(bt.NO_NIP, "none", None)]],
            when=_needs("nip"),
        ),
        w.Step(
            TECH_POSITION,
            bt.ASK_TECH_POSITION,
            text=users.clean_position,
            when=_needs("position"),
        ),
    ],
)


def conversation(settings: Settings) -> ConversationHandler[Any]:
    """Returns the persistent repair-report conversation handler."""
    return w.build(FLOW, settings)
