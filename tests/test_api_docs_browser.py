"""The API documentation page in headless Chromium, under the site's Content-Security-Policy:
Swagger UI (served from drf-spectacular-sidecar) loads the live schema and lists the operations,
and the browser reports no blocked script or style."""

import pytest
from playwright.sync_api import expect

from tests.test_browser import browser  # noqa: F401 (the shared Chromium fixture)

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.xdist_group("browser")]


def test_api_docs_render_under_the_content_security_policy(browser, live_server, transactional_db):  # noqa: F811
    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    console, requests = [], []
    page.on("console", lambda message: console.append(message.text))
    page.on("request", lambda request: requests.append(request.url))

    response = page.goto(f"{live_server.url}/api/docs/")

    assert "script-src 'self'" in response.headers["content-security-policy"]
    expect(page.locator(".opblock-summary-path", has_text="/api/v1/twinnings/").first).to_be_visible(timeout=20000)
    assert page.locator(".opblock").count() > 40
    assert [text for text in console if "Content Security Policy" in text or "Refused to" in text] == []
    assert all(url.startswith(live_server.url) or url.startswith("data:") for url in requests), requests
    context.close()
