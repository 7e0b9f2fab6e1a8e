"""A fake Bot API at PTB's request layer: records every call, answers plausibly, injects errors.

Errors go through PTB's own response handling (status codes and JSON bodies), so the code under
test sees exactly the exceptions a real Bot API would cause.

The fake is strict: it refuses what the real Telegram refuses (HTML its parser rejects, texts and
captions over the limits, a second answer to one callback query, callback data over 64 bytes,
an edit that changes nothing, an edit of a deleted message), with Telegram's own status and
description. Every refusal is also recorded, and the harness fails the test on one that the test
did not announce with `expect_refusal`: a bug that the bot's error handling would hide from the
user still fails the suite.
"""

from __future__ import annotations

import functools
import io
import itertools
import json
import math
import re
import time
from collections import defaultdict, deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from PIL import Image
from telegram.error import TimedOut
from telegram.request import BaseRequest, RequestData

BOT_ID = 7000000001
BOT_USERNAME = "batiknet_test_bot"

# Bot API limits, in UTF-16 code units of the text as shown (after entity parsing).
TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
CALLBACK_ANSWER_LIMIT = 200
CALLBACK_DATA_LIMIT = 64  # bytes

NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are "
    "exactly the same as a current content and reply markup of the message"
)
QUERY_TOO_OLD = "Bad Request: query is too old and response timeout expired or query ID is invalid"
MIGRATED = "Bad Request: group chat was upgraded to a supergroup chat"

_CAPTION_METHODS = frozenset(
    {
        "sendPhoto",
        "sendDocument",
        "sendVideo",
        "sendAnimation",
        "sendAudio",
        "sendVoice",
        "copyMessage",
        "editMessageCaption",
    }
)
_EDIT_METHODS = frozenset({"editMessageText", "editMessageCaption", "editMessageReplyMarkup"})
_THREAD_METHODS = frozenset({"sendMessage", "sendMediaGroup", "copyMessage"} | _CAPTION_METHODS)
_FORUM_METHODS = frozenset({"createForumTopic", "closeForumTopic", "pinChatMessage"})


@dataclass
class ApiCall:
    """One recorded Bot API call."""

    method: str
    params: dict[str, Any]
    message_id: int | None = None
    # Uploaded files (multipart parts): part name -> (file name, bytes).
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    # What Telegram answered to a refused or failed call.
    error: str | None = None
    # Delivered, but the bot was told the request timed out.
    timed_out: bool = False
    # When Telegram took it, on the limits' clock (only when limits are enforced).
    at: float | None = None

    @property
    def chat_id(self) -> int | None:
        """Returns the target chat, if the call has one."""
        value = self.params.get("chat_id")
        return int(value) if value is not None else None

    @property
    def text(self) -> str:
        """Returns the text or caption of the call."""
        return str(self.params.get("text") or self.params.get("caption") or "")

    @property
    def buttons(self) -> list[tuple[str, str]]:
        """Returns (label, callback data or url) of every inline button."""
        rows = _inline_keyboard(self.params.get("reply_markup")) or []
        return [(b["text"], b.get("callback_data") or b.get("url") or "") for r in rows for b in r]

    @property
    def keyboard(self) -> list[str]:
        """Returns the labels of a reply keyboard."""
        markup = _json(self.params.get("reply_markup")) or {}
        return [
            b if isinstance(b, str) else b["text"] for r in markup.get("keyboard") or [] for b in r
        ]


@dataclass
class _Failure:
    method: str
    status: int
    description: str
    retry_after: int | None
    chat_id: int | None
    times: int


@dataclass
class _Timeout:
    method: str
    chat_id: int | None
    times: int


@dataclass(frozen=True)
class _Shown:
    """What a message shows, as Telegram compares it for "message is not modified"."""

    text: str | None
    entities: tuple[tuple[Any, ...], ...]
    caption: str | None
    caption_entities: tuple[tuple[Any, ...], ...]
    markup: str | None


