"""Django settings, read from the environment.

Without DATABASE_URL the server runs on an embedded SQLite file (quick start);
PostgreSQL is the production database and the one the tests use.
"""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise RuntimeError("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-development-key"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "guardian",
    "strawberry_django",
    "corsheaders",
    "backend.common",
    "backend.parties",
    "backend.catalog",
    "backend.projects",
    "backend.orders",
    "backend.work",
    "backend.shipping",
    "backend.billing",
    "backend.returns",
    "backend.demo",
    "backend.bench",
    "backend.accounts",
    "backend.audit",
    "permissions",
]

MIDDLEWARE = [
    "corsheaders.middleware.CorsMiddleware",
    "backend.server.middleware.RequestLogMiddleware",
    "backend.server.database_errors.DatabaseUnavailableMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "backend.accounts.middleware.BearerTokenMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "backend.urls"
WSGI_APPLICATION = "backend.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        # Seconds a connection is kept for the next request. 0 (a connection per request) suits
        # management commands and runserver (a new thread per request); the gunicorn config sets 60.
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0")),
        # A kept connection is checked before a request reuses it, so a database restart costs
        # nobody an error.
        conn_health_checks=True,
    )
}
# A statement running longer is cancelled by PostgreSQL (milliseconds; 0 turns the limit off).
DB_STATEMENT_TIMEOUT_MS = int(os.environ.get("DB_STATEMENT_TIMEOUT_MS", "10000"))
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    # JIT off: a backend inside LLVM compilation ignores cancellation, so the timeout would not hold
    # (a 0.19 s read ran 113 s before it was cancelled); this API's statements gain nothing from JIT.
    _timeout = f"-c statement_timeout={DB_STATEMENT_TIMEOUT_MS} -c jit=off"
    _options["options"] = f"{_options['options']} {_timeout}" if _options.get("options") else _timeout
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Legal numbers of invoices, credit memos and payments (backend.billing.numbering): gapless per
# series, issuing internal organisation and year; {year} and {seq} (the 1-based position in the
# year) are filled in with str.format, e.g. {seq:06d} pads to six digits.
BILLING_NUMBER_PATTERNS = {
    "INVOICE": os.environ.get("BILLING_INVOICE_NUMBER_PATTERN", "INV-{year}-{seq:06d}"),
    "BILL": os.environ.get("BILLING_BILL_NUMBER_PATTERN", "BILL-{year}-{seq:06d}"),
    "CREDIT_MEMO": os.environ.get("BILLING_CREDIT_MEMO_NUMBER_PATTERN", "CRN-{year}-{seq:06d}"),
    "PAYMENT": os.environ.get("BILLING_PAYMENT_NUMBER_PATTERN", "PAY-{year}-{seq:06d}"),
}

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
# Guardian's database "AnonymousUser" counts as authenticated; anonymous callers must see nothing.
ANONYMOUS_USER_NAME = None

# Single-page apps on other origins (e.g. "https://app.example.com,http://localhost:5173"): they may
# call the API with credentials, and their cookie-session POSTs pass the CSRF origin check. The
# default CORS_ALLOW_HEADERS already include authorization and x-csrftoken.
CORS_ALLOWED_ORIGINS = env_list("CORS_ALLOWED_ORIGINS")
# Paths where `Authorization: Bearer <token>` authenticates a request.
API_TOKEN_PATHS = ("/graphql/", "/exports/")
# The furthest a new API token's expiry may lie ahead.
API_TOKEN_MAX_LIFETIME_DAYS = int(os.environ.get("API_TOKEN_MAX_LIFETIME_DAYS", "365"))
# Refused sign-ins allowed per account and per client address within the window, then RATE_LIMITED.
SIGN_IN_MAX_FAILURES_PER_ACCOUNT = int(os.environ.get("SIGN_IN_MAX_FAILURES_PER_ACCOUNT", "5"))
SIGN_IN_MAX_FAILURES_PER_ADDRESS = int(os.environ.get("SIGN_IN_MAX_FAILURES_PER_ADDRESS", "20"))
SIGN_IN_THROTTLE_WINDOW_SECONDS = int(os.environ.get("SIGN_IN_THROTTLE_WINDOW_SECONDS", "900"))
CORS_ALLOW_CREDENTIALS = True
CSRF_TRUSTED_ORIGINS = list(CORS_ALLOWED_ORIGINS)
CSRF_FAILURE_VIEW = "backend.accounts.views.csrf_failure"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
# WhiteNoise serves STATIC_ROOT (filled by `collectstatic`, which `make serve` runs): with DEBUG off
# from hashed, compressed copies that browsers may cache forever.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# A file missing from the manifest gets its plain URL instead of failing the page: the tests run
# with DEBUG off and without `collectstatic`.
WHITENOISE_MANIFEST_STRICT = False

