"""The unified theme in a real Chromium against the real server process.

- axe-core (WCAG 2.1 A/AA rules) finds no serious or critical violation on the pages people use
  most, in the normal and in the elderly-friendly mode;
- screenshots at 375 px (a phone) and 1280 px (a desktop) go to test-artifacts/ for a person
  to look at;
- the same element looks the same on two departments (one theme for all);
- the elderly switch works without JavaScript, the page is usable from the keyboard, and the
  read-aloud button speaks the article in Chinese through the browser's own speech synthesis.
"""

import json
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "themes"
PAGES = [
    ("portal-home", "www", "/"),
    ("department-home", "jyj", "/"),
    ("column-list", "jyj", "/news/"),
    ("article", "jyj", "/news/sample-2/"),
    ("search", "www", "/search/?q=%E6%95%99%E8%82%B2"),
    ("mailbox-form", "www", "/mailbox/write/"),
]
WIDTHS = {"phone": 375, "desktop": 1280}
WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]}}


def open_page(browser, width, elderly=False, javascript=True):
    context = browser.new_context(
        locale="zh-CN", timezone_id="Asia/Shanghai", viewport={"width": width, "height": 900},
        java_script_enabled=javascript,
    )
    return context, context.new_page()


def smallest_text(page) -> float:
    """The smallest font size of any visible element that holds text of its own."""
    return page.evaluate("""() => Math.min(...Array.from(document.querySelectorAll('body *'))
        .filter(element => element.offsetParent !== null && !element.closest('.visually-hidden')
                && Array.from(element.childNodes).some(node => node.nodeType === 3 && node.textContent.trim()))
        .map(element => parseFloat(getComputedStyle(element).fontSize)))""")


def switch_elderly_on(page, base):
    """Like a visitor: click the header link (a plain link, no script needed)."""
    page.goto(base + "/")
    page.get_by_role("link", name="适老模式", exact=True).click()
    page.wait_for_load_state()
    assert "mode-elderly" in page.locator("html").get_attribute("class")


@pytest.mark.parametrize("elderly", [False, True], ids=["normal", "elderly"])
def test_no_serious_or_critical_accessibility_violations(live_server_url, browser, elderly):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    axe = Axe()
    problems = {}
    elsewhere = []  # government networks have no internet: nothing may come from another host
    mode = "elderly" if elderly else "normal"
    for device, width in WIDTHS.items():
        context, page = open_page(browser, width)
        page.on("request", lambda request: elsewhere.append(request.url) if ".localhost:" not in request.url else None)
        switched = set()
        for name, prefix, path in PAGES:
            base = live_server_url.format(prefix=prefix)
            if elderly and prefix not in switched:  # the choice is a cookie per site
                switch_elderly_on(page, base)
                switched.add(prefix)
            response = page.goto(base + path)
            assert response.status == 200, f"{name} 返回 {response.status}"
            assert page.locator("html").get_attribute("lang") == "zh-CN"
            assert ("mode-elderly" in (page.locator("html").get_attribute("class") or "")) == elderly
            page.screenshot(path=str(ARTIFACTS / f"{name}-{mode}-{width}.png"), full_page=True)
            if elderly:
                assert smallest_text(page) >= 18, f"{name} 在适老模式下最小字号只有 {smallest_text(page)}px"
            if device == "phone":
                # Nothing wider than the phone: no sideways scrolling at 375 px, nor at 360 px.
                for narrow in (375, 360):
                    page.set_viewport_size({"width": narrow, "height": 900})
                    overflow = page.evaluate(
                        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
                    )
                    assert overflow <= 0, f"{name} 在 {narrow}px 宽的手机上需要左右滚动（多出 {overflow}px）"
                page.set_viewport_size({"width": width, "height": 900})
            results = axe.run(page, options=WCAG_AA)
            serious = [
                {"id": v["id"], "impact": v["impact"], "help": v["help"],
                 "nodes": [node["target"] for node in v["nodes"]][:5]}
                for v in results.response["violations"] if v["impact"] in ("serious", "critical")
            ]
            if serious:
                problems[f"{name} @ {width}px"] = serious
        context.close()
    assert not elsewhere, f"页面从其他网站加载了资源：{elsewhere}"
    (ARTIFACTS / f"axe-{mode}.json").write_text(json.dumps(problems, ensure_ascii=False, indent=1))
    assert not problems, json.dumps(problems, ensure_ascii=False, indent=1)


def test_the_accessibility_check_finds_a_planted_violation(live_server_url, page):
    """The check above is worth something only if it sees problems: plant two and find them."""
    page.goto(live_server_url.format(prefix="jyj") + "/news/sample-1/")
    page.evaluate("""() => {
        const body = document.querySelector('.article-body');
        body.insertAdjacentHTML('beforeend', '<img src="/static/themes/none.png"><p style="color:#bbb">浅色文字</p>');
    }""")
    found = {v["id"]: v["impact"] for v in Axe().run(page, options=WCAG_AA).response["violations"]}
    assert found.get("image-alt") == "critical" and found.get("color-contrast") == "serious"


STYLE_PROPERTIES = [
    "fontFamily", "fontSize", "fontWeight", "lineHeight", "color", "backgroundColor",
    "paddingTop", "paddingLeft", "borderTopColor", "borderTopWidth",
]
SAME_ELEMENTS = [
    ("/news/", ".site-brand"),
    ("/news/", "nav.site-nav"),
    ("/news/", "nav.site-nav li:first-child a"),
    ("/news/", ".breadcrumb"),
    ("/news/", "main h1"),
    ("/news/", ".item-list li:first-child a"),
    ("/news/", ".item-list li:first-child time"),
    ("/news/", "footer.site-footer"),
    ("/news/sample-1/", ".article h1"),
    ("/news/sample-1/", ".article-meta"),
    ("/news/sample-1/", ".article-body p"),
    ("/news/sample-1/", ".article-neighbours"),
]


