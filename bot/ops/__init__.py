"""Running the bot for real: webhook, health, leader election, exactly-once updates, backups."""
