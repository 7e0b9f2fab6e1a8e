"""Settings from the environment and `.env` (pydantic-settings)."""

from __future__ import annotations

import re
from datetime import datetime, time
from typing import Annotated, Any

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DEFAULT_API_URL = "https://api.telegram.org"
# Telegram's rule for setWebhook's secret_token; at least 32 characters is ours.
WEBHOOK_SECRET_PATTERN = re.compile(r"[A-Za-z0-9_-]{32,256}")
# A help text, not a secret.
WEBHOOK_KEY_RULE = (
    "WEBHOOK_SECRET is required with WEBHOOK_URL: 32 to 256 characters of A-Z, a-z, 0-9, _ "
    "and - (Telegram sends it back with every update, so forged posts are refused). "
    "Make one with: python -c 'import secrets; print(secrets.token_urlsafe(32))'"
)


class Settings(BaseSettings):
    """Holds every setting of the bot; each one is documented in `.env.example`."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    bot_token: SecretStr | None = None
    telegram_api_url: str = DEFAULT_API_URL
    database_url: str = "sqlite+aiosqlite:///data/batiknet.db"
    admin_ids: Annotated[list[int], NoDecode] = Field(default_factory=list)
    tech_group_id: int | None = None
    timezone: str = "Asia/Jakarta"
    log_level: str = "INFO"

    # The standard has Kominfo disposition each report; on, the bot dispositions to the team.
    auto_disposition: bool = False
    # Letterhead of the berita acara: name lines separated by "|", an address/contact line
    # under them and an optional logo file (PNG or JPEG) on the left.
    institution_header: str = "PEMERINTAH KOTA PEKALONGAN|DINAS KOMUNIKASI DAN INFORMATIKA"
    institution_address: str = ""
    logo_path: str = ""
    institution_name: str = "Dinas Komunikasi dan Informatika Kota Pekalongan"
    ba_number_template: str = "BA/{seq}/KOMINFO/{roman_month}/{year}"
    # Key of the berita acara verification codes; empty: a key generated once and kept in the
    # database. Never the bot token (a revoked token must not void printed documents).
    ba_secret: SecretStr = SecretStr("")
    # The Kepala Bidang (role supervisor) countersigns the berita acara ("Mengetahui").
    ba_mengetahui: bool = True
    # A second page with the ticket's photos before and after the repair (downloaded from
    # Telegram when the berita acara is issued).
    ba_photo_annex: bool = False

    office_hours: str = "mon-thu 08:00-12:00,12:30-15:45; fri 08:00-11:00"
    target_working_days: int = 2
    deadline_working_days: int = 5
    response_working_minutes: int = 240
    # Escalation ladder (DESIGN §4): a percentage of 0 or a false flag switches a step off.
    sla_response_reminder_percent: int = Field(default=50, ge=0, le=100)
    sla_response_escalation: bool = True
    sla_target_reminder_percent: int = Field(default=50, ge=0, le=100)
    sla_target_escalation: bool = True
    sla_deadline_warning_percent: int = Field(default=75, ge=0, le=100)
    # Stage steps: an approval waiting this long, a repaired ticket the OPD has not confirmed.
    sla_approval_wait_working_minutes: int = Field(default=240, ge=0)
    sla_repaired_reminder_working_days: int = Field(default=1, ge=0)
    sla_repaired_escalation_working_days: int = Field(default=2, ge=0)
    sla_at_risk_percent: int = Field(default=75, ge=1, le=100)
    # Reminders to the reporter of a request letter marked "menyusul": at the opening of each
    # of the first N working days after the report (0 switches them off; at most three).
    sla_letter_reminders: int = Field(default=3, ge=0, le=3)
    sla_morning_digest: bool = True
    complaint_response_working_days: int = Field(default=1, ge=1)
    complaint_resolution_working_days: int = Field(default=3, ge=1)
    # Complaints (pengaduan): anti-flooding cap and the channels the standard publishes.
    complaint_open_max: int = Field(default=3, ge=1)
    complaint_phones: str = "(0285) 421243; (0285) 420223"
    complaint_email: str = "diskominfo@gafe.pekalongankota"
    complaint_website: str = "http://kominfo.pekalongankota.go.id"
    complaint_twitter: str = "@pkl.diskominfo"
    complaint_instagram: str = "@pkl.diskominfo"
    complaint_official_name: str = ""
    complaint_official_phone: str = ""

    # The kabid's summary of the previous month on the first working day of a month.
    monthly_summary: bool = True

    invite_ttl_hours: int = 72
    invite_max_uses: int = 5
    conversation_timeout_minutes: int = 30

    clock_start: datetime | None = None
    clock_speed: float = 1.0

    # Webhook mode (empty URL: long polling). The URL's path is the path served.
    webhook_url: str = ""
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = Field(default=8080, ge=0, le=65535)
    webhook_secret: SecretStr = SecretStr("")
    # Daily SQLite backup after closing time (empty: none); the newest BACKUP_KEEP are kept.
    backup_dir: str = ""
    backup_keep: int = Field(default=14, ge=1)
    backup_time: time = time(17, 0)

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: Any) -> Any:
        """Accepts `ADMIN_IDS` as a comma-separated list."""
        if isinstance(value, str):
            return [int(part) for part in value.replace(" ", "").split(",") if part]
        if isinstance(value, int):
            return [value]
        return value

    @field_validator("tech_group_id", "clock_start", mode="before")
    @classmethod
    def _blank_is_none(cls, value: Any) -> Any:
        """Treats an empty variable as unset."""
        if isinstance(value, str) and not value.strip():
            return None
        return value

    @field_validator("telegram_api_url")
    @classmethod
    def _strip_slash(cls, value: str) -> str:
        """Normalises the API root so URLs can be derived from it."""
        return value.rstrip("/")

    @model_validator(mode="after")
    def _secret_is_not_the_token(self) -> Settings:
        """Refuses a berita acara key equal to the bot token (revoking one would void both)."""
        secret = self.ba_secret.get_secret_value()
        if secret and self.bot_token is not None and secret == self.bot_token.get_secret_value():
            raise ValueError("BA_SECRET must not be the bot token")
        return self

    @model_validator(mode="after")
    def _webhook_needs_a_secret(self) -> Settings:
        """Refuses webhook mode without a strong secret token or with a URL without a path."""
        if not self.webhook_url:
            return self
        if not WEBHOOK_SECRET_PATTERN.fullmatch(self.webhook_secret.get_secret_value()):
            raise ValueError(WEBHOOK_KEY_RULE)
        if not re.match(r"https?://[^/]+/", self.webhook_url):
            raise ValueError(
                "WEBHOOK_URL must be a full URL with a path, e.g. https://bot.example.go.id/tg/hook"
            )
        return self

    @property
    def webhook_path(self) -> str:
        """Returns the path of WEBHOOK_URL: the path the webhook server answers on."""
        return "/" + self.webhook_url.split("://", 1)[-1].split("/", 1)[1].split("?", 1)[0]

    @property
    def base_url(self) -> str:
        """Returns the Bot API method URL prefix (the token is appended by PTB)."""
        return f"{self.telegram_api_url}/bot"

    @property
    def base_file_url(self) -> str:
        """Returns the Bot API file URL prefix (the token is appended by PTB)."""
        return f"{self.telegram_api_url}/file/bot"
