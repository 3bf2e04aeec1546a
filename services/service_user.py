"""The unprivileged system user the development services run as when started by root.

PostgreSQL refuses to run as root, and the store and Elasticsearch should not either: when the
scripts in this folder are run as root (CI, a fresh machine), they create this user once and make
the folders it needs reachable.
"""

import os
import pwd
import subprocess
from pathlib import Path

SERVICE_USER = "govsite"


def is_root() -> bool:
    return os.geteuid() == 0


def ensure_service_user() -> pwd.struct_passwd:
    try:
        return pwd.getpwnam(SERVICE_USER)
    except KeyError:
        subprocess.run(
            ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", SERVICE_USER],
            check=True,
        )
        return pwd.getpwnam(SERVICE_USER)


def make_traversable(path: Path, user: pwd.struct_passwd | None = None) -> None:
    """Let the service user reach `path`: add o+x only on the folders that lack any access for it."""
    user = user or pwd.getpwnam(SERVICE_USER)
    for folder in [path, *path.parents]:
        info = folder.stat()
        if info.st_uid == user.pw_uid or info.st_mode & 0o001:
            continue
        if info.st_gid == user.pw_gid and info.st_mode & 0o010:
            continue
        folder.chmod(info.st_mode | 0o001)
