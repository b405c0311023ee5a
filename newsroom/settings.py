"""
Settings for Newsroom.

Everything that differs between a laptop and production is read from the
environment, with defaults that are safe for local work. ``NEWSROOM_ENV=production``
switches the defaults to production ones and refuses to start on an unsafe
configuration (no secret key, DEBUG on, no allowed hosts).
"""

import datetime
import hashlib
import ipaddress
import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name, default=None):
    value = os.environ.get(name, "").strip()
    return value if value else default


def env_bool(name, default=False):
    value = env(name)
    if value is None:
        return default
    return value.lower() in {"1", "true", "yes", "on"}


def env_list(name, default=()):
    value = env(name)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


ENVIRONMENT = env("NEWSROOM_ENV", "development")
PRODUCTION = ENVIRONMENT == "production"

DEBUG = env_bool("DEBUG", default=not PRODUCTION)
SECRET_KEY = env("SECRET_KEY")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", default=[] if PRODUCTION else ["127.0.0.1", "localhost"])

# What is unsafe in production is collected here, and start-up refused at the end of
# this file with every reason at once.
problems = []
if PRODUCTION:
    if not SECRET_KEY:
        problems.append("SECRET_KEY is not set")
    elif len(SECRET_KEY) < 50:
        problems.append("SECRET_KEY is shorter than 50 characters")
    if DEBUG:
        problems.append("DEBUG is on")
    if not ALLOWED_HOSTS:
        problems.append("ALLOWED_HOSTS is empty")
    if "*" in ALLOWED_HOSTS:
        problems.append("ALLOWED_HOSTS is '*': name the site's own hosts")
elif not SECRET_KEY:
    # Only ever used off production, where sessions need not survive a restart.
    SECRET_KEY = "insecure-local-development-key-do-not-use-in-production"

LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "[::1]", "testserver"}
public_hosts = [h for h in ALLOWED_HOSTS if h not in LOCAL_HOSTS and not h.endswith(".localhost")]
if DEBUG and public_hosts:
    # DEBUG pages show settings and tracebacks to whoever can reach the site.
    raise ImproperlyConfigured(
        f"Refusing to start: DEBUG is on while ALLOWED_HOSTS names public hosts "
        f"({', '.join(public_hosts)}). Set NEWSROOM_ENV=production, or DEBUG=false."
    )

# On one machine, a production site may keep its cache and media on that machine's
# disk; with several app servers behind a load balancer nothing may be (see
# docs/deploy.md). Off production this changes nothing.
SINGLE_MACHINE = env_bool("SINGLE_MACHINE", default=False)

SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
SITE_NAME = env("SITE_NAME", "Newsroom")
ADMIN_URL = env("ADMIN_URL", "admin/").strip("/") + "/"

INSTALLED_APPS = [
    "articles.apps.NewsroomAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "taggit",
    "reversion",
    "axes",
    "ninja",  # the API's documentation page and its static assets
    "corsheaders",
    "articles",
]

MIDDLEWARE = [
    "newsroom.request_log.RequestLogMiddleware",  # first: times everything below
    "newsroom.health.HealthCheckMiddleware",  # /healthz, /readyz: before host checks
    "django.middleware.security.SecurityMiddleware",
    "newsroom.db_routers.PublicReadMiddleware",
    # Before anything that answers by itself (the page cache), so CORS headers are on every
    # API response, cached or not.
    "corsheaders.middleware.CorsMiddleware",
    # Above what adds the same headers to every page (its policy, ETag, Cache-Control):
    # pages are stored with them, and a page from the cache is sent without more work.
    "articles.cache.PublicPageCacheMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "articles.cache.RevalidateMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Before CommonMiddleware, whose trailing-slash check resolves the address in its language.
    "articles.languages.RequestLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it answers locked-out logins.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses logins while locked out
    "django.contrib.auth.backends.ModelBackend",
]

