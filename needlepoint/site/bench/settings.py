"""The clinic's settings plus the bench URLconf (the minimal baseline views)."""

from needlepoint.settings import *  # noqa: F403

ROOT_URLCONF = "needlepoint.site.bench.urls"
