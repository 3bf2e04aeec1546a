"""`make bench`: every benchmark script in turn; each prints its table and writes its JSON."""

import subprocess
import sys
from pathlib import Path

SCRIPTS = [
    "provisioning.py", "search_indexing.py", "search_latency.py", "theme_frame.py", "disclosure_catalogue.py",
    "crawl.py", "page_serving.py", "render_peer.py", "delivery_front.py", "visit_counting.py",
    "statement.py",
]

if __name__ == "__main__":
    here = Path(__file__).resolve().parent
    failed = [script for script in SCRIPTS if subprocess.run([sys.executable, str(here / script)]).returncode != 0]
    if failed:
        sys.exit(f"失败的基准测试：{', '.join(failed)}")
