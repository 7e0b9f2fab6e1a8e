"""A fake Bot API over real HTTP for bots running as subprocesses (test code only).

Updates are queued by the test and handed out by `getUpdates` with Telegram's offset rule: an
update stays until a later call asks for an offset above its id, so a bot killed before it
confirmed a batch gets it again when the next bot polls. Every call is recorded.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

BOT = {"id": 7000000001, "is_bot": True, "first_name": "Batik", "username": "batiknet_test_bot"}


@dataclass
class Call:
    """One recorded Bot API call."""

    method: str
    params: dict[str, Any]
    message_id: int | None = None

    @property
    def chat_id(self) -> int | None:
        """Returns the target chat, if any."""
        value = self.params.get("chat_id")
        return int(value) if value is not None else None

    @property
    def text(self) -> str:
        """Returns the text or caption."""
        return str(self.params.get("text") or self.params.get("caption") or "")

    @property
    def buttons(self) -> dict[str, str]:
        """Returns label -> callback data of the inline keyboard."""
        markup = self.params.get("reply_markup") or {}
        rows = markup.get("inline_keyboard", []) if isinstance(markup, dict) else []
        return {b["text"]: b.get("callback_data", "") for row in rows for b in row}


@dataclass
class FakeTelegram:
    """The state of the fake: queued updates and recorded calls."""

    updates: list[dict[str, Any]] = field(default_factory=list)
    calls: list[Call] = field(default_factory=list)
    message_ids: Iterator[int] = field(default_factory=lambda: itertools.count(100))
    update_ids: Iterator[int] = field(default_factory=lambda: itertools.count(5000))
    lock: threading.Condition = field(default_factory=threading.Condition)
    # Seconds Telegram takes to answer a message to a chat (the call is done at once).
    slow_chats: dict[int, float] = field(default_factory=dict)

    def push(self, kind: str, payload: dict[str, Any]) -> int:
        """Queues an update of a kind (message, callback_query); returns its id."""
        with self.lock:
            update_id = next(self.update_ids)
            self.updates.append({"update_id": update_id, kind: payload})
            self.lock.notify_all()
        return update_id

    def sent(self, chat_id: int | None = None, method: str | None = None) -> list[Call]:
        """Returns the calls that carry a message, optionally to one chat / of one method."""
        with self.lock:
            return [
                c
                for c in self.calls
                if (chat_id is None or c.chat_id == chat_id)
                and (method is None or c.method == method)
                and c.method.startswith(("send", "edit", "copy"))
            ]

    def wait_for(self, check: Callable[[], bool], timeout: float = 30) -> None:
        """Waits until the check passes (or fails the test after the timeout)."""
        deadline = time.monotonic() + timeout
        while not check():
            if time.monotonic() > deadline:
                raise AssertionError("the bot did not get there in time")
            time.sleep(0.05)

    def answer(self, method: str, params: dict[str, Any]) -> Any:
        """Records a call and returns what Telegram would."""
        call = Call(method, params)
        with self.lock:
            self.calls.append(call)
        if method == "getUpdates":
            return self._get_updates(params)
        if method == "getMe":
            return BOT
        if method.startswith(("send", "edit", "copy")) and "chat_id" in params:
            delay = self.slow_chats.get(int(params["chat_id"]), 0)
            if delay:
                time.sleep(delay)
            call.message_id = int(params.get("message_id") or next(self.message_ids))
            message = {
                "message_id": call.message_id,
                "date": int(time.time()),
                "chat": {"id": int(params["chat_id"]), "type": "private"},
                "from": BOT,
                "text": params.get("text", ""),
            }
            if method == "sendMediaGroup":
                return [message]
            return message
        return True

    def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(params.get("offset") or 0)
        wait = min(float(params.get("timeout") or 0), 1.0)
        with self.lock:
            # Asking for an offset confirms every update below it.
            self.updates = [u for u in self.updates if u["update_id"] >= offset]
            if not self.updates and wait:
                self.lock.wait(wait)
            return list(self.updates[:100])


def _params(handler: BaseHTTPRequestHandler, body: bytes) -> dict[str, Any]:
    kind = handler.headers.get("Content-Type", "")
    raw: dict[str, str] = {}
    if kind.startswith("application/json"):
        loaded = json.loads(body or b"{}")
        return loaded if isinstance(loaded, dict) else {}
    if kind.startswith("multipart/form-data"):
        message = BytesParser(policy=HTTP).parsebytes(
            f"Content-Type: {kind}\r\n\r\n".encode() + body
        )
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            if isinstance(name, str):
                raw[name] = part.get_content() if part.get_content_maintype() == "text" else ""
    else:
        raw = {k: v[0] for k, v in parse_qs(body.decode()).items()}
    params: dict[str, Any] = {}
    for key, value in raw.items():
        try:
            params[key] = json.loads(value)
        except (ValueError, TypeError):
            params[key] = value
    return params


@contextmanager
def serve_fake_telegram() -> Iterator[tuple[str, FakeTelegram]]:
    """Serves a fake Bot API on 127.0.0.1; yields its root URL and its state."""
    fake = FakeTelegram()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            """Answers one Bot API call."""
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            if len(body) < length:
                # The client went away mid-request (a bot stopped while its long poll was
                # being sent): Telegram would not act on half a request, nor is it a call.
                return
            method = self.path.rstrip("/").rsplit("/", 1)[-1]
            result = fake.answer(method, _params(self, body))
            data = json.dumps({"ok": True, "result": result}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: object) -> None:
            """Keeps the test output quiet."""

    class Server(ThreadingHTTPServer):
        def handle_error(self, request: object, client_address: object) -> None:
            """A killed bot leaves its connection half-answered: nothing to report."""

    server = Server(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", fake
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
