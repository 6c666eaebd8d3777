"""The one settings module. Everything that differs between machines comes from the environment.

XUNCHA_PRODUCTION=1 turns on the production hardening (secure cookies, HSTS, SSL redirect, a
required secret key). Without it the platform runs as the demo/test configuration on plain HTTP.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url

PACKAGE_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = Path(os.environ.get("XUNCHA_HOME", Path.cwd())).resolve()
VAR_DIR = Path(os.environ.get("XUNCHA_VAR", BASE_DIR / "var"))


def _env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(int(default))).strip().lower() in {"1", "true", "yes", "on"}


PRODUCTION = _env_bool("XUNCHA_PRODUCTION")
DEBUG = _env_bool("XUNCHA_DEBUG") and not PRODUCTION


def _secret_key() -> str:
    key = os.environ.get("XUNCHA_SECRET_KEY")
    if key:
        return key
    if PRODUCTION:
        raise RuntimeError("XUNCHA_SECRET_KEY must be set when XUNCHA_PRODUCTION=1")
    # Development: one random key per checkout, kept under var/ so sessions survive restarts.
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("XUNCHA_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h.strip()
]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("XUNCHA_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",
    "huey.contrib.djhuey",
    "xuncha.core",
    "xuncha.org",
    "xuncha.rounds",
    "xuncha.findings",
    "xuncha.rectification",
    "xuncha.notifications",
    "xuncha.reports",
    "xuncha.fieldwork",
    "xuncha.surveys",
    "xuncha.pool",
    "xuncha.groupwork",
    "xuncha.stats",
    "xuncha.api",
    "xuncha.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "xuncha.core.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "xuncha.config.urls"
WSGI_APPLICATION = "xuncha.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "xuncha.web.context.navigation",
            ],
        },
    }
]

_default_sqlite = VAR_DIR / "xuncha.sqlite3"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{_default_sqlite}"), conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets the web server read while a writer commits; IMMEDIATE avoids upgrade deadlocks.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-xuncha.sqlite3")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "org.User"
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:workbench"
LOGOUT_REDIRECT_URL = "web:login"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": os.environ["XUNCHA_REDIS_URL"]}
        if os.environ.get("XUNCHA_REDIS_URL")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "xuncha"}
    )
}

# Login throttling: failures per username and per window, counted in the cache only.
LOGIN_MAX_FAILURES = int(os.environ.get("XUNCHA_LOGIN_MAX_FAILURES", "5"))
LOGIN_LOCKOUT_SECONDS = int(os.environ.get("XUNCHA_LOGIN_LOCKOUT_SECONDS", "900"))
API_TOKEN_TTL_HOURS = int(os.environ.get("XUNCHA_API_TOKEN_TTL_HOURS", "12"))

# Background work (reminders, 催办, paper-rectification scans) runs on huey, a real task queue: a consumer
# process (`xuncha worker`, started by `xuncha serve` too) takes tasks from Redis in production
# (XUNCHA_REDIS_URL) and from an SQLite file under var/ on a single machine. See docs/architecture.md.
_redis_url = os.environ.get("XUNCHA_REDIS_URL")
HUEY = {
    "name": os.environ.get("XUNCHA_QUEUE_NAME", "xuncha"),
    "immediate": _env_bool("XUNCHA_TASKS_IMMEDIATE"),
    "results": False,
    "utc": True,
    "consumer": {"workers": int(os.environ.get("XUNCHA_QUEUE_WORKERS", "2")), "worker_type": "thread",
                 "periodic": True},
}
if _redis_url:
    HUEY.update({"huey_class": "huey.RedisHuey", "url": _redis_url})
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    HUEY.update({"huey_class": "huey.SqliteHuey", "filename": str(VAR_DIR / "queue.sqlite3")})
# How often the reminder job runs (minutes); it is idempotent, so a short period only makes it prompter.
REMINDER_JOB_EVERY_MINUTES = int(os.environ.get("XUNCHA_REMINDER_EVERY_MINUTES", "10"))

# E-mail goes out only where a server is configured; in-app notifications always.
EMAIL_HOST = os.environ.get("XUNCHA_EMAIL_HOST", "")
EMAIL_ENABLED = bool(EMAIL_HOST)
EMAIL_PORT = int(os.environ.get("XUNCHA_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("XUNCHA_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("XUNCHA_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = _env_bool("XUNCHA_EMAIL_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("XUNCHA_EMAIL_FROM", "xuncha@localhost")
EMAIL_BACKEND = ("django.core.mail.backends.smtp.EmailBackend" if EMAIL_ENABLED
                 else "django.core.mail.backends.locmem.EmailBackend")

# Evidence uploads: checked by content, limited in size, stored content-addressed under MEDIA_ROOT/evidence.
EVIDENCE_MAX_BYTES = int(os.environ.get("XUNCHA_EVIDENCE_MAX_BYTES", str(20 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o640

# Reporters' identities are encrypted with a key kept outside the database: a file (XUNCHA_IDENTITY_KEY_FILE,
# default var/keys/identity.key, created 0600 on first use outside production) or XUNCHA_IDENTITY_KEY.
IDENTITY_KEY = os.environ.get("XUNCHA_IDENTITY_KEY", "")
IDENTITY_KEY_FILE = Path(os.environ.get("XUNCHA_IDENTITY_KEY_FILE", VAR_DIR / "keys" / "identity.key"))
# Public report pages: submissions per window per client, counted in the cache only (never stored).
REPORT_RATE_LIMIT = int(os.environ.get("XUNCHA_REPORT_RATE_LIMIT", "5"))
REPORT_RATE_WINDOW_SECONDS = int(os.environ.get("XUNCHA_REPORT_RATE_WINDOW_SECONDS", "3600"))
# A form sent back faster than a person can type is a robot's (a spam signal, with the honeypot field).
REPORT_MIN_FILL_SECONDS = int(os.environ.get("XUNCHA_REPORT_MIN_FILL_SECONDS", "3"))

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = os.environ.get("XUNCHA_TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("XUNCHA_STATIC_ROOT", VAR_DIR / "staticfiles"))
# Our own CSS/JS and the npm libraries copied into static/vendor by `make assets`.
STATICFILES_DIRS: list[Path] = [PACKAGE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_ROOT = VAR_DIR / "media"
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns on every request without it
WHITENOISE_USE_FINDERS = not PRODUCTION

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 8 * 3600
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = _env_bool("XUNCHA_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("XUNCHA_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# The CSP allows our own origin only: every script and style is a file served by the app.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; frame-ancestors 'none'; "
    "base-uri 'self'; form-action 'self'"
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("XUNCHA_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# Today's date can be pinned for demos and tests of deadlines (YYYY-MM-DD).
XUNCHA_TODAY = os.environ.get("XUNCHA_TODAY", "")
