"""Inline and reply keyboards, one module per audience or flow (labels come from `bot.texts`)."""