class Refused(Exception):
    """A request Telegram answers with an error."""

    def __init__(self, description: str, status: int = 400) -> None:
        super().__init__(description)
        self.description = description
        self.status = status


# Methods that put or change a message in a chat: what Telegram's flood limits count.
_COUNTED = ("send", "copy", "forward", "edit")


@dataclass
class TelegramLimits:
    """Telegram's flood limits, enforced: a call over one is answered 429 with retry_after.

    At most `per_chat` messages to a chat in any second, `per_group` to a group in any minute
    and `overall` in any second anywhere (windows half open: a send exactly a second after the
    last one is allowed). The clock is injectable so a bench can simulate minutes of pacing.
    """

    clock: Callable[[], float] = time.monotonic
    per_chat: int = 1
    per_group: int = 20
    overall: int = 30
    refused: int = 0
    _chats: dict[int, deque[float]] = field(default_factory=lambda: defaultdict(deque), repr=False)
    _all: deque[float] = field(default_factory=deque, repr=False)

    def admit(self, chat_id: int) -> int | None:
        """Records a send now, or returns the seconds to wait when it breaks a limit."""
        now = self.clock()
        sent = self._chats[chat_id]
        waits: list[float] = []
        for times, window, most in (
            (sent, 1.0, self.per_chat),
            (sent, 60.0, self.per_group if chat_id < 0 else math.inf),
            (self._all, 1.0, self.overall),
        ):
            recent = [t for t in itertools.islice(reversed(times), 0, 64) if t > now - window]
            if len(recent) >= most:
                waits.append(recent[int(most) - 1] + window - now)
        if waits:
            self.refused += 1
            return max(1, math.ceil(max(waits)))
        sent.append(now)
        self._all.append(now)
        while len(self._all) > 64:
            self._all.popleft()
        while len(sent) > 64:
            sent.popleft()
        return None