# Guessing passwords: after LOGIN_FAILURE_LIMIT failures for one username from one
# address, logins stop for LOGIN_LOCKOUT_MINUTES.
AXES_FAILURE_LIMIT = int(env("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(env("LOGIN_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_COOLOFF_MESSAGE = "Too many failed logins. Try again in a few minutes."
# How many proxies in front append the client's address to X-Forwarded-For: 1 behind
# nginx, 2 behind a load balancer and nginx. With 0, the address is the connection's.
# Lockouts key on the address the outermost proxy saw (newsroom/proxies.py), never on
# an entry the client could have written.
TRUSTED_PROXY_COUNT = int(env("TRUSTED_PROXY_COUNT", "0"))
# The addresses (or networks) of the proxies gunicorn hears from: X-Forwarded-For is read
# only on a connection from one of them. The same as gunicorn's own list by default.
TRUSTED_PROXIES = env_list(
    "TRUSTED_PROXIES", default=env_list("GUNICORN_FORWARDED_ALLOW_IPS", default=["127.0.0.1"])
)
for proxy in TRUSTED_PROXIES:
    try:
        if proxy != "*":  # "*": any address, as gunicorn reads it
            ipaddress.ip_network(proxy, strict=False)
    except ValueError:
        raise ImproperlyConfigured(
            f"TRUSTED_PROXIES: {proxy!r} is not an address or a network (e.g. 10.0.0.0/8)."
        ) from None
AXES_CLIENT_IP_CALLABLE = "newsroom.proxies.client_address"

# Sessions are rows in the database (Django's default engine), shared by every app
# server and never on a server's disk. Only staff log in; their sessions end after a
# working day, or when the browser closes.
SESSION_COOKIE_AGE = int(env("STAFF_SESSION_HOURS", "10")) * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

ROOT_URLCONF = "newsroom.urls"
WSGI_APPLICATION = "newsroom.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "articles.context_processors.site",
            ],
        },
    },
]

# SQLite in the project folder unless DATABASE_URL names another database.
# PostgreSQL connections come from a pool in each process (psycopg_pool) by default in
# production, or are kept open DATABASE_CONN_MAX_AGE seconds: one or the other, as
# Django cannot do both.
DATABASE_CONN_MAX_AGE = int(env("DATABASE_CONN_MAX_AGE", "0"))
DATABASE_POOL = env_bool("DATABASE_POOL", default=PRODUCTION and not DATABASE_CONN_MAX_AGE)
if DATABASE_POOL and DATABASE_CONN_MAX_AGE:
    raise ImproperlyConfigured(
        "DATABASE_POOL and DATABASE_CONN_MAX_AGE cannot be used together: a pooled "
        "connection goes back to the pool after each request. Unset one of them."
    )


# While the database is away, readers get a 503 page within seconds (see newsroom/errors.py)
# and /readyz says so as quickly: connecting gives up after DATABASE_CONNECT_TIMEOUT seconds
# (libpq counts 2 at least), and a request waits no longer than that for the pool.
DATABASE_CONNECT_TIMEOUT = int(env("DATABASE_CONNECT_TIMEOUT", "2"))
# A connection already open that stops answering: the test query run before a request uses
# a kept connection gives up after DATABASE_HEALTH_CHECK_TIMEOUT seconds (the connection is
# then replaced: newsroom/postgresql), and a network that drops everything fails a query
# after DATABASE_TCP_TIMEOUT seconds without an acknowledgement (TCP_USER_TIMEOUT), or an
# idle connection after as long without an answer to keepalive probes.
DATABASE_HEALTH_CHECK_TIMEOUT = float(env("DATABASE_HEALTH_CHECK_TIMEOUT", "1"))
DATABASE_TCP_TIMEOUT = int(env("DATABASE_TCP_TIMEOUT", "5"))


