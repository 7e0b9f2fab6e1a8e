"""Keyboards of the work queues and `/cari`: per item its «Rincian» and the action buttons of
its card (from the same transition tables as the cards), and the page turners."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import callbacks
from bot.keyboards import complaints as complaint_keyboards
from bot.keyboards.buttons import button, offered_rows
from bot.keyboards.cards import BUTTONS, LAYOUT, card_buttons
from bot.services import ticket_flow as flow
from bot.services.complaints import ComplaintView
from bot.services.domain import Status, TicketView
from bot.services.queues import (
    CoordinatorItem,
    CoordinatorQueue,
    ItemKind,
    OfficialQueue,
    Paging,
    Section,
    SupervisorOverview,
)
from bot.services.search import SearchPage
from bot.services.ticket_flow import Card, Who
from bot.texts import queues as t

Rows = list[list[InlineKeyboardButton]]

# The job card's actions a penanggung jawab may take (the technician's stay in the group).
COORDINATOR_JOB_ACTIONS = frozenset(
    action
    for action, rule in flow.TABLE.items()
    if rule.card is Card.JOB and rule.who in (Who.COORDINATOR, Who.ASSIGNEE_OR_COORDINATOR)
)


def _named(number: str, markup: InlineKeyboardMarkup | None) -> Rows:
    """Returns a card's rows with each label naming the item it acts on."""
    if markup is None:
        return []
    return [
        [
            InlineKeyboardButton(t.action_button(number, b.text), callback_data=b.callback_data)
            for b in row
        ]
        for row in markup.inline_keyboard
    ]


def _open_ticket(ticket: TicketView) -> list[InlineKeyboardButton]:
    return [button(t.open_button(ticket.number), callbacks.QUEUE_TICKET, ticket.id)]


def _open_complaint(view: ComplaintView) -> list[InlineKeyboardButton]:
    return [button(t.open_button(view.number), callbacks.QUEUE_COMPLAINT, view.id)]


def _pager(paging: Paging, make: str, prefix: str) -> Rows:
    """Returns the row of page turners (none for a single page)."""
    nav: list[InlineKeyboardButton] = []
    if paging.page > 0:
        nav.append(button(t.PREVIOUS_PAGE, make, f"{prefix}_{paging.page - 1}"))
    if paging.page < paging.pages - 1:
        nav.append(button(t.NEXT_PAGE, make, f"{prefix}_{paging.page + 1}"))
    return [nav] if nav else []


def _turners(paging: Paging, section: Section) -> Rows:
    return _pager(paging, callbacks.QUEUE_PAGE, str(int(section)))


def _markup(rows: Rows) -> InlineKeyboardMarkup | None:
    return InlineKeyboardMarkup(rows) if rows else None


def _coordinator_rows(item: CoordinatorItem) -> Rows:
    ticket = item.ticket
    match item.kind:
        case ItemKind.DISPOSITION:
            card = card_buttons(Card.DISPOSITION, ticket.status, ticket.id)
        case ItemKind.APPROVAL:
            assert item.request_id is not None  # noqa: S101 - an approval item has its request
            # A pending request's card offers what its ticket's state offers (see workflow).
            card = card_buttons(Card.APPROVAL, Status.AWAITING_APPROVAL, item.request_id)
        case ItemKind.ESCALATION:
            assigned = ticket.assignee_name is not None
            offered = flow.offered(Card.JOB, ticket.status, assigned=assigned)
            card = offered_rows(
                LAYOUT[Card.JOB],
                offered & COORDINATOR_JOB_ACTIONS,
                lambda action: button(*BUTTONS[action], ticket.id),
            )
    return [_open_ticket(ticket), *_named(ticket.number, card)]


def coordinator(queue: CoordinatorQueue) -> InlineKeyboardMarkup | None:
    """Returns the penanggung jawab's buttons: each item's «Rincian» and card actions."""
    rows = [row for item in queue.items for row in _coordinator_rows(item)]
    return _markup([*rows, *_turners(queue.paging, Section.COORDINATOR)])


def official(queue: OfficialQueue) -> InlineKeyboardMarkup | None:
    """Returns the official's buttons: each complaint's «Rincian» and its thread's actions
    («Jawab», ...)."""
    rows: Rows = []
    for item in queue.items:
        view = item.complaint
        rows += [_open_complaint(view), *_named(view.number, complaint_keyboards.thread(view))]
    return _markup([*rows, *_turners(queue.paging, Section.OFFICIAL)])


def supervisor(data: SupervisorOverview) -> InlineKeyboardMarkup | None:
    """Returns the kabid's buttons: «Rincian» of each of the oldest tickets, page turners."""
    rows = [_open_ticket(ticket) for ticket in data.oldest]
    return _markup([*rows, *_turners(data.paging, Section.SUPERVISOR)])


def search(page: SearchPage, nonce: int) -> InlineKeyboardMarkup | None:
    """Returns `/cari`'s buttons: «Rincian» of each hit, page turners."""
    rows: Rows = []
    for hit in page.hits:
        if hit.ticket is not None:
            rows.append(_open_ticket(hit.ticket))
        elif hit.complaint is not None:
            rows.append(_open_complaint(hit.complaint))
    return _markup([*rows, *_pager(page.paging, callbacks.SEARCH_PAGE, str(nonce))])
