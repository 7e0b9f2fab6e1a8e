"""Admin commands: /undang, /opd, /peran (filled in by the registration work)."""

from __future__ import annotations

from typing import Any

from telegram.ext import BaseHandler


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    """Returns this module's handlers."""
    return []