@dataclass
class FakeBotApi(BaseRequest):
    """Answers Bot API calls in memory."""

    calls: list[ApiCall] = field(default_factory=list)
    # Every strict refusal, in order; and those neither expected nor seen by a check yet.
    refusals: list[ApiCall] = field(default_factory=list)
    _unseen: list[ApiCall] = field(default_factory=list)
    _expected: list[list[str]] = field(default_factory=list)
    _failures: list[_Failure] = field(default_factory=list)
    _timeouts: list[_Timeout] = field(default_factory=list)
    _migrated: dict[int, int] = field(default_factory=dict)
    _message_ids: dict[int, itertools.count[int]] = field(
        default_factory=lambda: defaultdict(lambda: itertools.count(1000))
    )
    _shown: dict[tuple[int, int], _Shown] = field(default_factory=dict)
    _deleted: set[tuple[int, int]] = field(default_factory=set)
    _answered: set[str] = field(default_factory=set)
    _date: int = 1_780_000_000
    # Telegram's flood limits, when a test or the bench wants them enforced.
    limits: TelegramLimits | None = None
    # Forum supergroups, their topics ((chat, thread) -> closed) and pinned messages.
    forums: set[int] = field(default_factory=set)
    topics: dict[tuple[int, int], bool] = field(default_factory=dict)
    pinned: set[tuple[int, int]] = field(default_factory=set)
    # What a download of a file (`getFile`, then its file path) returns, by file id; a file not
    # listed is a small JPEG photo.
    files: dict[str, bytes] = field(default_factory=dict)
    downloads: list[str] = field(default_factory=list)

    @property
    def read_timeout(self) -> float | None:
        """Returns the default read timeout (unused)."""
        return 1.0

    async def initialize(self) -> None:
        """Nothing to open."""

    async def shutdown(self) -> None:
        """Nothing to close."""

    # --- injecting trouble ---------------------------------------------------------------

    def fail(
        self,
        method: str,
        *,
        status: int = 500,
        description: str = "Internal Server Error",
        retry_after: int | None = None,
        chat_id: int | None = None,
        times: int = 1,
    ) -> None:
        """Makes the next `times` calls of a method (to a chat) fail like the Bot API does."""
        self._failures.append(_Failure(method, status, description, retry_after, chat_id, times))

    def migrate(self, old_chat_id: int, new_chat_id: int) -> None:
        """Upgrades a group to a supergroup: from now on every call to the old id is refused
        with the new id in `parameters.migrate_to_chat_id` (PTB raises ChatMigrated)."""
        self._migrated[old_chat_id] = new_chat_id

    def time_out(self, method: str, *, chat_id: int | None = None, times: int = 1) -> None:
        """Makes the next `times` calls of a method (to a chat) time out AFTER Telegram has
        done them: the message is delivered and recorded, the bot gets TimedOut."""
        self._timeouts.append(_Timeout(method, chat_id, times))

    def make_forum(self, chat_id: int) -> None:
        """Turns a supergroup into a forum (topics enabled)."""
        self.forums.add(chat_id)

    # --- refusals --------------------------------------------------------------------------

    def take_refusals(self) -> list[ApiCall]:
        """Returns the unexpected refusals no check has seen yet, and marks them seen."""
        fresh, self._unseen = self._unseen, []
        return fresh

    def assert_no_refusals(self) -> None:
        """Fails when Telegram refused a call the test did not expect to be refused."""
        fresh = self.take_refusals()
        assert not fresh, "Telegram refused: " + "; ".join(
            f"{call.method} -> {call.chat_id}: {call.error}" for call in fresh
        )

    @contextmanager
    def expect_refusal(self, *fragments: str) -> Iterator[list[ApiCall]]:
        """Announces refusals (matching a fragment of the description) that the test expects;
        fails unless at least one happens inside the block."""
        matched: list[ApiCall] = []
        self._expected.append(list(fragments))
        before = len(self.refusals)
        try:
            yield matched
        finally:
            self._expected.pop()
        matched.extend(
            call
            for call in self.refusals[before:]
            if any(f in (call.error or "") for f in fragments)
        )
        assert matched, f"Telegram refused nothing matching {fragments}"

    # --- reading what happened -------------------------------------------------------------

    def clear(self) -> None:
        """Forgets the recorded calls."""
        self.calls.clear()

    def by_method(self, method: str) -> list[ApiCall]:
        """Returns the calls of one method."""
        return [c for c in self.calls if c.method == method]

    def to_chat(self, chat_id: int, *methods: str) -> list[ApiCall]:
        """Returns the calls to one chat (optionally only some methods)."""
        return [
            c for c in self.calls if c.chat_id == chat_id and (not methods or c.method in methods)
        ]

    def last_to(self, chat_id: int) -> ApiCall:
        """Returns the last message-like call to a chat."""
        calls = self.to_chat(chat_id)
        assert calls, f"nothing was sent to {chat_id}"
        return calls[-1]

    def shows(self, chat_id: int, message_id: int) -> bool:
        """Tells whether a message the bot sent is still in the chat (not deleted)."""
        return (chat_id, message_id) in self._shown

    # --- the Bot API -----------------------------------------------------------------------

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = None,
        write_timeout: Any = None,
        connect_timeout: Any = None,
        pool_timeout: Any = None,
    ) -> tuple[int, bytes]:
        """Records the call and returns a plausible Bot API answer (or Telegram's refusal)."""
        api_method = url.rsplit("/", 1)[-1]
        if "/file/bot" in url:  # a download from the file URL `getFile` gave
            self.downloads.append(api_method)
            return 200, self.files.get(api_method) or _photo_bytes()
        params = dict(request_data.parameters) if request_data else {}
        call = ApiCall(api_method, params, files=_uploads(request_data))
        for failure in self._failures:
            if (
                failure.method == api_method
                and failure.times > 0
                and (failure.chat_id is None or failure.chat_id == call.chat_id)
            ):
                failure.times -= 1
                parameters = (
                    {"retry_after": failure.retry_after}
                    if failure.retry_after is not None
                    else None
                )
                description = failure.description
                return self._error(call, "!failed", failure.status, description, parameters)
        if (
            self.limits is not None
            and call.chat_id is not None
            and api_method.startswith(_COUNTED)
        ):
            wait = self.limits.admit(call.chat_id)
            if wait is not None:
                description = f"Too Many Requests: retry after {wait}"
                return self._error(call, "!failed", 429, description, {"retry_after": wait})
            call.at = self.limits.clock()
        if call.chat_id is not None and call.chat_id in self._migrated:
            parameters = {"migrate_to_chat_id": self._migrated[call.chat_id]}
            return self._error(call, "!failed", 400, MIGRATED, parameters)
        try:
            result = self._result(call)
        except Refused as refusal:
            return self._error(call, "!refused", refusal.status, refusal.description)
        self.calls.append(call)
        if isinstance(result, dict) and "message_id" in result:
            call.message_id = int(result["message_id"])
        elif isinstance(result, list) and result:
            call.message_id = int(result[0]["message_id"])
        for timeout in self._timeouts:
            if (
                timeout.method == api_method
                and timeout.times > 0
                and (timeout.chat_id is None or timeout.chat_id == call.chat_id)
            ):
                timeout.times -= 1
                call.timed_out = True
                raise TimedOut("Timed out")
        return 200, json.dumps({"ok": True, "result": result}).encode()

    def _error(
        self,
        call: ApiCall,
        suffix: str,
        status: int,
        description: str,
        parameters: dict[str, Any] | None = None,
    ) -> tuple[int, bytes]:
        recorded = ApiCall(call.method + suffix, call.params, error=description)
        self.calls.append(recorded)
        if suffix == "!refused":
            self.refusals.append(recorded)
            if not any(f in description for fragments in self._expected for f in fragments):
                self._unseen.append(recorded)
        body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
        if parameters:
            body["parameters"] = parameters
        return status, json.dumps(body).encode()

    def _message(self, call: ApiCall, **extra: Any) -> dict[str, Any]:
        chat_id = call.chat_id or 0
        self._date += 1
        message: dict[str, Any] = {
            "message_id": next(self._message_ids[chat_id]),
            "date": self._date,
            "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "supergroup"},
            "from": {"id": BOT_ID, "is_bot": True, "first_name": "Batik.Net"},
        }
        if "text" in call.params:
            message["text"] = call.params["text"]
        if "caption" in call.params:
            message["caption"] = call.params["caption"]
        if chat_id in self.forums:
            message["chat"]["is_forum"] = True
        thread = call.params.get("message_thread_id")
        if thread is not None:
            message["message_thread_id"] = int(thread)
            message["is_topic_message"] = True
        message.update(extra)
        return message

    def _check_thread(self, call: ApiCall) -> None:
        """Refuses a message_thread_id Telegram would: outside a forum, unknown, or closed; and
        a reply to a deleted message unless sending without the reply is allowed."""
        reply = _json(call.params.get("reply_parameters")) or {}
        gone = reply and (call.chat_id or 0, int(reply["message_id"])) in self._deleted
        if gone and not reply.get("allow_sending_without_reply"):
            raise Refused("Bad Request: message to be replied not found")
        thread = call.params.get("message_thread_id")
        if thread is None:
            return
        chat_id = call.chat_id or 0
        closed = self.topics.get((chat_id, int(thread)))
        if chat_id not in self.forums or closed is None:
            raise Refused("Bad Request: message thread not found")
        if closed:
            raise Refused("Bad Request: TOPIC_CLOSED")

    def _forum(self, call: ApiCall) -> Any:
        """Answers the forum-topic calls and pins."""
        method, params, chat_id = call.method, call.params, call.chat_id or 0
        if method == "pinChatMessage":
            key = (chat_id, int(params["message_id"]))
            if key not in self._shown:
                raise Refused("Bad Request: message to pin not found")
            self.pinned.add(key)
            return True
        if chat_id not in self.forums:
            raise Refused("Bad Request: the chat is not a forum")
        if method == "createForumTopic":
            name = str(params.get("name") or "")
            if not 1 <= len(name) <= 128:
                raise Refused("Bad Request: TOPIC_NAME_INVALID")
            thread = next(self._message_ids[chat_id])
            self.topics[(chat_id, thread)] = False
            return {"message_thread_id": thread, "name": name, "icon_color": 7322096}
        key = (chat_id, int(params.get("message_thread_id") or 0))
        if key not in self.topics:
            raise Refused("Bad Request: TOPIC_ID_INVALID")
        if self.topics[key]:
            raise Refused("Bad Request: TOPIC_NOT_MODIFIED")
        self.topics[key] = True
        return True

    def _result(self, call: ApiCall) -> Any:
        method, params = call.method, call.params
        _check_keyboard(params.get("reply_markup"))
        if method == "getMe":
            return {
                "id": BOT_ID,
                "is_bot": True,
                "first_name": "Batik.Net",
                "username": BOT_USERNAME,
                "can_join_groups": True,
                "can_read_all_group_messages": False,
                "supports_inline_queries": False,
            }
        if method == "answerCallbackQuery":
            return self._answer(params)
        if method in _THREAD_METHODS:
            self._check_thread(call)
        if method in _FORUM_METHODS:
            return self._forum(call)
        if method == "copyMessage":
            # Like Telegram: a MessageId, not the message; the copy shows the original's content.
            if not params.get("from_chat_id") or not params.get("message_id"):
                raise Refused("Bad Request: message to copy not found")
            caption, entities = _shown_caption(params)
            message = self._message(call)
            self._remember(call, message, _Shown(None, (), caption, entities, _markup_key(params)))
            return {"message_id": message["message_id"]}
        if method == "sendMessage":
            text, entities = _shown_text(params, "text", "parse_mode", TEXT_LIMIT)
            message = self._message(call)
            self._remember(call, message, _Shown(text, entities, None, (), _markup_key(params)))
            return message
        if method in _CAPTION_METHODS - _EDIT_METHODS:
            caption, entities = _shown_caption(params)
            message = self._message(call)
            self._remember(call, message, _Shown(None, (), caption, entities, _markup_key(params)))
            return message
        if method == "sendMediaGroup":
            media = _json(params.get("media")) or []
            if not 2 <= len(media) <= 10:
                raise Refused("Bad Request: wrong number of messages in the media group")
            _check_album(media)
            messages = []
            for entry in media:
                caption, entities = _shown_caption(entry)
                message = self._message(call)
                message.pop("caption", None)
                if entry.get("caption") is not None:
                    message["caption"] = entry["caption"]  # each item has its own caption
                self._remember(call, message, _Shown(None, (), caption, entities, None))
                messages.append(message)
            return messages
        if method in _EDIT_METHODS:
            return self._edit(call)
        if method == "deleteMessage":
            key = (int(params["chat_id"]), int(params["message_id"]))
            if key in self._deleted:
                raise Refused("Bad Request: message to delete not found")
            self._deleted.add(key)
            self._shown.pop(key, None)
            return True
        if method == "getFile":
            file_id = params.get("file_id")
            return {
                "file_id": file_id,
                "file_unique_id": f"u-{file_id}",
                "file_size": 1000,
                "file_path": f"documents/{file_id}",
            }
        if method == "getUpdates":
            return []
        return True

    def _answer(self, params: dict[str, Any]) -> bool:
        query_id = str(params.get("callback_query_id"))
        if query_id in self._answered:
            raise Refused(QUERY_TOO_OLD)
        text = str(params.get("text") or "")
        if _utf16(text) > CALLBACK_ANSWER_LIMIT:
            raise Refused("Bad Request: MESSAGE_TOO_LONG")
        self._answered.add(query_id)
        return True

    def _remember(self, call: ApiCall, message: dict[str, Any], shown: _Shown) -> None:
        self._shown[(call.chat_id or 0, int(message["message_id"]))] = shown

    def _edit(self, call: ApiCall) -> Any:
        method, params = call.method, call.params
        if "inline_message_id" in params:
            return True
        key = (call.chat_id or 0, int(params.get("message_id", 0)))
        if key in self._deleted:
            raise Refused("Bad Request: message to edit not found")
        # A message the fake never sent (a forged press in a test) is taken as it comes.
        known = key in self._shown
        old = self._shown.get(key) or _Shown(None, (), None, (), None)
        markup = _markup_key(params)
        if method == "editMessageText":
            if known and old.caption is not None:
                raise Refused("Bad Request: there is no text in the message to edit")
            text, entities = _shown_text(params, "text", "parse_mode", TEXT_LIMIT)
            new = _Shown(text, entities, None, (), markup)
        elif method == "editMessageCaption":
            if known and old.text is not None:
                raise Refused("Bad Request: there is no caption in the message to edit")
            caption, caption_entities = _shown_caption(params)
            new = _Shown(None, (), caption, caption_entities, markup)
        else:
            new = _Shown(old.text, old.entities, old.caption, old.caption_entities, markup)
        if known and new == old:
            raise Refused(NOT_MODIFIED)
        self._shown[key] = new
        message = self._message(call)
        message["message_id"] = key[1]
        if new.text is not None and "text" not in message:
            message["text"] = new.text
        return message