def computed_styles(page, selector):
    return page.locator(selector).first.evaluate(
        "(element, names) => { const style = getComputedStyle(element);"
        " return Object.fromEntries(names.map(name => [name, style[name]])); }",
        STYLE_PROPERTIES,
    )


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_two_departments_look_the_same(live_server_url, browser, width):
    context, page = open_page(browser, width)
    styles = {}
    for prefix in ("jyj", "wjj"):
        for path, selector in SAME_ELEMENTS:
            page.goto(live_server_url.format(prefix=prefix) + path)
            styles[(prefix, path, selector)] = computed_styles(page, selector)
    context.close()
    for path, selector in SAME_ELEMENTS:
        education, health = styles[("jyj", path, selector)], styles[("wjj", path, selector)]
        assert education == health, f"{selector} 在两个部门的样式不同：{education} ≠ {health}"
    assert styles[("jyj", "/news/", "nav.site-nav")]["backgroundColor"] == "rgb(179, 25, 30)"
    assert styles[("jyj", "/news/", "footer.site-footer")]["borderTopColor"] == "rgb(179, 25, 30)"


def test_elderly_mode_without_javascript_gives_large_text_and_spacing(live_server_url, browser):
    context, page = open_page(browser, 1280, javascript=False)
    base = live_server_url.format(prefix="wjj")
    page.goto(base + "/news/sample-1/")
    normal = page.locator(".article-body p").first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    page.get_by_role("link", name="适老模式", exact=True).click()
    page.wait_for_load_state()
    assert page.url == base + "/news/sample-1/"
    for selector in ("body", ".breadcrumb", ".article-meta", ".article-body p", "footer.site-footer", ".site-nav a"):
        size, line_height = page.locator(selector).first.evaluate(
            "e => { const s = getComputedStyle(e); return [parseFloat(s.fontSize), parseFloat(s.lineHeight)]; }"
        )
        assert size >= 18, f"适老模式下 {selector} 字号只有 {size}px"
        assert line_height / size >= 1.3, f"适老模式下 {selector} 行距只有 {line_height / size:.2f}"
    larger = page.locator(".article-body p").first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    assert larger > normal
    height = page.locator(".site-nav a").first.evaluate("e => e.getBoundingClientRect().height")
    assert height >= 44, f"适老模式下导航链接的点击区域只有 {height}px 高"
    context.close()


def test_keyboard_reaches_the_skip_link_first_and_focus_is_visible(live_server_url, page):
    page.goto(live_server_url.format(prefix="jyj") + "/news/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "跳到主要内容"
    assert page.locator(".skip-link").evaluate("e => e.getBoundingClientRect().left >= 0")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('main') !== null")
    width = page.evaluate("parseFloat(getComputedStyle(document.activeElement).outlineWidth)")
    assert width >= 2, "键盘焦点没有清晰的轮廓"


def test_read_aloud_speaks_the_article_in_chinese_without_the_network(live_server_url, page):
    # The headless browser has no voices installed; record what the page asks it to say.
    page.add_init_script("""
        window.__spoken = [];
        window.speechSynthesis.speak = function (utterance) {
            window.__spoken.push({text: utterance.text, lang: utterance.lang});
        };
    """)
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    base = live_server_url.format(prefix="jyj")
    page.goto(base + "/news/sample-1/")
    button = page.get_by_role("button", name="朗读全文")
    assert button.is_visible()
    before = len(requests)
    button.click()
    spoken = page.evaluate("window.__spoken")
    assert len(spoken) == 1 and spoken[0]["lang"] == "zh-CN"
    assert spoken[0]["text"].startswith("区教育局部门动态样例1。") and "区教育局部门动态正文第1条" in spoken[0]["text"]
    assert len(requests) == before, "朗读不应访问网络"
    assert all(url.startswith(base) for url in requests), f"页面从其他网站加载了资源：{requests}"


def test_font_size_switch_changes_the_article_text(live_server_url, page):
    page.goto(live_server_url.format(prefix="jyj") + "/news/sample-1/")
    body = page.locator(".article-body p").first
    medium = body.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    page.get_by_role("button", name="大", exact=True).click()
    large = body.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    page.get_by_role("button", name="小", exact=True).click()
    small = body.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    assert small < medium < large
    assert page.get_by_role("button", name="小", exact=True).get_attribute("aria-pressed") == "true"


def test_grey_and_elderly_classes_change_the_whole_page(live_server_url, page):
    """The server puts `mode-grey` / `mode-elderly` on <html> (tests/themes/test_modes.py); here
    the stylesheet turns that into a grey page and larger text in a real browser."""
    page.goto(live_server_url.format(prefix="wjj") + "/")
    assert page.evaluate("getComputedStyle(document.documentElement).filter") == "none"
    page.evaluate("document.documentElement.classList.add('mode-grey')")
    assert page.evaluate("getComputedStyle(document.documentElement).filter") == "grayscale(1)"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "department-home-grey-1280.png"), full_page=True)
    page.evaluate("document.documentElement.classList.add('mode-elderly')")
    assert smallest_text(page) >= 18, f"适老模式下最小字号为 {smallest_text(page)}px"
