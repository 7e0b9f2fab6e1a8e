"""A fake Bot API at PTB's request layer: records every call, answers plausibly, injects errors.

Errors go through PTB's own response handling (status codes and JSON bodies), so the code under
test sees exactly the exceptions a real Bot API would cause.
"""

from __future__ import annotations

import itertools
import json
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from telegram.request import BaseRequest, RequestData

BOT_ID = 7000000001
BOT_USERNAME = "batiknet_test_bot"


@dataclass
class ApiCall:
    """One recorded Bot API call."""

    method: str
    params: dict[str, Any]
    message_id: int | None = None
    # Uploaded files (multipart parts): part name -> (file name, bytes).
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)

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
        markup = self.params.get("reply_markup") or {}
        if isinstance(markup, str):
            markup = json.loads(markup)
        rows = markup.get("inline_keyboard") or []
        return [(b["text"], b.get("callback_data") or b.get("url") or "") for r in rows for b in r]

    @property
    def keyboard(self) -> list[str]:
        """Returns the labels of a reply keyboard."""
        markup = self.params.get("reply_markup") or {}
        if isinstance(markup, str):
            markup = json.loads(markup)
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
class FakeBotApi(BaseRequest):
    """Answers Bot API calls in memory."""

    calls: list[ApiCall] = field(default_factory=list)
    _failures: list[_Failure] = field(default_factory=list)
    _message_ids: dict[int, itertools.count[int]] = field(
        default_factory=lambda: defaultdict(lambda: itertools.count(1000))
    )
    _date: int = 1_780_000_000

    @property
    def read_timeout(self) -> float | None:
        """Returns the default read timeout (unused)."""
        return 1.0

    async def initialize(self) -> None:
        """Nothing to open."""

    async def shutdown(self) -> None:
        """Nothing to close."""

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
        """Records the call and returns a plausible Bot API answer."""
        api_method = url.rsplit("/", 1)[-1]
        params = dict(request_data.parameters) if request_data else {}
        call = ApiCall(api_method, params, files=_uploads(request_data))
        for failure in self._failures:
            if (
                failure.method == api_method
                and failure.times > 0
                and (failure.chat_id is None or failure.chat_id == call.chat_id)
            ):
                failure.times -= 1
                self.calls.append(ApiCall(api_method + "!failed", params))
                body: dict[str, Any] = {
                    "ok": False,
                    "error_code": failure.status,
                    "description": failure.description,
                }
                if failure.retry_after is not None:
                    body["parameters"] = {"retry_after": failure.retry_after}
                return failure.status, json.dumps(body).encode()
        self.calls.append(call)
        result = self._result(call)
        if isinstance(result, dict) and "message_id" in result:
            call.message_id = int(result["message_id"])
        elif isinstance(result, list) and result:
            call.message_id = int(result[0]["message_id"])
        return 200, json.dumps({"ok": True, "result": result}).encode()

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
        message.update(extra)
        return message

    def _result(self, call: ApiCall) -> Any:
        method = call.method
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
        if method in ("sendMessage", "sendPhoto", "sendDocument", "copyMessage"):
            return self._message(call)
        if method == "sendMediaGroup":
            media = call.params.get("media") or []
            return [self._message(call) for _ in media]
        if method in ("editMessageText", "editMessageReplyMarkup", "editMessageCaption"):
            if "inline_message_id" in call.params:
                return True
            message = self._message(call)
            message["message_id"] = int(call.params.get("message_id", 0))
            return message
        if method == "getFile":
            file_id = call.params.get("file_id")
            return {
                "file_id": file_id,
                "file_unique_id": f"u-{file_id}",
                "file_size": 1000,
                "file_path": f"documents/{file_id}",
            }
        if method == "getUpdates":
            return []
        return True


def _uploads(request_data: RequestData | None) -> dict[str, tuple[str, bytes]]:
    """Returns the uploaded files of a multipart request."""
    if request_data is None or not request_data.contains_files:
        return {}
    files = {}
    for part, (name, content, _mime) in request_data.multipart_data.items():
        files[part] = (name, content if isinstance(content, bytes) else content.read())
    return files
