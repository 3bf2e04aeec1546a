import asyncio
import pytest

def test_a_browser(page):
    page.set_content("<p>hi</p>")
    try:
        asyncio.get_running_loop(); print("LOOP RUNNING after page")
    except RuntimeError:
        print("no loop")
    assert page.inner_text("p") == "hi"

def test_b_db(departments):
    try:
        asyncio.get_running_loop(); print("LOOP RUNNING in b")
    except RuntimeError:
        print("no loop in b")
    assert "jyj" in departments

@pytest.mark.django_db
def test_c_browser_db(page):
    page.set_content("<p>hi</p>")
