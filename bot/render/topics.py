"""The ticket's forum topic in the technician group: calls whose place the delivery resolves."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from bot.services.domain import TicketView
from bot.services.notices import OutboxDraft
from bot.services.ticket_messages import PLACE, Place, topic_name


def call(chat_id: int, method: str, place: Place, **payload: Any) -> OutboxDraft:
    """Returns a call placed in the ticket's topic (skipped by the delivery without one)."""
    return OutboxDraft(chat_id, method, {**payload, PLACE: place.value})


def create(chat_id: int, ticket: TicketView) -> OutboxDraft:
    """Returns the creation of the ticket's topic (skipped unless the group is a forum)."""
    return call(
        chat_id, "createForumTopic", Place.CREATE, name=topic_name(ticket.number, ticket.opd_name)
    )


def in_topic(drafts: list[OutboxDraft], place: Place = Place.TOPIC) -> list[OutboxDraft]:
    """Returns calls that go into the ticket's topic when it has one."""
    return [replace(d, payload={**d.payload, PLACE: place.value}) for d in drafts]
