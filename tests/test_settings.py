"""Settings: demo needs nothing; production names what is missing."""
import pytest

from bot.settings import ConfigError, Settings


def test_demo_mode_needs_no_configuration() -> None:
    settings = Settings.from_env({})
    assert settings.is_demo
    assert settings.database_url.startswith("sqlite:///")
    assert settings.line_api_base_url == "http://127.0.0.1:8000/fake-line"
    assert settings.timezone == "Asia/Bangkok"


def test_port_moves_the_demo_fake_line_api() -> None:
    assert Settings.from_env({"PORT": "9123"}).line_api_base_url == "http://127.0.0.1:9123/fake-line"


@pytest.mark.parametrize(("env", "missing"), [
    ({"LINE_CHANNEL_SECRET": "s", "DATABASE_URL": "postgresql://x/y"}, "LINE_CHANNEL_ACCESS_TOKEN"),
    ({"LINE_CHANNEL_ACCESS_TOKEN": "t", "DATABASE_URL": "postgresql://x/y"}, "LINE_CHANNEL_SECRET"),
    ({"APP_ENV": "production", "LINE_CHANNEL_SECRET": "s", "LINE_CHANNEL_ACCESS_TOKEN": "t"},
     "DATABASE_URL"),
], ids=["no-token", "no-secret", "no-database"])
def test_production_refuses_to_start_and_names_the_missing_key(env: dict[str, str],
                                                               missing: str) -> None:
    with pytest.raises(ConfigError, match=missing):
        Settings.from_env(env)


def test_the_production_entry_point_refuses_an_empty_environment() -> None:
    with pytest.raises(ConfigError) as error:
        Settings.from_env({}, production=True)
    assert "LINE_CHANNEL_SECRET" in str(error.value)
    assert "LINE_CHANNEL_ACCESS_TOKEN" in str(error.value)


def test_production_reads_every_variable() -> None:
    settings = Settings.from_env({
        "LINE_CHANNEL_SECRET": "s", "LINE_CHANNEL_ACCESS_TOKEN": "t",
        "DATABASE_URL": "postgres://u@h/db", "APP_TIMEZONE": "Asia/Bangkok", "PORT": "5000",
        "LINE_API_BASE_URL": "http://127.0.0.1:9/"})
    assert not settings.is_demo
    assert settings.database_url == "postgresql+psycopg://u@h/db"
    assert settings.line_api_base_url == "http://127.0.0.1:9"
    assert settings.port == 5000


def test_production_defaults_to_the_real_line_api() -> None:
    settings = Settings.from_env({"LINE_CHANNEL_SECRET": "s", "LINE_CHANNEL_ACCESS_TOKEN": "t",
                                  "DATABASE_URL": "postgresql://x/y"})
    assert settings.line_api_base_url == "https://api.line.me"


def test_unknown_app_env_is_refused() -> None:
    with pytest.raises(ConfigError, match="APP_ENV"):
        Settings.from_env({"APP_ENV": "staging"})