# --- what Telegram checks -------------------------------------------------------------------


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def _inline_keyboard(markup: Any) -> list[list[dict[str, Any]]] | None:
    data = _json(markup)
    if not isinstance(data, dict):
        return None
    rows = data.get("inline_keyboard")
    return rows if isinstance(rows, list) else None


def _markup_key(params: dict[str, Any]) -> str | None:
    """Returns the inline keyboard as comparable text (None without buttons)."""
    rows = _inline_keyboard(params.get("reply_markup"))
    if not rows or not any(rows):
        return None
    return json.dumps(rows, sort_keys=True)


# An album holds photos and videos together, or only documents, or only audio files.
_ALBUM_KINDS = {"photo": "visual", "video": "visual", "document": "document", "audio": "audio"}


def _check_album(media: list[dict[str, Any]]) -> None:
    """Refuses an album Telegram refuses: an unknown item, a file id missing, kinds mixed."""
    kinds = set()
    for entry in media:
        kind = _ALBUM_KINDS.get(str(entry.get("type")))
        if kind is None or not entry.get("media"):
            raise Refused("Bad Request: wrong media type in the media group")
        kinds.add(kind)
    if len(kinds) > 1:
        raise Refused("Bad Request: document can't be mixed with another media types")


def _check_keyboard(markup: Any) -> None:
    for row in _inline_keyboard(markup) or []:
        for button in row:
            data = button.get("callback_data")
            if data is not None and not 1 <= len(str(data).encode()) <= CALLBACK_DATA_LIMIT:
                raise Refused("Bad Request: BUTTON_DATA_INVALID")
            if not str(button.get("text") or "").strip():
                raise Refused("Bad Request: text buttons are unallowed in the inline keyboard")


