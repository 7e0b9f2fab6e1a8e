"""The typed callback context that carries the application's services."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import Application, CallbackContext, ExtBot

from bot.services.container import Services
from bot.services.context import Context
from bot.services.domain import Actor

SERVICES_KEY = "services"
DELIVERY_KEY = "delivery"


class BotContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    """Callback context with typed access to the services."""

    @property
    def services(self) -> Services:
        """Returns the services injected at start."""
        services = self.application.bot_data[SERVICES_KEY]
        assert isinstance(services, Services)  # noqa: S101 - set once by build_application
        return services


BotApp = Application[ExtBot[None], BotContext, dict[Any, Any], dict[Any, Any], dict[Any, Any], Any]


def actor_of(update: Update) -> Actor:
    """Returns the acting user of an update (handlers only run for updates with a user)."""
    user = update.effective_user
    if user is None:
        raise ValueError("update without a user")
    return Actor(telegram_id=user.id, display_name=user.full_name)


def use_case(update: Update, context: BotContext) -> Context:
    """Returns the use-case context of an update: now, calendar, settings and the actor."""
    return context.services.context(actor_of(update))
