"""Local development and `make demo`: DEBUG off, local host names only, a key of this checkout.

The demo is what people try first and leave running, so it is as safe as its purpose allows:
error pages show no settings or code, only the `*.localhost` names (and the loopback address)
are served, and the secret key is generated on first use and kept, git-ignored, in
`.services/secret_key` (or the file `GOVSITE_SECRET_KEY_FILE` names), so sessions survive a
restart and no two checkouts share a key. Static files still come from WhiteNoise (with the
finders) and uploads from `portal.views.serve_media`, neither of which depends on DEBUG.
"""

import os
import secrets
from pathlib import Path

from .base import *  # noqa: F401,F403
from .base import BASE_DIR, DOMAIN_SUFFIX


def checkout_secret_key(path: Path) -> str:
    """The key in `path`, created there (readable by its owner only) the first time."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        draft = path.with_name(f"{path.name}.{os.getpid()}.new")
        draft.write_text(secrets.token_urlsafe(50))
        draft.chmod(0o600)
        try:
            os.link(draft, path)  # atomic: of two processes starting at once, one key wins
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return path.read_text().strip()


DEBUG = False
SECRET_KEY = os.environ.get("SECRET_KEY") or checkout_secret_key(
    Path(os.environ.get("GOVSITE_SECRET_KEY_FILE", BASE_DIR / ".services" / "secret_key"))
)
ALLOWED_HOSTS = [f".{DOMAIN_SUFFIX}", DOMAIN_SUFFIX, "localhost", ".localhost", "127.0.0.1"]