def database(url):
    # Health checks: a connection kept open (persistent, or in the pool) is tested before a
    # request uses it, so that one broken while the database was away is replaced, not
    # handed to a reader after the database is back.
    config = dj_database_url.parse(url, conn_max_age=DATABASE_CONN_MAX_AGE, conn_health_checks=True)
    options = config.setdefault("OPTIONS", {})
    if config["ENGINE"] == "django.db.backends.sqlite3":
        options.update(
            {
                # WAL lets readers carry on while an editor saves.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                # Two editors saving at once: a save takes the write lock when its
                # transaction begins (not half-way, when SQLite could only fail it with
                # “database is locked”), and the other waits up to 20 s for its turn.
                "transaction_mode": "IMMEDIATE",
            }
        )
        options.setdefault("timeout", 20)  # or as the URL says (?timeout=5)
    elif config["ENGINE"] == "django.db.backends.postgresql":
        # Reader pages run short queries: starting parallel workers for them costs more
        # than it saves (three times the latency of a busy speaker's page on two cores).
        parallel = env("DATABASE_PARALLEL_WORKERS", "0")
        options.setdefault("options", f"-c max_parallel_workers_per_gather={parallel}")
        options.setdefault("connect_timeout", DATABASE_CONNECT_TIMEOUT)
        options.setdefault("tcp_user_timeout", DATABASE_TCP_TIMEOUT * 1000)  # milliseconds
        options.setdefault("keepalives", 1)
        options.setdefault("keepalives_idle", max(DATABASE_TCP_TIMEOUT // 2, 1))
        options.setdefault("keepalives_interval", 1)
        options.setdefault("keepalives_count", 3)
        config["ENGINE"] = "newsroom.postgresql"  # Django's, with a bounded health check
    if config["ENGINE"] == "newsroom.postgresql" and DATABASE_POOL:
        from newsroom.postgresql import check_connection

        options["pool"] = {
            "check": check_connection,  # as the backend's own, with a deadline
            "min_size": int(env("DATABASE_POOL_MIN_SIZE", "1")),
            "max_size": int(env("DATABASE_POOL_MAX_SIZE", "4")),
            # Wait this long for a connection, then fail the request (and /readyz) with a 503.
            # Each synchronous worker serves one request at a time, so it never waits for
            # another request's connection: only for one being opened.
            "timeout": float(env("DATABASE_POOL_TIMEOUT", str(DATABASE_CONNECT_TIMEOUT))),
            # Give up reconnecting in the background after this long, so that the next
            # request after an outage connects at once instead of waiting for a retry
            # that backs off to minutes.
            "reconnect_timeout": float(env("DATABASE_POOL_RECONNECT_TIMEOUT", "5")),
        }
    return config


DATABASES = {"default": database(env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"))}
# A read replica, if any, serves the public pages of readers who are not logged in;
# writes, the admin and logged-in staff always use the primary.
# The page cache counts a page as rendered DATABASE_REPLICA_MAX_LAG seconds earlier than
# it was, so that an edit the replica had not yet received cannot hide behind it.
DATABASE_REPLICA_MAX_LAG = 0.0
if DATABASE_REPLICA_URL := env("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = database(DATABASE_REPLICA_URL)
    DATABASE_ROUTERS = ["newsroom.db_routers.PublicReadRouter"]
    DATABASE_REPLICA_MAX_LAG = float(env("DATABASE_REPLICA_MAX_LAG", "2"))

# The cache must be shared by every worker process, or an edit made through one would
# leave the others serving old pages: Redis when CACHE_URL names it, otherwise files
# on this machine (file:///path to choose where).
CACHE_URL = env("CACHE_URL", f"file://{BASE_DIR / 'var' / 'cache'}")
CACHE_TIMEOUT = float(env("CACHE_TIMEOUT", "0.5"))  # seconds, for a network cache
# Renewals of surrogate keys that could not reach the cache wait here, in a file every
# worker on this machine shares, until one of them can send them (articles/invalidation.py).
# Every process that saves content (the workers, and commands such as publish_due) must
# use the same file, under the same user. Its folder is created readable by that user only.
PENDING_RENEWALS_FILE = env(
    "PENDING_RENEWALS_FILE",
    str(
        BASE_DIR / "var" / f"pending-renewals-{hashlib.sha256(CACHE_URL.encode()).hexdigest()[:16]}"
    ),
)
if CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    CACHES = {
        "default": {
            # Django's RedisCache, reusing its clients: quicker page cache hits.
            "BACKEND": "newsroom.cache_backends.RedisCache",
            "LOCATION": CACHE_URL,
            # A Redis that is down or hung costs a reader one short timeout (the page is
            # then rendered live) and /readyz a second, never a hang.
            "OPTIONS": {"socket_connect_timeout": CACHE_TIMEOUT, "socket_timeout": CACHE_TIMEOUT},
        }
    }
elif CACHE_URL.startswith("file://"):
    CACHES = {
        "default": {
            # Django's FileBasedCache, writing values uncompressed: quicker page cache hits.
            "BACKEND": "newsroom.cache_backends.UncompressedFileBasedCache",
            "LOCATION": CACHE_URL.removeprefix("file://"),
            "OPTIONS": {"MAX_ENTRIES": 20000},
        }
    }
elif CACHE_URL == "locmem://":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    raise ImproperlyConfigured(
        f"CACHE_URL must start with redis://, rediss://, unix://, file:// or be locmem://, "
        f"not {CACHE_URL!r}."
    )

if PRODUCTION and not SINGLE_MACHINE and not CACHE_URL.startswith(("redis", "unix")):
    problems.append(
        "CACHE_URL is not a shared Redis: with several app servers each would serve its "
        "own stale pages (set SINGLE_MACHINE=true if this is the only one)"
    )

# Whole public pages are cached this long at most: also how soon a scheduled article
# appears without any edit.
PAGE_CACHE_SECONDS = int(env("PAGE_CACHE_SECONDS", "60"))
# How often a live article's page asks for new updates (articles/live): 15 to 30 seconds.
LIVE_POLL_SECONDS = int(env("LIVE_POLL_SECONDS", "20"))

# A CDN may keep a public page CDN_MAX_AGE seconds and serve it CDN_STALE_SECONDS longer
# while it fetches a fresh one (their sum is how late a scheduled article may appear
# there). Edits purge it at once through CDN_PURGE_HANDLER, a function given the
# surrogate keys an edit renewed: no CDN by default; articles.cdn.purge_by_http sends
# them to CDN_PURGE_URL.
CDN_MAX_AGE = int(env("CDN_MAX_AGE", "30"))
CDN_STALE_SECONDS = int(env("CDN_STALE_SECONDS", "30"))
CDN_PURGE_HANDLER = env("CDN_PURGE_HANDLER", "articles.invalidation.no_purge")
CDN_PURGE_URL = env("CDN_PURGE_URL")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]


def site_languages(codes):
    """
    ``SITE_LANGUAGES="en-gb,fr"``: the languages articles are written and read in, the
    first the default. The default's addresses carry no prefix; each other's do (``/fr/``).
    """
    from django.conf.locale import LANG_INFO

    languages = []
    for code in filter(None, (code.strip().lower() for code in codes.split(","))):
        if code not in LANG_INFO or "name_local" not in LANG_INFO[code]:
            raise ImproperlyConfigured(f"SITE_LANGUAGES: {code!r} is not a language Django knows.")
        if code not in dict(languages):
            languages.append((code, LANG_INFO[code]["name_local"]))
    if not languages:
        raise ImproperlyConfigured("SITE_LANGUAGES names no language.")
    return languages


# One language by default: a single-language site's addresses have no prefix at all.
LANGUAGES = site_languages(env("SITE_LANGUAGES", "en-gb"))
LANGUAGE_CODE = LANGUAGES[0][0]
# The interface text in other languages: locale/<language>/LC_MESSAGES/django.po, compiled
# to .mo by the build (make install), never committed.
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env("TIME_ZONE", "Europe/London")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "staticfiles")))  # collectstatic
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "media")))
# Uploaded pictures: MEDIA_ROOT on this machine, or an S3-compatible object store
# (AWS S3, MinIO, Ceph, R2...) through django-storages when a bucket is named.
MEDIA_STORAGE = env("MEDIA_STORAGE", "s3" if env("AWS_STORAGE_BUCKET_NAME") else "local")
if MEDIA_STORAGE == "s3":
    MEDIA_BACKEND = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("AWS_STORAGE_BUCKET_NAME"),
            "endpoint_url": env("AWS_S3_ENDPOINT_URL"),  # unset for AWS itself
            "region_name": env("AWS_S3_REGION_NAME"),
            "access_key": env("AWS_ACCESS_KEY_ID"),
            "secret_key": env("AWS_SECRET_ACCESS_KEY"),
            "location": env("AWS_LOCATION", ""),
            # Where readers fetch pictures: a CDN in front of the bucket, or the bucket.
            "custom_domain": env("AWS_S3_CUSTOM_DOMAIN"),
            "addressing_style": env("AWS_S3_ADDRESSING_STYLE"),
            # Pictures are public: plain, stable URLs that browsers and CDNs can cache.
            "querystring_auth": False,
            "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
        },
    }
    if not env("AWS_STORAGE_BUCKET_NAME"):
        problems.append("MEDIA_STORAGE is s3 but AWS_STORAGE_BUCKET_NAME is not set")
