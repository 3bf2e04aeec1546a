"""Find, and on a fresh machine install, the system programs that pip cannot bring.

`make demo` needs Java and Maven (Elasticsearch is fetched and built with them); `make test` also
needs a Chromium browser for the browser tests, CJK fonts so that Chinese pages render in it, and
nginx (the production front's configuration is tested in front of a real app server).
Programs are found the standard way (on PATH, fonts through fontconfig), so a browser installed
anywhere on PATH is used. What is missing is installed with apt when we are root; otherwise the
command stops with one message naming the packages to install.

Usage: python3 services/system_packages.py demo|test [--dry-run]
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

# Names a Chromium-based browser goes by on PATH; the first found is the one the tests drive.
BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def find_browser() -> str | None:
    """The browser the tests drive: `GOVSITE_BROWSER` if set, else the first Chromium on PATH."""
    configured = os.environ.get("GOVSITE_BROWSER")
    if configured:
        return shutil.which(configured)
    for name in BROWSER_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def find_nginx() -> str | None:
    """The nginx the front's tests run: on PATH, or where Debian installs it (/usr/sbin is often
    not on an unprivileged PATH)."""
    found = shutil.which("nginx")
    if found:
        return found
    return "/usr/sbin/nginx" if os.access("/usr/sbin/nginx", os.X_OK) else None


def _has_cjk_font() -> bool:
    if shutil.which("fc-list") is None:
        return False
    listing = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True, check=False).stdout
    return bool(listing.strip())


def missing_packages(purpose: str) -> list[str]:
    """Debian packages that would supply what `purpose` ("demo" or "test") lacks on this machine."""
    missing = []
    if shutil.which("java") is None:
        missing.append("openjdk-17-jre-headless")
    if shutil.which("mvn") is None:
        missing.append("maven")
    if purpose == "test":
        if find_browser() is None:
            missing.append("chromium")
        if not _has_cjk_font():
            missing += ["fontconfig", "fonts-noto-cjk"]
        if find_nginx() is None:
            missing.append("nginx")
    return missing


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("demo", "test"):
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    missing = missing_packages(argv[0])
    if not missing:
        return 0
    if "--dry-run" in argv:
        print(" ".join(missing))
        return 0
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        print(f"缺少系统软件包：{' '.join(missing)}。请以 root 身份安装（例如 apt-get install {' '.join(missing)}）"
              "后重试；浏览器也可以用环境变量 GOVSITE_BROWSER 指定。", file=sys.stderr)
        return 1
    print(f"安装系统软件包：{' '.join(missing)} …", flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(["apt-get", "install", "-y", "-qq", *missing], check=True, env=env, stdout=subprocess.DEVNULL)
    still = missing_packages(argv[0])
    if still:
        print(f"安装后仍缺少：{' '.join(still)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
