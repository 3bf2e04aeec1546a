"""Settings of a second test server whose footer lacks the 公安备案 number (a misconfigured site)."""

from portal.settings.test import *  # noqa: F401,F403
from portal.settings.test import SITE_IDENTITY

SITE_IDENTITY = {**SITE_IDENTITY, "police_number": ""}
