"""Production settings template. Copy the environment below into the service unit (systemd
EnvironmentFile or similar) and run with DJANGO_SETTINGS_MODULE=smeladder.settings.production.

    DATABASE_URL=postgres://smeladder:secret@127.0.0.1:5432/smeladder   # or mysql://…
    SECRET_KEY=<50+ random characters: python -c "import secrets; print(secrets.token_urlsafe(50))">
    ALLOWED_HOSTS=ladder.gxj.example.gov.cn
    SMELADDER_DATA_DIR=/var/lib/smeladder
    STATIC_ROOT=/var/lib/smeladder/static     # served by the intranet web server
    SMELADDER_HTTPS=1                          # behind TLS: secure cookies and HSTS

Nothing here reaches the internet: static assets and reference data ship in the package.
"""

import os

os.environ["DEBUG"] = "0"

from .base import *  # noqa: F403
from .base import env_bool

if env_bool("SMELADDER_HTTPS", True):
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 31536000
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
