"""The material request (procedure 6): the technician of a heavy fault lists the equipment
needed, with the reason and photos, for the penanggung jawab to approve.

Opened by the deep link `/start mr_<ticket id>` behind the «Berat» button of the job card.
"""

from __future__ import annotations

import logging
from typing import Any

from telegram.ext import ConversationHandler

from bot import callbacks
from bot.config import Settings
from bot.conversations import equipment as eq
from bot.conversations import wizard as w
from bot.services import attachments, workflow
from bot.services.domain import MaterialLine
from bot.services.errors import InvalidInput
from bot.services.ticket_flow import Action
from bot.texts import wizards as t
from bot.texts.common import esc

log = logging.getLogger(__name__)

# Keys of the draft (JSON values only); the item being entered is `draft["item"]`.
ITEMS = "items"
FIRST = "item_name"  # the step of an item's first field


def _line(item: eq.Item) -> MaterialLine:
    return MaterialLine(
        item.get("name", ""), item.get("spec", ""), item.get("quantity", 0), item.get("unit", "")
    )


def _lines(draft: w.Draft) -> list[MaterialLine]:
    return [_line(item) for item in draft[ITEMS]]


def _spec(text: str) -> str:
    value = text.strip()
    if not value:
        raise InvalidInput("item")  # nothing visible: "-" says there is no specification
    return eq.checked(specification="" if value == "-" else value).specification


async def _item(turn: w.Turn, item: eq.Item) -> w.Move:
    """Adds the entered item, checked whole, to the list."""
    line = workflow.clean_material_line(_line(item))
    spec, quantity = line.specification, line.quantity
    turn.draft[ITEMS].append({**item, "name": line.name, "spec": spec, "quantity": quantity})
    return w.Go(ITEMS)


async def _drop_last(turn: w.Turn) -> w.Move:
    turn.draft[ITEMS].pop()
    if turn.draft[ITEMS]:
        return w.RENEW  # a second tap of the same button drops nothing more
    await turn.clear_buttons()
    return w.Go(FIRST, t.ITEMS_EMPTY)


def _listed(draft: w.Draft) -> str:
    return t.item_added(_lines(draft))


def _more(draft: w.Draft) -> w.Rows:
    return [
        eq.add_row(t.ADD_ITEM, FIRST, draft[ITEMS]),
        [w.Button(t.DONE, "done", run=eq.go(None))],
    ]


def _summary(draft: w.Draft) -> str:
    return t.material_summary(
        draft[eq.NUMBER], _lines(draft), draft["reason"], len(draft["photos"])
    )


def _summary_rows(draft: w.Draft) -> w.Rows:
    return [
        [w.Button(t.MR_SEND, w.SEND)],
        [
            *eq.add_row(t.ADD_ITEM_SHORT, FIRST, draft[ITEMS]),
            w.Button(t.MR_DROP_LAST, "drop", run=_drop_last),
        ],
        [w.Button(t.MR_EDIT_REASON, "reason", run=eq.go("reason")), w.Button(t.CANCEL, w.CANCEL)],
    ]


async def _submit(turn: w.Turn) -> w.Move:
    draft, services = turn.draft, turn.services
    photos = [attachments.from_json(item) for item in draft["photos"]]
    async with services.uow() as uow:
        view = await workflow.submit_material_request(
            uow,
            services.context(turn.actor),
            int(draft[w.TICKET]),
            _lines(draft),
            draft["reason"],
            photos,
        )
    log.info("material request %s filed for %s", view.id, view.ticket_number)
    return w.Finish(t.MR_SENT.format(number=esc(view.ticket_number)))


ITEM_STEPS = eq.item_steps(
    "item",
    [
        eq.name(lambda draft: t.ask_item_name(len(draft[ITEMS]) + 1)),
        eq.Field("spec", t.ASK_SPEC, _spec, t.SPEC_ERROR),
        eq.QUANTITY,
        eq.UNIT,
    ],
    _item,
)
FLOW = eq.flow(
    ("material_request", "material", callbacks.MATERIAL_FORM),
    (t.MR_TITLE, t.MR_CANCELLED, t.MR_TIMED_OUT),
    eq.deep_link(callbacks.START_MATERIAL, Action.REQUEST_MATERIAL, t.MR_START),
    w.Summary(_summary, _submit, t.MR_SEND, t.CANCEL, t.NEED_MR_SUMMARY, buttons=_summary_rows),
    [
        *ITEM_STEPS,
        w.Step(ITEMS, _listed, t.NEED_BUTTON, buttons=_more, collect=True),
        eq.long_text("reason", t.ASK_REASON),
        eq.photos(t.ASK_MR_PHOTOS),
    ],
)


def conversation(settings: Settings) -> ConversationHandler[Any]:
    """Returns the persistent material-request conversation handler."""
    return w.build(FLOW, settings)
