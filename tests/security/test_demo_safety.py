"""The demo is safe to leave running: DEBUG off, this machine only, a secret key of its own; and
the demo data (accounts with a published password) can never be loaded on production settings."""

import json
import os
import stat
import subprocess
import sys

import httpx

from tests.conftest import LIVE_PORT, ROOT, server_environment, wait_for_port

OLD_PUBLIC_KEY = "dev-only-insecure-key-change-me"
PATHS = os.pathsep.join([str(ROOT), str(ROOT / "platform"), os.environ.get("PYTHONPATH", "")])
DEMO_PORT = LIVE_PORT + 11


def _settings_of(module: str, **env) -> dict:
    environment = {key: value for key, value in os.environ.items() if key not in ("SECRET_KEY", "ALLOWED_HOSTS")}
    environment.update(PYTHONPATH=PATHS, **env)
    script = (f"import json; from portal.settings import {module} as s; "
              "print(json.dumps({'debug': s.DEBUG, 'key': s.SECRET_KEY, 'hosts': s.ALLOWED_HOSTS}))")
    output = subprocess.run([sys.executable, "-c", script], env=environment, cwd=ROOT, capture_output=True,
                            text=True, check=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def test_demo_settings_have_debug_off_local_hosts_and_a_key_of_this_checkout(tmp_path):
    key_file = tmp_path / "services" / "secret_key"
    first = _settings_of("dev", GOVSITE_SECRET_KEY_FILE=str(key_file))
    second = _settings_of("dev", GOVSITE_SECRET_KEY_FILE=str(key_file))
    assert first["debug"] is False
    assert first["key"] == second["key"] != OLD_PUBLIC_KEY and len(first["key"]) >= 50
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600  # readable by its owner only
    assert _settings_of("dev", GOVSITE_SECRET_KEY_FILE=str(tmp_path / "other"))["key"] != first["key"]
    assert "*" not in first["hosts"] and {".localhost", "localhost", "127.0.0.1"} <= set(first["hosts"])
    # The shared settings no longer carry a usable key for anybody to copy.
    assert _settings_of("base")["key"] == ""


def test_make_demo_listens_on_this_machine_only():
    output = subprocess.run(["make", "-n", "demo"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    serving = [line for line in output.splitlines() if "runserver" in line]
    assert serving and all("runserver 127.0.0.1:8000" in line for line in serving), serving
    assert "0.0.0.0" not in output


def test_demo_server_serves_pages_static_files_and_uploads_without_debug(django_db_setup, tmp_path):
    (tmp_path / "media" / "jyj").mkdir(parents=True)
    (tmp_path / "media" / "jyj" / "notice.txt").write_text("附件内容", encoding="utf-8")
    env = server_environment(DEMO_PORT, DJANGO_SETTINGS_MODULE="portal.settings.dev",
                             MEDIA_ROOT=str(tmp_path / "media"), GOVSITE_SECRET_KEY_FILE=str(tmp_path / "secret_key"))
    env.pop("SECRET_KEY", None)
    log = open(ROOT / ".services" / "test-demo-server.log", "w")
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), "runserver", f"127.0.0.1:{DEMO_PORT}", "--noreload"],
        env=env, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT,
    )
    try:
        wait_for_port(DEMO_PORT, process, "test-demo-server.log")
        base = f"http://127.0.0.1:{DEMO_PORT}"
        with httpx.Client(headers={"Host": f"jyj.localhost:{DEMO_PORT}"}, timeout=60) as client:
            page = client.get(f"{base}/news/")
            assert page.status_code == 200 and "/static/themes/site.css" in page.text
            stylesheet = client.get(f"{base}/static/themes/site.css")
            assert stylesheet.status_code == 200 and "text/css" in stylesheet.headers["content-type"]
            upload = client.get(f"{base}/media/jyj/notice.txt")
            assert upload.status_code == 200 and upload.content.decode("utf-8") == "附件内容"
            missing = client.get(f"{base}/no-such-page/")
            assert missing.status_code == 404 and "URLconf" not in missing.text and "Traceback" not in missing.text
        # A name outside ALLOWED_HOSTS (e.g. a rebinding attacker's) gets no page at all.
        other_host = httpx.get(f"{base}/news/", headers={"Host": "attacker.example"}, timeout=60)
        assert other_host.status_code in (400, 404) and "区教育局" not in other_host.text
    finally:
        process.terminate()
        process.wait(10)
        log.close()


def test_load_demo_refuses_production_settings():
    from tests.security.test_passwords import PRODUCTION_SITE

    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.production",
           "SECRET_KEY": "p" * 64, "DATABASE_URL": "postgres://nobody@127.0.0.1:1/none",
           "ELASTICSEARCH_URL": "http://127.0.0.1:1", "ALLOWED_HOSTS": ".yuancheng.gov.cn",
           "STATIC_ROOT": "/tmp/static", "PYTHONPATH": PATHS, **PRODUCTION_SITE}
    result = subprocess.run([sys.executable, str(ROOT / "manage.py"), "load_demo"], env=env,
                            cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert "当前是生产环境配置，拒绝导入演示数据" in result.stderr, result.stderr[-2000:]