def _utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _shown_text(
    params: dict[str, Any], key: str, mode_key: str, limit: int
) -> tuple[str, tuple[tuple[Any, ...], ...]]:
    """Returns the text as shown and its entities, refusing what Telegram refuses."""
    raw = str(params.get(key) or "")
    text, entities = _parse(raw, params.get(mode_key))
    if not text.strip():
        raise Refused("Bad Request: message text is empty")
    if _utf16(text.strip()) > limit:
        raise Refused("Bad Request: message is too long")
    return text, entities


def _shown_caption(params: dict[str, Any]) -> tuple[str | None, tuple[tuple[Any, ...], ...]]:
    if params.get("caption") is None:
        return None, ()
    text, entities = _parse(str(params["caption"]), params.get("parse_mode"))
    if _utf16(text.strip()) > CAPTION_LIMIT:
        raise Refused("Bad Request: message caption is too long")
    return text, entities


def _parse(raw: str, parse_mode: Any) -> tuple[str, tuple[tuple[Any, ...], ...]]:
    if parse_mode is None or str(parse_mode).lower() != "html":
        return raw, ()
    try:
        return parse_html(raw)
    except HtmlError as error:
        raise Refused(f"Bad Request: can't parse entities: {error}") from None


class HtmlError(ValueError):
    """Text that Telegram's HTML parser rejects (the message says where, as Telegram does)."""


