"""Twofold settings, read from the environment.

``TWOFOLD_ENV`` picks the mode: ``development`` (the default, used by ``make demo``
and the tests) or ``production``, which refuses to start without real secrets.
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from twofold.lib.crypto import KeyRing
from twofold.lib.env import env_bool, env_int, env_list, env_secret, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("TWOFOLD_VAR_DIR", str(BASE_DIR / "var")))

TWOFOLD_ENV = env_str("TWOFOLD_ENV", "development")
if TWOFOLD_ENV not in {"development", "production"}:
    raise ImproperlyConfigured("TWOFOLD_ENV must be 'development' or 'production'")
PRODUCTION = TWOFOLD_ENV == "production"
DEBUG = env_bool("DEBUG", default=not PRODUCTION)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG must be off in production")

# Development-only values. They are public, so production refuses to use them.
_DEV_SECRET_KEY = "dev-only-insecure-secret-key-for-twofold-never-use-in-production"  # noqa: S105
_DEV_ENCRYPTION_KEYS = "dev1:ZGV2LW9ubHkta2V5LWZvci10d29mb2xkLWRldiEhISE="

SECRET_KEY = env_secret("SECRET_KEY", "" if PRODUCTION else _DEV_SECRET_KEY)
if PRODUCTION and (not SECRET_KEY or SECRET_KEY == _DEV_SECRET_KEY or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured("Production needs a SECRET_KEY of at least 50 random characters")

# Encryption at rest: "kid:base64key,kid2:base64key"; the first key encrypts new data.
_raw_keys = env_secret("TWOFOLD_ENCRYPTION_KEYS", "" if PRODUCTION else _DEV_ENCRYPTION_KEYS)
if PRODUCTION and (not _raw_keys or _raw_keys == _DEV_ENCRYPTION_KEYS):
    raise ImproperlyConfigured(
        "Production refuses to start without TWOFOLD_ENCRYPTION_KEYS "
        "(generate one with: manage.py generate_encryption_key)"
    )
if PRODUCTION:
    KeyRing.parse(_raw_keys)  # a malformed key ring stops start-up, not the first save
TWOFOLD_ENCRYPTION_KEYS = _raw_keys

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost"])
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("Production needs ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_htmx",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "twofold.accounts",
    "twofold.care",
    "twofold.couples",
    "twofold.audit",
    "twofold.program",
    "twofold.checkins",
    "twofold.conversations",
    "twofold.cycles",
    "twofold.journal",
    "twofold.outcomes",
    "twofold.reminders",
    "twofold.front",
    "twofold.ops",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "twofold.front.middleware.PrivateResponseHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "twofold.accounts.middleware.IdleTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "twofold.audit.middleware.AuditContextMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "twofold.accounts.middleware.UserTimezoneMiddleware",
    "twofold.care.middleware.StaffMFAMiddleware",
]

ROOT_URLCONF = "twofold.urls"
WSGI_APPLICATION = "twofold.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "twofold" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "twofold.front.context_processors.twofold",
            ],
        },
    },
]

# Database: embedded SQLite by default, PostgreSQL when DATABASE_URL is set.
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=0)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool(
        "DATABASE_POOL", default=PRODUCTION
    ):
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": env_int("DATABASE_POOL_MIN", 2),
            "max_size": env_int("DATABASE_POOL_MAX", 10),
        }
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env_str("SQLITE_PATH", str(VAR_DIR / "twofold.sqlite3")),
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache (login rate limits live here, so it must be shared between processes).
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "twofold_cache",
        }
    }

# Background tasks: database worker by default, RQ on Redis when REDIS_URL is set.
if REDIS_URL:
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 300}}
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# allauth: e-mail login, verified addresses, MFA, re-authentication.
ACCOUNT_ADAPTER = "twofold.accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "twofold.accounts.forms.SignupExtraForm"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = False
# Sign-up looks the same, and takes as long, whether or not the address has an account
# (twofold.accounts.signup.SignupForm does the password hashing in both cases).
ACCOUNT_PREVENT_ENUMERATION = True
# The others only put allauth's forms in Twofold's words (twofold/accounts/allauth_forms.py).
ACCOUNT_FORMS = {
    "signup": "twofold.accounts.signup.SignupForm",
    "login": "twofold.accounts.allauth_forms.LoginForm",
    "reset_password": "twofold.accounts.allauth_forms.ResetPasswordForm",
    "add_email": "twofold.accounts.allauth_forms.AddEmailForm",
    "change_password": "twofold.accounts.allauth_forms.ChangePasswordForm",
    "set_password": "twofold.accounts.allauth_forms.SetPasswordForm",
    "reset_password_from_key": "twofold.accounts.allauth_forms.ResetPasswordKeyForm",
    "reauthenticate": "twofold.accounts.allauth_forms.ReauthenticateForm",
}
# Adding, removing or switching e-mail addresses asks for the password again unless it was
# given in the last TWOFOLD_REAUTH_SECONDS; changing the password asks for the current one.
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_REAUTHENTICATION_TIMEOUT = env_int("TWOFOLD_REAUTH_SECONDS", 300)
# A person's privacy lock (twofold.accounts.privacy_lock) stays open this long after they
# give their password, in that sign-in only.
TWOFOLD_PRIVACY_LOCK_MINUTES = env_int("TWOFOLD_PRIVACY_LOCK_MINUTES", 10)
if TWOFOLD_PRIVACY_LOCK_MINUTES < 1:
    raise ImproperlyConfigured("TWOFOLD_PRIVACY_LOCK_MINUTES must be 1 or more")
# Password and e-mail changes are announced by e-mail (to the old address too).
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "Twofold: "
# Limits are per address ("ip") and, for failed sign-ins, per account *from that address*
# ("key" is the e-mail and the client address, see AccountAdapter), so a flood from one
# address can neither lock everybody out nor lock a person out of their own account.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "confirm_email": "1/3m/key",
}
# Behind N reverse proxies of our own, the client is the N-th address from the right of
# X-Forwarded-For (twofold.lib.net.client_ip); 0 means no proxy: use the connecting address.
# Rate limits and the audit log both use it.
TWOFOLD_TRUSTED_PROXY_COUNT = env_int("TWOFOLD_TRUSTED_PROXY_COUNT", 0)
if TWOFOLD_TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("TWOFOLD_TRUSTED_PROXY_COUNT must be 0 or more")
ALLAUTH_TRUSTED_PROXY_COUNT = TWOFOLD_TRUSTED_PROXY_COUNT  # allauth asks the adapter anyway
MFA_ADAPTER = "twofold.accounts.adapter.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Twofold"

# Clinicians and clinic admins must enrol MFA before they see partner data.
# Turning this off is for the local demo only; production refuses it.
TWOFOLD_ENFORCE_STAFF_MFA = env_bool("TWOFOLD_ENFORCE_STAFF_MFA", default=True)
if PRODUCTION and not TWOFOLD_ENFORCE_STAFF_MFA:
    raise ImproperlyConfigured("TWOFOLD_ENFORCE_STAFF_MFA cannot be turned off in production")

# Sessions end after a quiet spell: every request renews the cookie.
SESSION_COOKIE_AGE = env_int("TWOFOLD_IDLE_TIMEOUT_MINUTES", 30) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

INVITATION_TTL_DAYS = env_int("TWOFOLD_INVITATION_TTL_DAYS", 14)
# Reminders go out at this hour of the person's own day (later if it falls in quiet hours).
TWOFOLD_REMINDER_HOUR = env_int("TWOFOLD_REMINDER_HOUR", 18)

# Extra program files (a deployment's or a clinic's own programs), besides the built-in one.
TWOFOLD_PROGRAM_DIRS = env_list("TWOFOLD_PROGRAM_DIRS")
# Extra folders of questionnaire definitions (a clinic's licensed instruments).
TWOFOLD_INSTRUMENT_DIRS = env_list("TWOFOLD_INSTRUMENT_DIRS")

# Internationalisation: every string is translatable; times are stored in UTC.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English"))]
# One way of writing a day everywhere, per language (twofold/formats/<language>/).
FORMAT_MODULE_PATH = ["twofold.formats"]
LOCALE_PATHS = [BASE_DIR / "twofold" / "locale"]
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True
TWOFOLD_DEFAULT_USER_TIME_ZONE = env_str("TWOFOLD_DEFAULT_USER_TIME_ZONE", "Europe/London")

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
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

# E-mail: printed to the console in development, SMTP when EMAIL_HOST is set.
EMAIL_HOST = env_str("EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = env_secret("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Twofold <no-reply@twofold.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# The name under the icon on a home screen (the web app manifest); a deployment may want
# something even more discreet.
TWOFOLD_APP_NAME = env_str("TWOFOLD_APP_NAME", "Twofold").strip()
if not TWOFOLD_APP_NAME:
    raise ImproperlyConfigured("TWOFOLD_APP_NAME must not be empty")

# Safety: where "quick exit" goes, and which support lines this deployment lists.
TWOFOLD_QUICK_EXIT_URL = env_str("TWOFOLD_QUICK_EXIT_URL", "https://www.bbc.co.uk/weather")
# Quick exit also signs the person out (the page posts a beacon as it leaves).
TWOFOLD_QUICK_EXIT_SIGNS_OUT = env_bool("TWOFOLD_QUICK_EXIT_SIGNS_OUT", default=True)
TWOFOLD_SAFETY_RESOURCES_FILE = env_str(
    "TWOFOLD_SAFETY_RESOURCES_FILE", str(BASE_DIR / "twofold" / "front" / "safety_resources.json")
)

# Content Security Policy: strict nonces, nothing inline, no eval.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
        "manifest-src": [SELF],
        "worker-src": [SELF],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # Request lines carry URLs only; bodies and form data are never logged.
        "django.request": {"level": "ERROR"},
    },
}
