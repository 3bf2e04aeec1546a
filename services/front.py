"""Run the shipped production front (deploy/nginx/govsite.conf) on this machine, for the tests and
the benchmarks.

What is tested and measured must be the configuration that is deployed, so nothing here writes an
nginx configuration of its own: the shipped file is read and only what belongs to one machine is
replaced (the app servers' addresses, the listening port, the folders, the host names), each
replacement checked, so that a change to the shipped file that breaks one fails loudly instead of
testing something else. The TLS lines are kept for `nginx -t` (with a throw-away certificate) and
dropped for the running copy, which listens on a loopback port without certificates. nginx runs
with a prefix and a main configuration of its own in a temporary folder, never the system's.
"""

from __future__ import annotations

import datetime
import re
import socket
import subprocess
import time
from pathlib import Path

from services.system_packages import find_nginx

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "deploy" / "nginx" / "govsite.conf"

MAIN = """worker_processes {workers};
daemon off;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    include /etc/nginx/mime.types;
    access_log {access_log};
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    include {tmp}/govsite.conf;
}}
"""


def nginx_binary() -> str:
    found = find_nginx()
    if found is None:
        raise RuntimeError("找不到 nginx：请运行 make test-packages（以 root 身份会自动安装），"
                           "或用 apt-get install nginx 安装")
    return found


def _replace(text: str, pattern: str, replacement: str, count: int = 0) -> str:
    new, found = re.subn(pattern, replacement, text, count=count, flags=re.M)
    if not found:
        raise RuntimeError(f"deploy/nginx/govsite.conf 中找不到应替换的内容：{pattern}")
    return new


def render(tmp: Path, upstreams: list[str], port: int | None, server_name: str = ".localhost",
           static_root: Path | None = None, certificate: tuple[Path, Path] | None = None) -> str:
    """The shipped configuration for this machine.

    With `port`, the TLS server listens there without certificates and the plain-HTTP redirect
    server on a free port of its own; without it the listen lines stay as shipped and
    `certificate` replaces the certificate paths (for `nginx -t`)."""
    text = CONFIG.read_text()
    servers = "".join(f"    server {address};\n" for address in upstreams)
    text = _replace(text, r"^upstream govsite \{\n(?:    server .*\n)+", f"upstream govsite {{\n{servers}")
    text = _replace(text, r"/var/cache/nginx/govsite", str(tmp / "cache"))
    text = _replace(text, r"/srv/govsite/static/", str(static_root or tmp / "static") + "/")
    text = _replace(text, r"server_name \.yuancheng\.gov\.cn;", f"server_name {server_name};")
    if port is not None:
        text = _replace(text, r"^    listen 80;", f"    listen 127.0.0.1:{free_port()};")
        text = _replace(text, r"^    listen 443 ssl http2;", f"    listen 127.0.0.1:{port};")
        text = _replace(text, r"^    ssl_certificate.*\n", "")
    elif certificate is not None:
        text = _replace(text, r"/etc/ssl/govsite/fullchain\.pem", str(certificate[0]))
        text = _replace(text, r"/etc/ssl/govsite/privkey\.pem", str(certificate[1]))
    return text


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare(tmp: Path, site: str, workers: int = 1, access_log: str = "off") -> Path:
    """Write the main configuration and the site into `tmp`; returns the main configuration."""
    tmp.mkdir(parents=True, exist_ok=True)
    tmp.chmod(0o755)  # nginx's workers may run as another user
    for folder in ("body", "proxy", "fastcgi", "uwsgi", "scgi", "cache", "static"):
        (tmp / folder).mkdir(exist_ok=True)
    (tmp / "govsite.conf").write_text(site)
    main = tmp / "nginx.conf"
    main.write_text(MAIN.format(tmp=tmp, workers=workers, access_log=access_log))
    return main


def self_signed_certificate(tmp: Path) -> tuple[Path, Path]:
    """A throw-away certificate, so that `nginx -t` checks the TLS lines as shipped."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "yuancheng.gov.cn")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
                   .serial_number(x509.random_serial_number()).not_valid_before(now)
                   .not_valid_after(now + datetime.timedelta(days=1)).sign(key, hashes.SHA256()))
    chain, private = tmp / "fullchain.pem", tmp / "privkey.pem"
    chain.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    private.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                          serialization.NoEncryption()))
    return chain, private


def check(tmp: Path, main: Path) -> subprocess.CompletedProcess:
    return subprocess.run([nginx_binary(), "-t", "-p", str(tmp), "-c", str(main)], capture_output=True, text=True)


def start(tmp: Path, main: Path, port: int, prefix_command: tuple[str, ...] = ()) -> subprocess.Popen:
    process = subprocess.Popen([*prefix_command, nginx_binary(), "-p", str(tmp), "-c", str(main)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("nginx 未能启动：" + process.stderr.read().decode(errors="replace")[-2000:])
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return process
        time.sleep(0.05)
    process.terminate()
    raise RuntimeError(f"nginx 15 秒内未在端口 {port} 上启动")