_SUPPORTED_TAGS = frozenset(
    {
        "a",
        "b",
        "strong",
        "i",
        "em",
        "u",
        "ins",
        "s",
        "strike",
        "del",
        "span",
        "tg-spoiler",
        "code",
        "pre",
        "blockquote",
        "tg-emoji",
    }
)
# Tags that make the same entity (Telegram compares entities, not tags).
_SAME_ENTITY = {
    "strong": "b",
    "em": "i",
    "ins": "u",
    "strike": "s",
    "del": "s",
    "span": "tg-spoiler",
}
# Telegram knows four named entities and every numeric one. Unlike its parser (which keeps an
# unknown `&name` as it is), the fake requires every `&` to start one, as the Bot API documents:
# an unescaped `&` is a missing `esc()` that shows up as soon as the text contains `&lt;`.
_ENTITY = re.compile(r"&(?:(lt|gt|amp|quot)|#([0-9]{1,7})|#x([0-9a-fA-F]{1,6}));")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_PLAIN_RUN = re.compile(r"[^<&]+")


def parse_html(text: str) -> tuple[str, tuple[tuple[Any, ...], ...]]:
    """Parses Bot API HTML like Telegram: returns the shown text and its entities
    (kind, UTF-16 offset, length, argument), or raises HtmlError with Telegram's reason."""
    out: list[str] = []
    offset = 0  # of the shown text so far, in UTF-16 code units
    stack: list[tuple[str, int, str, int]] = []  # tag, offset, argument, byte offset
    entities: list[tuple[Any, ...]] = []
    i, n = 0, len(text)

    def at(pos: int) -> int:
        return len(text[:pos].encode())

    while i < n:
        char = text[i]
        if char == "&":
            match = _ENTITY.match(text, i)
            if match is None:
                raise HtmlError(f'Unescaped "&" at byte offset {at(i)}; write &amp;')
            named, decimal, hexadecimal = match.groups()
            code = int(decimal) if decimal else int(hexadecimal, 16) if hexadecimal else 0
            if not named and (code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF):
                raise HtmlError(f"Invalid character reference at byte offset {at(i)}")
            decoded = _NAMED[named] if named else chr(code)
            out.append(decoded)
            offset += _utf16(decoded)
            i = match.end()
            continue
        if char != "<":
            # A run of plain text up to the next tag or character reference, in one piece.
            match = _PLAIN_RUN.match(text, i)
            run = match.group() if match is not None else char
            out.append(run)
            offset += _utf16(run)
            i += len(run)
            continue
        begin = i
        i += 1
        if i < n and text[i] == "/":
            if not stack:
                raise HtmlError(f"Unexpected end tag at byte offset {at(begin)}")
            j = i + 1
            while j < n and not text[j].isspace() and text[j] != ">":
                j += 1
            name = text[i + 1 : j].lower()
            while j < n and text[j].isspace():
                j += 1
            if j >= n or text[j] != ">":
                raise HtmlError(f"Unclosed end tag at byte offset {at(begin)}")
            tag, start, argument, _ = stack.pop()
            if name and name != tag:
                raise HtmlError(
                    f'Unmatched end tag at byte offset {at(begin)}, expected "</{tag}>", '
                    f'found "</{name}>"'
                )
            if offset > start:
                entities.append((_SAME_ENTITY.get(tag, tag), start, offset - start, argument))
            i = j + 1
            continue
        j = i
        while j < n and not text[j].isspace() and text[j] != ">":
            j += 1
        if j >= n:
            raise HtmlError(f"Unclosed start tag at byte offset {at(begin)}")
        name = text[i:j].lower()
        if name not in _SUPPORTED_TAGS:
            raise HtmlError(f'Unsupported start tag "{name}" at byte offset {at(begin)}')
        attributes, i = _attributes(text, j, name, at(begin))
        argument = ""
        if name == "a":
            argument = attributes.get("href", "")
        elif name == "code":
            argument = attributes.get("class", "")
        elif name == "tg-emoji":
            argument = attributes.get("emoji-id", "")
            if not argument:
                raise HtmlError(f'Tag "tg-emoji" must have attribute "emoji-id" at {at(begin)}')
        elif name == "span":
            if attributes.get("class") != "tg-spoiler":
                raise HtmlError(
                    f'Tag "span" must have class "tg-spoiler" at byte offset {at(begin)}'
                )
        elif name == "blockquote":
            argument = "expandable" if "expandable" in attributes else ""
        stack.append((name, offset, argument, at(begin)))
    if stack:
        raise HtmlError(f'Can\'t find end tag corresponding to start tag "{stack[-1][0]}"')
    entities.sort(key=lambda e: (e[1], -e[2]))
    return "".join(out), tuple(entities)


