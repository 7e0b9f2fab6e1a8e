"""The command line as an operator meets it: `python -m bot run` and `python -m bot migrate`."""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest

from bot.__main__ import REDACTED, RedactingFormatter
from db.models import Base

TOKEN = "123456789:AAFakeTokenThatMustNeverBePrinted"
ROOT = Path(__file__).resolve().parents[1]


def run_bot(args: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """Runs `python -m bot` of this checkout in a clean environment (only PATH, HOME, the
    checkout on PYTHONPATH, not an installed copy, and the given variables)."""
    clean = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(cwd),
        "PYTHONPATH": str(ROOT),
        **env,
    }
    return subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_run_without_token_explains_botfather_and_exits_2(tmp_path: Path) -> None:
    """Without BOT_TOKEN the bot stops at once with the BotFather instructions."""
    result = run_bot(["run"], tmp_path, BOT_TOKEN="")

    assert result.returncode == 2, result.stderr
    assert "BOT_TOKEN" in result.stderr
    assert "@BotFather" in result.stderr
    assert "/newbot" in result.stderr
    assert ".env.example" in result.stderr
    assert "Traceback" not in result.stderr


def test_invalid_setting_is_reported_without_traceback(tmp_path: Path) -> None:
    """A malformed setting names the variable and exits 2 instead of dumping a traceback."""
    result = run_bot(["migrate"], tmp_path, ADMIN_IDS="satu,dua")

    assert result.returncode == 2
    assert "ADMIN_IDS" in result.stderr
    assert "Traceback" not in result.stderr


def test_migrate_creates_a_fresh_database(tmp_path: Path) -> None:
    """`migrate` creates the file (and its folder) with every table and the seeded OPDs."""
    path = tmp_path / "nested" / "folder" / "batiknet.db"
    result = run_bot(["migrate"], tmp_path, DATABASE_URL=f"sqlite+aiosqlite:///{path}")

    assert result.returncode == 0, result.stderr
    assert path.exists()
    with sqlite3.connect(path) as conn:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        opds = conn.execute("SELECT count(*) FROM opd").fetchone()[0]
    assert set(Base.metadata.tables) | {"alembic_version"} <= tables
    assert opds == 31


def test_migrate_is_idempotent(tmp_path: Path) -> None:
    """Running `migrate` twice leaves the database as it was (no duplicate seed)."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
    first = run_bot(["migrate"], tmp_path, DATABASE_URL=url)
    second = run_bot(["migrate"], tmp_path, DATABASE_URL=url)

    assert (first.returncode, second.returncode) == (0, 0), second.stderr
    with sqlite3.connect(tmp_path / "bot.db") as conn:
        assert conn.execute("SELECT count(*) FROM opd").fetchone()[0] == 31


class _RejectingApi(BaseHTTPRequestHandler):
    """A local stand-in for the Bot API that refuses every token, recording request paths."""

    paths: list[str] = []

    def do_POST(self) -> None:
        """Answers 401 Unauthorized like Telegram does for a revoked token."""
        self.paths.append(self.path)
        length = int(self.headers.get("Content-Length", "0"))
        self.rfile.read(length)
        body = json.dumps({"ok": False, "error_code": 401, "description": "Unauthorized"})
        self.send_response(401)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body.encode())

    def log_message(self, format: str, *args: object) -> None:
        """Keeps the test output quiet."""


@pytest.fixture
def rejecting_api() -> Iterator[tuple[str, list[str]]]:
    """Serves the rejecting Bot API on the loopback interface; yields its root URL and paths."""
    paths: list[str] = []
    handler = type("Handler", (_RejectingApi,), {"paths": paths})
    server = HTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/", paths
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_rejected_token_is_explained_and_never_printed(
    tmp_path: Path, rejecting_api: tuple[str, list[str]]
) -> None:
    """A token Telegram refuses gives a clear message; the token appears in no output."""
    root, paths = rejecting_api
    result = run_bot(
        ["run"],
        tmp_path,
        BOT_TOKEN=TOKEN,
        TELEGRAM_API_URL=root,
        LOG_LEVEL="DEBUG",
        DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
    )

    assert result.returncode == 2, result.stderr
    assert "BOT_TOKEN" in result.stderr
    assert TOKEN not in result.stdout + result.stderr
    assert TOKEN.split(":")[1] not in result.stdout + result.stderr
    # The configured API root is used, with PTB's /bot<token>/<method> layout under it.
    assert paths and paths[0] == f"/bot{TOKEN}/getMe"


def test_log_formatter_redacts_the_token_in_messages_and_tracebacks() -> None:
    """The log formatter replaces the token wherever it appears."""
    formatter = RedactingFormatter("%(message)s", [TOKEN])
    try:
        raise RuntimeError(f"GET https://api.telegram.org/bot{TOKEN}/getMe")
    except RuntimeError:
        record = logging.LogRecord(
            "httpx", logging.INFO, __file__, 1, "url %s", (f"/bot{TOKEN}/x",), sys.exc_info()
        )
    text = formatter.format(record)

    assert TOKEN not in text
    assert f"url /bot{REDACTED}/x" in text
    assert f"bot{REDACTED}/getMe" in text
