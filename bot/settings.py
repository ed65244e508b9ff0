"""Settings, read once from the environment (or passed in by tests)."""
from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEMO = "demo"
PRODUCTION = "production"

REPO_ROOT = Path(__file__).resolve().parent.parent


class ConfigError(RuntimeError):
    """The environment does not allow the app to start; the message says what is missing."""


@dataclass(frozen=True)
class Settings:
    """Everything the app reads from its environment, typed."""

    mode: str = DEMO
    database_url: str = ""
    channel_secret: str = ""
    channel_access_token: str = ""
    line_api_base_url: str = ""
    timezone: str = "Asia/Bangkok"
    port: int = 8000
    secret_key: str = ""
    storage_dir: str = ""
    # Where people reach the web app: the host of the links the bot sends (console sign-in,
    # announcement attachments), the same from the web, clock and worker processes. Empty means
    # the demo's loopback address on `port`.
    public_base_url: str = ""
    # LINE SDK timeouts in seconds: (connect, read). The SDK has none by default.
    line_timeout: tuple[float, float] = (3.0, 10.0)

    @property
    def is_demo(self) -> bool:
        return self.mode == DEMO

    @property
    def tz(self) -> ZoneInfo:
        """The app's time zone (`APP_TIMEZONE`): office days, office hours, dates shown."""
        return ZoneInfo(self.timezone)

    def url(self, path: str) -> str:
        """An absolute link to `path` on the public web app."""
        return (self.public_base_url or f"http://127.0.0.1:{self.port}").rstrip("/") + path

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, *,
                 production: bool = False) -> Settings:
        """Read the environment. Production is chosen by the entry point or by `APP_ENV`,
        or implied by a LINE key being set; it refuses to start without both keys."""
        env = os.environ if env is None else env
        secret = env.get("LINE_CHANNEL_SECRET", "").strip()
        token = env.get("LINE_CHANNEL_ACCESS_TOKEN", "").strip()
        app_env = env.get("APP_ENV", "").strip().lower()
        if app_env not in ("", DEMO, PRODUCTION):
            raise ConfigError(f"APP_ENV must be '{DEMO}' or '{PRODUCTION}', not {app_env!r}")
        mode = PRODUCTION if (production or app_env == PRODUCTION or secret or token) else DEMO
        port = int(env.get("PORT", "8000") or 8000)
        instance = REPO_ROOT / "instance"
        if mode == PRODUCTION:
            missing = [name for name, value in (("LINE_CHANNEL_SECRET", secret),
                                                ("LINE_CHANNEL_ACCESS_TOKEN", token),
                                                ("DATABASE_URL",
                                                 env.get("DATABASE_URL", "").strip()))
                       if not value]
            if missing:
                raise ConfigError("production mode needs " + ", ".join(missing)
                                  + " (set it in the environment)")
            unsafe = production_refusal(env)
            if unsafe:
                raise ConfigError(unsafe)
        database_url = (env.get("DATABASE_URL", "").strip()
                        or f"sqlite:///{instance / 'bot.sqlite3'}")
        timezone = env.get("APP_TIMEZONE", "").strip() or "Asia/Bangkok"
        try:
            ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ConfigError(f"APP_TIMEZONE {timezone!r} is not a time zone "
                              "(e.g. Asia/Bangkok)") from exc
        return cls(
            mode=mode,
            database_url=normalize_database_url(database_url),
            channel_secret=secret or DEMO_CHANNEL_SECRET,
            channel_access_token=token or "demo-channel-access-token",
            line_api_base_url=(env.get("LINE_API_BASE_URL", "").strip().rstrip("/")
                               or (f"http://127.0.0.1:{port}/fake-line" if mode == DEMO
                                   else "https://api.line.me")),
            timezone=timezone,
            port=port,
            secret_key=env.get("SECRET_KEY", "").strip() or secret or DEMO_SECRET_KEY,
            storage_dir=env.get("STORAGE_DIR", "").strip() or str(instance / "storage"),
            public_base_url=(env.get("PUBLIC_BASE_URL", "").strip()
                             or f"http://127.0.0.1:{port}").rstrip("/"),
        )

    def with_(self, **changes: object) -> Settings:
        """A copy with some fields changed (for tests and tools)."""
        return replace(self, **changes)  # type: ignore[arg-type]  # fields checked by replace


DEMO_CHANNEL_SECRET = "demo-channel-secret"  # public: it is in this repository
DEMO_SECRET_KEY = "demo-secret-key"


def production_refusal(env: Mapping[str, str]) -> str:
    """Why production must not start with this environment ("" when it may)."""
    if env.get("LINE_CHANNEL_SECRET", "").strip() == DEMO_CHANNEL_SECRET:
        return ("LINE_CHANNEL_SECRET is the public demo secret: set the channel's own secret "
                "from the LINE Developers console")
    database_url = env.get("DATABASE_URL", "").strip()
    if database_url.startswith("sqlite") and env.get("ALLOW_SQLITE_IN_PRODUCTION", "") != "1":
        return ("DATABASE_URL is SQLite: production needs PostgreSQL "
                "(set ALLOW_SQLITE_IN_PRODUCTION=1 to run on SQLite anyway)")
    return ""


def require_secret_key(env: Mapping[str, str]) -> None:
    """The production web process signs nothing with a guessable key: SECRET_KEY is set on its
    own, not borrowed from the LINE channel secret nor the demo's."""
    key = env.get("SECRET_KEY", "").strip()
    if not key:
        raise ConfigError("production web needs SECRET_KEY (a long random value of its own)")
    if key in (env.get("LINE_CHANNEL_SECRET", "").strip(), DEMO_SECRET_KEY, DEMO_CHANNEL_SECRET):
        raise ConfigError("SECRET_KEY must be its own random value, not the LINE channel secret "
                          "nor the demo's")


def normalize_database_url(url: str) -> str:
    """Use psycopg 3 for PostgreSQL URLs given in the common `postgres://` forms."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url