def _attributes(text: str, i: int, tag: str, where: int) -> tuple[dict[str, str], int]:
    """Reads a start tag's attributes from `i` to its `>`; returns them and the next index."""
    n = len(text)
    found: dict[str, str] = {}
    while True:
        while i < n and text[i].isspace():
            i += 1
        if i >= n:
            raise HtmlError(f"Unclosed start tag at byte offset {where}")
        if text[i] == ">":
            return found, i + 1
        start = i
        while i < n and not text[i].isspace() and text[i] not in "=>":
            i += 1
        name = text[start:i].lower()
        if not name:
            raise HtmlError(f'Empty attribute name in the tag "{tag}" at byte offset {where}')
        while i < n and text[i].isspace():
            i += 1
        if i >= n or text[i] != "=":
            if tag == "blockquote" and name == "expandable":
                found[name] = ""
                continue
            raise HtmlError(
                f'Expected equal sign in declaration of an attribute of the tag "{tag}" '
                f"at byte offset {where}"
            )
        i += 1
        while i < n and text[i].isspace():
            i += 1
        if i >= n:
            raise HtmlError(f"Unclosed start tag at byte offset {where}")
        if text[i] in "'\"":
            quote = text[i]
            end = text.find(quote, i + 1)
            if end < 0:
                raise HtmlError(f"Unclosed start tag at byte offset {where}")
            value, _ = parse_html(text[i + 1 : end].replace("<", "&lt;"))
            i = end + 1
        else:
            start = i
            while i < n and not text[i].isspace() and text[i] != ">":
                i += 1
            value = text[start:i]
        found[name] = value


def _uploads(request_data: RequestData | None) -> dict[str, tuple[str, bytes]]:
    """Returns the uploaded files of a multipart request."""
    if request_data is None or not request_data.contains_files:
        return {}
    files = {}
    for part, (name, content, _mime) in request_data.multipart_data.items():
        files[part] = (name, content if isinstance(content, bytes) else content.read())
    return files


@functools.cache
def _photo_bytes() -> bytes:
    """Returns a small JPEG photo, what a downloaded photo looks like."""
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (40, 120, 200)).save(out, format="JPEG")
    return out.getvalue()
