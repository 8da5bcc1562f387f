"""Settings: embedded under the data dir by default; PostgreSQL, MinIO, Elasticsearch if set."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATA_DIR = Path("tabian-data")
SETTINGS_FILE_NAME = "tabian.toml"


class ConfigError(Exception):
    """The configuration is unusable; the message says which setting and what to do."""


class Settings(BaseSettings):
    """Where each part lives. Environment variables are `TABIAN_<NAME>`.

    A settings file (TOML, flat keys named as the fields) is read from `TABIAN_CONFIG` or, failing
    that, `<data_dir>/tabian.toml`; environment variables win over the file.
    """

    model_config = SettingsConfigDict(env_prefix="TABIAN_", extra="ignore")

    data_dir: Path = DEFAULT_DATA_DIR
    database_url: str | None = Field(
        default=None, description="SQLAlchemy URL; default: SQLite file catalog.sqlite3 in data_dir"
    )
    store: Literal["directory", "minio"] = "directory"
    minio_endpoint: str | None = None
    minio_access_key: str | None = None
    minio_secret_key: str | None = None
    minio_bucket: str = "tabian"
    minio_secure: bool = False
    search: Literal["embedded", "elasticsearch"] = "embedded"
    elasticsearch_url: str | None = None
    elasticsearch_index: str = "tabian-documents"
    # Web sign-in: sessions end after this many idle minutes (records are confidential, 6.4).
    session_idle_minutes: int = Field(default=30, ge=1, le=24 * 60)
    session_max_hours: int = Field(default=12, ge=1, le=7 * 24)
    # Public address of the web interface (OIDC redirect URI, the QR code on printed records).
    public_url: str | None = None
    # OpenID Connect sign-in (ThaID / Digital ID style); off unless an issuer is set.
    oidc_issuer: str | None = None
    oidc_client_id: str | None = None
    oidc_client_secret: str | None = None
    oidc_citizen_id_claim: str = "pid"
    oidc_display_name: str = "ThaID"

    @field_validator("database_url")
    @classmethod
    def _url_scheme(cls, value: str | None) -> str | None:
        if value and not value.startswith(("sqlite", "postgresql")):
            raise ValueError("database_url must be a sqlite:// or postgresql+psycopg:// URL")
        return value

    @property
    def catalog_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'catalog.sqlite3').resolve()}"

    @property
    def objects_dir(self) -> Path:
        return self.data_dir / "objects"

    def check(self) -> None:
        """Refuse half-configured servers at start-up rather than on first use."""
        if self.store == "minio":
            missing = [
                name
                for name in ("minio_endpoint", "minio_access_key", "minio_secret_key")
                if not getattr(self, name)
            ]
            if missing:
                raise ConfigError(
                    "store=minio needs "
                    + ", ".join(f"TABIAN_{m.upper()}" for m in missing)
                    + " to be set"
                )
            if self.minio_secret_key in {"minioadmin", "changeme"}:
                raise ConfigError(
                    "refusing the default MinIO secret key; set TABIAN_MINIO_SECRET_KEY"
                )
        if self.oidc_issuer and not (self.oidc_client_id and self.oidc_client_secret):
            raise ConfigError(
                "oidc_issuer needs TABIAN_OIDC_CLIENT_ID and TABIAN_OIDC_CLIENT_SECRET"
            )
        if self.search == "elasticsearch" and not self.elasticsearch_url:
            raise ConfigError("search=elasticsearch needs TABIAN_ELASTICSEARCH_URL")


def _read_settings_file(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"settings file {path} is not valid TOML: {exc}") from exc
    section = data.get("tabian", data)
    if not isinstance(section, dict):
        raise ConfigError(f"settings file {path}: expected a [tabian] table")
    return section


def load_settings(data_dir: Path | None = None, config_file: Path | None = None) -> Settings:
    """Settings from (lowest first) defaults, the settings file, the environment, the CLI."""
    import os

    env_data_dir = os.environ.get("TABIAN_DATA_DIR")
    resolved_dir = data_dir or (Path(env_data_dir) if env_data_dir else DEFAULT_DATA_DIR)
    file_path = config_file or (
        Path(os.environ["TABIAN_CONFIG"]) if os.environ.get("TABIAN_CONFIG") else None
    )
    if file_path is None and (resolved_dir / SETTINGS_FILE_NAME).is_file():
        file_path = resolved_dir / SETTINGS_FILE_NAME
    file_values: dict[str, Any] = {}
    if file_path is not None:
        if not file_path.is_file():
            raise ConfigError(f"settings file {file_path} does not exist")
        file_values = _read_settings_file(file_path)
    # Environment beats the file: let pydantic-settings read env, then fill gaps from the file.
    env_settings = Settings()
    merged: dict[str, Any] = dict(file_values)
    for name in Settings.model_fields:
        if f"TABIAN_{name.upper()}" in os.environ:
            merged[name] = getattr(env_settings, name)
    merged["data_dir"] = resolved_dir
    try:
        settings = Settings.model_validate(merged)
    except ValueError as exc:
        raise ConfigError(str(exc)) from exc
    settings.check()
    return settings