elif MEDIA_STORAGE == "local":
    MEDIA_BACKEND = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    if PRODUCTION and not SINGLE_MACHINE:
        problems.append(
            "media would be stored on this machine's disk: set AWS_STORAGE_BUCKET_NAME "
            "(an S3-compatible store), or SINGLE_MACHINE=true if this is the only app server"
        )
else:
    raise ImproperlyConfigured(f"MEDIA_STORAGE must be local or s3, not {MEDIA_STORAGE!r}.")

STORAGES = {
    "default": MEDIA_BACKEND,
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Off production, whitenoise serves straight from the source folders (no collectstatic).
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = not PRODUCTION

# One vocabulary: "ukraine" typed by an editor reuses the existing "Ukraine".
TAGGIT_CASE_INSENSITIVE = True

ARTICLES_PER_PAGE = 20

# The writing desk (articles/desk): the article form saves its text this many seconds
# after the editor stops typing, and says every DESK_HEARTBEAT_SECONDS that it is still
# open; others are shown as editing it for DESK_PRESENCE_SECONDS after their last word.
# Autosaves not restored or saved over are purged after AUTOSAVE_KEEP_DAYS.
DESK_AUTOSAVE_SECONDS = float(env("DESK_AUTOSAVE_SECONDS", "3"))
DESK_HEARTBEAT_SECONDS = float(env("DESK_HEARTBEAT_SECONDS", "20"))
DESK_PRESENCE_SECONDS = int(env("DESK_PRESENCE_SECONDS", "60"))
AUTOSAVE_KEEP_DAYS = int(env("AUTOSAVE_KEEP_DAYS", "14"))

if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")


def media_origins():
    """Where pictures come from when they are not served by this site."""
    if MEDIA_STORAGE != "s3":
        return []
    if domain := env("AWS_S3_CUSTOM_DOMAIN"):
        return [f"https://{domain}"]
    if endpoint := env("AWS_S3_ENDPOINT_URL"):
        parts = urlsplit(endpoint)
        return [f"{parts.scheme}://{parts.netloc}"]
    return ["https://*.amazonaws.com"]


# Embeds in bodies (articles/embeds): the Mastodon servers whose posts are embedded (each is
# framed and asked, so each is named), the providers' oEmbed endpoints (``{host}``: the
# Mastodon server), where each provider's thumbnails may come from, and how long to wait.
EMBED_MASTODON_HOSTS = env_list("EMBED_MASTODON_HOSTS", ["mastodon.social"])
EMBED_OEMBED_ENDPOINTS = {
    "youtube": "https://www.youtube.com/oembed",
    "vimeo": "https://vimeo.com/api/oembed.json",
    "bluesky": "https://embed.bsky.app/oembed",
    "mastodon": "https://{host}/api/oembed",
    "x": "https://publish.twitter.com/oembed",
}
EMBED_THUMBNAIL_ORIGINS = {
    "youtube": ["https://i.ytimg.com"],
    "vimeo": ["https://i.vimeocdn.com"],
}
EMBED_FETCH_TIMEOUT = float(env("EMBED_FETCH_TIMEOUT", "4"))
# What a reader's browser may frame once they choose to load an embed: exactly the
# providers' frame hosts (articles.embeds.providers.frame_origins() says the same; a test
# holds the two together), and this site for the admin's preview pane.
EMBED_FRAME_SOURCES = [
    "https://www.youtube-nocookie.com",
    "https://player.vimeo.com",
    "https://embed.bsky.app",
    "https://platform.twitter.com",
    *(f"https://{host}" for host in EMBED_MASTODON_HOSTS),
]

# Pages need no inline script, so one policy serves every page and cached pages stay
# shareable (no per-request nonce). Inline styles stay allowed for the admin's widgets.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:", *media_origins(), *env_list("CSP_IMAGE_SOURCES")],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "frame-src": [CSP.SELF, *EMBED_FRAME_SOURCES],
    "form-action": [CSP.SELF],
}

# The content API: any site or app may read it from a browser; nobody may send stories to
# it from one (ingest takes a token, from a server).
CORS_URLS_REGEX = r"^/api/(?!ingest).*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_CREDENTIALS = False
API_PAGE_SIZE = 20
API_INGEST_PER_MINUTE = int(env("API_INGEST_PER_MINUTE", "30"))  # per token
API_INGEST_MAX_BYTES = int(env("API_INGEST_MAX_BYTES", str(1024 * 1024)))

SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"

# One JSON line per request on the newsroom.requests logger (see newsroom/request_log.py):
# on in production, off elsewhere unless REQUEST_LOG=true.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"message": {"format": "%(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "message"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING")},
    "loggers": {
        "newsroom.requests": {
            "level": "INFO" if env_bool("REQUEST_LOG", default=PRODUCTION) else "WARNING",
        },
    },
}

if problems:
    raise ImproperlyConfigured("Refusing to start in production: " + "; ".join(problems) + ".")
