"""The action buttons of ticket cards, laid out per card and shown where the table offers them.

Which button a card shows in which state is not decided here: each card asks the transition
table (`ticket_flow.offered`); this module only gives every action its label and callback and
arranges the buttons in rows.
"""

from __future__ import annotations

from collections.abc import Mapping

from telegram import InlineKeyboardMarkup

from bot import callbacks
from bot.keyboards.buttons import button, offered_rows
from bot.services import ticket_flow as flow
from bot.services.domain import Status
from bot.services.ticket_flow import Action, Card
from bot.texts import letters as tl
from bot.texts import tickets as t
from bot.texts import workflow as tw

# The label and callback action of each button that starts an action of the table.
BUTTONS: Mapping[Action, tuple[str, str]] = {
    Action.DISPOSE_TEAM: (tw.DISPOSE_TEAM, callbacks.DISPOSE_TEAM),
    Action.DISPOSE_TECH: (tw.DISPOSE_PICK, callbacks.DISPOSE_PICK),  # a technician picker first
    Action.REJECT_REPORT: (tw.REJECT_REPORT, callbacks.REJECT_REPORT),
    Action.CLAIM: (t.CLAIM_BUTTON, callbacks.CLAIM),
    Action.CLASSIFY_LIGHT: (tw.LIGHT, callbacks.LIGHT),
    Action.REQUEST_MATERIAL: (tw.HEAVY, callbacks.HEAVY),
    Action.MATERIAL_APPROVE: (tw.APPROVE, callbacks.MATERIAL_APPROVE),
    Action.MATERIAL_REJECT: (tw.REJECT_MATERIAL, callbacks.MATERIAL_REJECT),
    Action.MATERIAL_REVISE: (tw.REVISE, callbacks.MATERIAL_REVISE),
    Action.HOLD: (tw.HOLD, callbacks.HOLD),
    Action.RESUME: (tw.RESUME, callbacks.RESUME),
    Action.REASSIGN: (tw.REASSIGN, callbacks.REASSIGN),  # a technician picker first
    Action.CANCEL: (tw.CANCEL, callbacks.CANCEL_TICKET),
    Action.REPORT_REPAIR: (tw.REPAIR, callbacks.REPAIR),
    Action.NOT_FIXED: (tw.NOT_FIXED, callbacks.NOT_FIXED),
    Action.CONFIRM_FIXED: (tw.FIXED, callbacks.FIXED),
    Action.WITHDRAW: (tl.WITHDRAW, callbacks.WITHDRAW),
}

# The rows of each card, in order; a row shows only the buttons its state offers.
LAYOUT: Mapping[Card, tuple[tuple[Action, ...], ...]] = {
    Card.JOB: (
        (Action.CLAIM,),
        (Action.CLASSIFY_LIGHT, Action.REQUEST_MATERIAL),
        (Action.REPORT_REPAIR,),
        (Action.HOLD, Action.REASSIGN),
        (Action.CANCEL,),
        (Action.RESUME,),
    ),
    Card.DISPOSITION: ((Action.DISPOSE_TEAM,), (Action.DISPOSE_TECH,), (Action.REJECT_REPORT,)),
    Card.APPROVAL: ((Action.MATERIAL_APPROVE, Action.MATERIAL_REJECT), (Action.MATERIAL_REVISE,)),
    Card.REPAIR_CONFIRM: ((Action.CONFIRM_FIXED, Action.NOT_FIXED),),
    Card.REPORTER: ((Action.WITHDRAW,),),
}


def card_buttons(
    card: Card, status: Status, ident: int, *, assigned: bool = False
) -> InlineKeyboardMarkup | None:
    """Returns a card's buttons for a ticket in a state (the id is the ticket's or request's)."""
    offered = flow.offered(card, status, assigned=assigned)
    return offered_rows(LAYOUT[card], offered, lambda a: button(*BUTTONS[a], ident))
