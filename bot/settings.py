"""Settings from environment variables (and a .env file): the contract operators rely on."""

from __future__ import annotations

from typing import Literal
from zoneinfo import ZoneInfo

from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///./consultbot.db"


class Settings(BaseSettings):
    """Every knob, named as in ARCHITECTURE.md; nothing is read at import time."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    database_url: str = DEFAULT_DATABASE_URL
    http_host: str = "127.0.0.1"
    http_port: int = 8080
    public_url: str | None = None
    telegram_bot_token: SecretStr | None = None
    telegram_api_base_url: str = "https://api.telegram.org"
    telegram_webhook_secret: SecretStr | None = None
    # Telegram's limits; raise them only for a bot Telegram allows more (or a local stand-in).
    telegram_messages_per_second: float = 30.0
    telegram_paid_broadcast: bool = False
    # Zalo Official Account (Open API v3)
    zalo_oa_id: str | None = None
    zalo_app_id: str | None = None
    zalo_app_secret: SecretStr | None = None
    zalo_oa_secret_key: SecretStr | None = None
    zalo_access_token: SecretStr | None = None
    zalo_refresh_token: SecretStr | None = None
    zalo_api_base_url: str = "https://openapi.zalo.me"
    zalo_oauth_base_url: str = "https://oauth.zaloapp.com"
    zalo_signature_mode: str = "enforce"  # or "report": log bad signatures, do not reject
    zalo_signature_variant: str = "documented"
    zalo_replay_window_seconds: int = 600
    # Zalo Bot Platform
    zalo_bot_token: SecretStr | None = None
    zalo_bot_api_base_url: str = "https://bot-api.zaloplatforms.com"
    zalo_bot_webhook_secret: SecretStr | None = None
    # E-mail digests (SMTP)
    smtp_host: str | None = None
    smtp_port: int = 587
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_from: str | None = None
    smtp_starttls: bool = True
    # Scheduled jobs (rounds opening/closing, digests, reminders)
    scheduler_enabled: bool = True
    # With several instances on PostgreSQL: how often a standby tries to take the scheduler
    # lock and the leader checks it still holds it (takeover within two of these; keep <= 10).
    scheduler_lock_retry_seconds: float = 5.0
    admin_secret_key: SecretStr | None = None
    tz_name: str = "Asia/Ho_Chi_Minh"
    province_name: str = "tỉnh Minh Sơn"
    log_level: str = "INFO"
    # "json" (one object per line) or "text"; unset: json, except `consultbot demo` (text).
    log_format: Literal["json", "text"] | None = None
    # When set, GET /metrics asks for "Authorization: Bearer <token>".
    metrics_token: SecretStr | None = None
    migrate_on_start: bool = True
    chat_burst: int = 10
    chat_rate_per_second: float = 2.0

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.tz_name)

    @property
    def secure_cookies(self) -> bool:
        """Cookies get the Secure flag when the public address is https."""
        return bool(self.public_url and self.public_url.startswith("https://"))
