"""Test settings: DATABASE_URL picks the backend (SQLite in memory by default)."""

import os

os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "test-only-secret-key")
os.environ.setdefault("DATABASE_URL", "sqlite://:memory:")

from .base import *  # noqa: F403

# Hashing is not what the tests measure; MD5 keeps user creation fast.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# One test database per process: parallel runs (developers, CI, helpers) on one server must not
# drop each other's database.
# No persistent connections: the live server's request threads must let go of theirs when a
# request ends, or PostgreSQL refuses to drop the test database afterwards ("being accessed by
# other users").
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
if DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1] != "sqlite3":  # noqa: F405
    DATABASES["default"].setdefault("TEST", {})["NAME"] = f"test_smeladder_{os.getpid()}"  # noqa: F405

# Jobs run at once, inside the request or test that enqueues them (a worker process cannot see
# an in-memory SQLite test database).
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# No collected static files in tests: WhiteNoise serves from the apps' folders (finders).
STATIC_ROOT = None

# Caches in memory: tests write nothing under the data directory.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "assessments": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
}
