"""Builds Telegram updates as the Bot API would send them."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

from telegram import Bot, Update

_QUERY_IDS = itertools.count(7_000_001)


@dataclass(frozen=True)
class Person:
    """A Telegram user of the tests."""

    id: int
    first_name: str
    last_name: str = ""

    def as_dict(self) -> dict[str, Any]:
        """Returns the Bot API `User` object."""
        data: dict[str, Any] = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        if self.last_name:
            data["last_name"] = self.last_name
        return data


# One sequence for the whole run: two harnesses on one database (a restart, a second process)
# never reuse an update id, which the bot would skip as already processed.
_UPDATE_IDS = itertools.count(1)


class UpdateFactory:
    """Creates updates with increasing ids."""

    def __init__(self, bot: Bot, date: int = 1_780_000_000) -> None:
        self.bot = bot
        self._update_ids = _UPDATE_IDS
        self._message_ids = itertools.count(1)
        self._date = date
        # Supergroups that are forums (their updates say `is_forum`).
        self.forums: set[int] = set()

    def _chat(self, person: Person, chat_id: int | None) -> dict[str, Any]:
        if chat_id is None or chat_id == person.id:
            return {"id": person.id, "type": "private", "first_name": person.first_name}
        chat = {"id": chat_id, "type": "supergroup", "title": "Teknisi Batik.Net"}
        return {**chat, "is_forum": True} if chat_id in self.forums else chat

    def _update(self, payload: dict[str, Any]) -> Update:
        payload["update_id"] = next(self._update_ids)
        update = Update.de_json(payload, self.bot)
        assert update is not None
        return update

    def _message(self, person: Person, chat_id: int | None, **content: Any) -> dict[str, Any]:
        self._date += 1
        return {
            "message_id": next(self._message_ids),
            "date": self._date,
            "chat": self._chat(person, chat_id),
            "from": person.as_dict(),
            **content,
        }

    def text(
        self,
        person: Person,
        text: str,
        chat_id: int | None = None,
        reply_to: tuple[int, str] | None = None,
    ) -> Update:
        """A text message; a leading /command gets its entity; `reply_to` is (id, text) of the
        bot's message it answers."""
        content: dict[str, Any] = {"text": text}
        if text.startswith("/"):
            command = text.split()[0]
            content["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        if reply_to is not None:
            content["reply_to_message"] = {
                "message_id": reply_to[0],
                "date": self._date,
                "chat": self._chat(person, chat_id),
                "from": {"id": 7000000001, "is_bot": True, "first_name": "Batik.Net"},
                "text": reply_to[1],
            }
        return self._update({"message": self._message(person, chat_id, **content)})

    def photo(
        self,
        person: Person,
        file_id: str,
        size: int = 200_000,
        chat_id: int | None = None,
        caption: str | None = None,
    ) -> Update:
        """A photo message (two sizes, as Telegram sends them)."""
        content: dict[str, Any] = {
            "photo": [
                {
                    "file_id": f"{file_id}-s",
                    "file_unique_id": f"{file_id}-su",
                    "width": 90,
                    "height": 90,
                    "file_size": 2000,
                },
                {
                    "file_id": file_id,
                    "file_unique_id": f"{file_id}-u",
                    "width": 1280,
                    "height": 960,
                    "file_size": size,
                },
            ]
        }
        if caption:
            content["caption"] = caption
        return self._update({"message": self._message(person, chat_id, **content)})

    def document(
        self,
        person: Person,
        file_id: str,
        mime_type: str = "application/pdf",
        size: int = 300_000,
        file_name: str = "surat.pdf",
        chat_id: int | None = None,
    ) -> Update:
        """A document message."""
        content = {
            "document": {
                "file_id": file_id,
                "file_unique_id": f"{file_id}-u",
                "file_name": file_name,
                "mime_type": mime_type,
                "file_size": size,
            }
        }
        return self._update({"message": self._message(person, chat_id, **content)})

    def message(
        self,
        person: Person,
        chat_id: int | None = None,
        *,
        reply_to: int | None = None,
        thread: int | None = None,
        **content: Any,
    ) -> Update:
        """Any message (`content` as the Bot API has it), replying to a message id, or written
        in a forum topic (where Telegram makes a message without a reply of its own "reply"
        to the topic's first message)."""
        if thread is not None:
            content["message_thread_id"] = thread
            content["is_topic_message"] = True
        target = reply_to if reply_to is not None else thread
        if target is not None:
            content["reply_to_message"] = {
                "message_id": target,
                "date": self._date,
                "chat": self._chat(person, chat_id),
                "from": {"id": 7000000001, "is_bot": True, "first_name": "Batik.Net"},
                **(
                    {"text": "…"}
                    if reply_to is not None
                    else {"forum_topic_created": {"name": "topik", "icon_color": 7322096}}
                ),
            }
        return self._update({"message": self._message(person, chat_id, **content)})

    def contact(self, person: Person, phone: str, own: bool = True) -> Update:
        """A shared contact (the user's own by default)."""
        content = {
            "contact": {
                "phone_number": phone,
                "first_name": person.first_name,
                "user_id": person.id if own else person.id + 1,
            }
        }
        return self._update({"message": self._message(person, None, **content)})

    def sticker(self, person: Person, chat_id: int | None = None) -> Update:
        """A sticker (wrong input almost everywhere)."""
        content = {
            "sticker": {
                "file_id": "stk",
                "file_unique_id": "stk-u",
                "width": 512,
                "height": 512,
                "is_animated": False,
                "is_video": False,
                "type": "regular",
            }
        }
        return self._update({"message": self._message(person, chat_id, **content)})

    def voice(self, person: Person, chat_id: int | None = None) -> Update:
        """A voice note."""
        content = {"voice": {"file_id": "voice", "file_unique_id": "voice-u", "duration": 3}}
        return self._update({"message": self._message(person, chat_id, **content)})

    def press(
        self, person: Person, data: str, message_id: int, chat_id: int, text: str = ""
    ) -> Update:
        """A press of an inline button on a bot message."""
        self._date += 1
        message = {
            "message_id": message_id,
            "date": self._date,
            "chat": self._chat(person, chat_id),
            "from": {"id": 7000000001, "is_bot": True, "first_name": "Batik.Net"},
            "text": text or "kartu",
        }
        query = {
            # Unique across factories (a test may build a second one after a restart), as
            # Telegram's are: the fake refuses a second answer to one query id.
            "id": str(next(_QUERY_IDS)),
            "from": person.as_dict(),
            "chat_instance": str(chat_id),
            "message": message,
            "data": data,
        }
        return self._update({"callback_query": query})
