"""Renders the outbox's own notices (about delivery itself) into Bot API calls."""

from __future__ import annotations

from bot.render.common import message
from bot.services.notices import ChatMoved, OutboxDraft
from bot.texts import tickets as t


def chat_moved(notice: ChatMoved) -> list[OutboxDraft]:
    """Tells an admin a group became a supergroup and its messages follow it."""
    text = t.chat_moved(
        notice.old_chat_id,
        notice.new_chat_id,
        notice.moved,
        notice.reposted,
        notice.tech_group,
    )
    return [message(notice.chat_id, text, purpose="chat_moved")]
