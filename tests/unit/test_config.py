"""Settings parsing: the shapes operators actually write into `.env` and the environment."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from pydantic import SecretStr

from bot.config import DEFAULT_API_URL, Settings

ROOT = Path(__file__).resolve().parents[2]
SETTING_NAMES = sorted(name.upper() for name in Settings.model_fields)


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Removes every bot setting from the environment so only the test's values count."""
    for name in SETTING_NAMES:
        monkeypatch.delenv(name, raising=False)


def load() -> Settings:
    """Reads the settings from the environment only (never a developer's `.env`)."""
    return Settings(_env_file=None)


def env_example() -> dict[str, str]:
    """Returns the variables of `.env.example` with the comment block above each."""
    documented: dict[str, str] = {}
    comments: list[str] = []
    for line in (ROOT / ".env.example").read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            comments.append(line)
        elif "=" in line:
            documented[line.split("=", 1)[0].strip()] = "\n".join(comments)
            comments = []
        elif not line.strip():
            comments = []
    return documented


def test_env_example_documents_every_setting() -> None:
    """`.env.example` has each setting of bot/config.py, no other, each under a comment."""
    documented = env_example()

    assert sorted(documented) == SETTING_NAMES
    assert [name for name, comment in documented.items() if not comment] == []


def test_env_example_values_are_the_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    """Copying `.env.example` unchanged gives the default settings."""
    monkeypatch.chdir(ROOT)
    from_example = Settings(_env_file=ROOT / ".env.example")

    assert from_example.bot_token is None or not from_example.bot_token.get_secret_value()
    assert from_example.model_dump(exclude={"bot_token"}) == load().model_dump(
        exclude={"bot_token"}
    )


def test_readme_documents_every_setting() -> None:
    """The README's settings table names every setting."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")

    missing = [name for name in SETTING_NAMES if f"`{name}`" not in readme]
    assert not missing, f"README.md does not document {missing}"


def test_defaults() -> None:
    """Without any variable the bot has documented, safe defaults."""
    settings = load()

    assert settings.bot_token is None
    assert settings.telegram_api_url == DEFAULT_API_URL
    assert settings.database_url == "sqlite+aiosqlite:///data/batiknet.db"
    assert settings.admin_ids == []
    assert settings.tech_group_id is None
    assert settings.timezone == "Asia/Jakarta"
    assert settings.clock_start is None
    assert settings.base_url == "https://api.telegram.org/bot"
    assert settings.base_file_url == "https://api.telegram.org/file/bot"


def test_admin_ids_are_comma_separated(monkeypatch: pytest.MonkeyPatch) -> None:
    """ADMIN_IDS accepts spaces after commas and a trailing comma."""
    monkeypatch.setenv("ADMIN_IDS", "1, 2,3,")

    assert load().admin_ids == [1, 2, 3]


def test_single_admin_id(monkeypatch: pytest.MonkeyPatch) -> None:
    """One id without a comma is a list of one."""
    monkeypatch.setenv("ADMIN_IDS", "987654321")

    assert load().admin_ids == [987654321]


def test_empty_admin_ids(monkeypatch: pytest.MonkeyPatch) -> None:
    """An empty ADMIN_IDS means no bootstrap admins, not an error."""
    monkeypatch.setenv("ADMIN_IDS", "")

    assert load().admin_ids == []


def test_malformed_admin_ids_are_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    """A name instead of a numeric id is refused rather than silently dropped."""
    monkeypatch.setenv("ADMIN_IDS", "1,budi")

    with pytest.raises(ValueError, match="admin_ids"):
        load()


def test_empty_tech_group_id_is_none(monkeypatch: pytest.MonkeyPatch) -> None:
    """`TECH_GROUP_ID=` as copied from `.env.example` means "not set"."""
    monkeypatch.setenv("TECH_GROUP_ID", "")

    assert load().tech_group_id is None


def test_negative_tech_group_id(monkeypatch: pytest.MonkeyPatch) -> None:
    """Supergroup ids are negative and large."""
    monkeypatch.setenv("TECH_GROUP_ID", "-1001234567890")

    assert load().tech_group_id == -1001234567890


def test_empty_clock_start_is_none(monkeypatch: pytest.MonkeyPatch) -> None:
    """An empty CLOCK_START keeps the real clock."""
    monkeypatch.setenv("CLOCK_START", " ")

    assert load().clock_start is None


def test_clock_start_is_parsed(monkeypatch: pytest.MonkeyPatch) -> None:
    """CLOCK_START takes an ISO date-time with offset."""
    monkeypatch.setenv("CLOCK_START", "2026-11-30T09:00:00+07:00")
    monkeypatch.setenv("CLOCK_SPEED", "60")
    settings = load()

    assert settings.clock_start == datetime.fromisoformat("2026-11-30T09:00:00+07:00")
    assert settings.clock_speed == 60


@pytest.mark.parametrize("root", ["http://localhost:8081/", "http://localhost:8081"])
def test_api_urls_are_derived_from_the_root(monkeypatch: pytest.MonkeyPatch, root: str) -> None:
    """A local Bot API server root gives both the method and the file URL prefixes."""
    monkeypatch.setenv("TELEGRAM_API_URL", root)
    settings = load()

    assert settings.telegram_api_url == "http://localhost:8081"
    assert settings.base_url == "http://localhost:8081/bot"
    assert settings.base_file_url == "http://localhost:8081/file/bot"


def test_token_is_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    """The token is a SecretStr: readable on purpose, hidden in repr, str and dumps."""
    token = "123456789:AAsecretsecretsecret"
    monkeypatch.setenv("BOT_TOKEN", token)
    settings = load()

    assert isinstance(settings.bot_token, SecretStr)
    assert settings.bot_token.get_secret_value() == token
    assert token not in repr(settings)
    assert token not in str(settings)
    assert token not in settings.model_dump_json()
    assert token not in repr(settings.model_dump())


def test_dotenv_file_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Settings come from `.env` in the working directory; the environment wins over it."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text(
        "BOT_TOKEN=1:fromfile\nTECH_GROUP_ID=-100\nLOG_LEVEL=DEBUG\n", encoding="utf-8"
    )
    monkeypatch.setenv("LOG_LEVEL", "WARNING")
    settings = Settings()

    assert settings.bot_token is not None
    assert settings.bot_token.get_secret_value() == "1:fromfile"
    assert settings.tech_group_id == -100
    assert settings.log_level == "WARNING"