STRAWBERRY_DJANGO = {
    "MAP_AUTO_ID_AS_GLOBAL_ID": True,
    "FIELD_DESCRIPTION_FROM_HELP_TEXT": True,
    "TYPE_DESCRIPTION_FROM_MODEL_DOCSTRING": False,
}

# API limits (see README, "Limits"), each overridable by the environment variable of the same name.
GRAPHQL_MAX_PAGE_SIZE = int(os.environ.get("GRAPHQL_MAX_PAGE_SIZE", "100"))
GRAPHQL_MAX_INPUT_ITEMS = int(os.environ.get("GRAPHQL_MAX_INPUT_ITEMS", "100"))
GRAPHQL_MAX_DEPTH = int(os.environ.get("GRAPHQL_MAX_DEPTH", "20"))
GRAPHQL_MAX_ALIASES = int(os.environ.get("GRAPHQL_MAX_ALIASES", "100"))
GRAPHQL_MAX_TOKENS = int(os.environ.get("GRAPHQL_MAX_TOKENS", "15000"))
# Levels of nesting in one argument's value or one variable (objects and lists): a `NOT` filter or a
# JSON variable nested deeper is refused before it is parsed or coerced.
GRAPHQL_MAX_INPUT_DEPTH = int(os.environ.get("GRAPHQL_MAX_INPUT_DEPTH", "32"))
# Digits before the decimal point in a Decimal argument (a trillion and more is no amount here: its
# products would overflow the columns).
GRAPHQL_MAX_DECIMAL_DIGITS = int(os.environ.get("GRAPHQL_MAX_DECIMAL_DIGITS", "12"))
# Records an operation may return: the product of the page sizes down each path of connections.
GRAPHQL_MAX_ESTIMATED_NODES = int(os.environ.get("GRAPHQL_MAX_ESTIMATED_NODES", "50000"))
GRAPHQL_MAX_MUTATIONS = int(os.environ.get("GRAPHQL_MAX_MUTATIONS", "10"))
GRAPHQL_INTROSPECTION_FOR_ANONYMOUS = env_bool("GRAPHQL_INTROSPECTION_FOR_ANONYMOUS", DEBUG)
# Nested reads of the hierarchy answered by one SQL statement (schema/compiled/); off: every query
# goes through the general path.
GRAPHQL_COMPILED_READS = env_bool("GRAPHQL_COMPILED_READS", True)
# Compiled statements run again on a connection are prepared there (PostgreSQL skips planning them);
# off behind a connection pooler that cannot keep prepared statements (PgBouncer before 1.21 in
# transaction mode).
GRAPHQL_COMPILED_PREPARED = env_bool("GRAPHQL_COMPILED_PREPARED", True)
# The request body (a larger one is answered 413).
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("DATA_UPLOAD_MAX_MEMORY_SIZE", str(2 * 1024 * 1024)))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # With DEBUG off (the production server) every log line is one JSON object.
    "formatters": {
        "plain": {"format": "%(message)s"},
        "json": {"()": "backend.server.logging.JsonFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain" if DEBUG else "json"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
