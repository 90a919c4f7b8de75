import functools
import http.server
import os
import threading
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from tests.factories import make_city, make_delegation, make_event, make_twinning
from twinning.models import StatusChange, TwinningState
from twinning.widget import partners_of

pytestmark = pytest.mark.django_db

CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]


@pytest.fixture
def azov():
    """Azov with three partners: active with a recent event, suspended with a visit, and ended."""
    azov = make_city("Азов", names=[("Азов", "ru", True), ("Azov", "en", True)])
    courbevoie = make_city("Courbevoie", country="FR", names=[("Курбевуа", "ru", True)])
    glasgow = make_city("Glasgow", country="GB", names=[("Глазго", "ru", True)])
    bukhara = make_city("Бухара", country="UZ", names=[("Bukhara", "en", True)])
    active = make_twinning(azov, courbevoie, established_on="1998-05-10")
    suspended = make_twinning(glasgow, azov, established_on="1986")
    ended = make_twinning(azov, bukhara, established_on="2001")
    make_twinning(azov, make_city("Черновик"), published=False)
    StatusChange.objects.create(twinning=suspended, state=TwinningState.SUSPENDED, date="2022-03")
    StatusChange.objects.create(twinning=ended, state=TwinningState.ENDED, date="2023")
    make_event(courbevoie, title="Выставка детского рисунка", host_city=azov, start_on="2024-09-18")
    make_event(courbevoie, title="Старая выставка", host_city=azov, start_on="2019")
    make_delegation(azov, courbevoie, start_on="2023-05")
    make_delegation(glasgow, azov, start_on="2019-10-02")
    return azov


def test_partners_listed_active_first_with_latest_event(azov):
    partners = partners_of(azov)

    assert [(p.city.name, p.twinning.status) for p in partners] == [
        ("Courbevoie", "active"), ("Glasgow", "suspended"), ("Бухара", "ended")
    ]
    # The joint event of 2024 is later than the visit of 2023; Glasgow has only a visit; Bukhara nothing.
    assert (partners[0].latest.title, str(partners[0].latest.date)) == ("Выставка детского рисунка", "2024-09-18")
    visit = partners[1].latest
    assert (str(visit.date), "Глазго" in visit.title, "Азов" in visit.title) == ("2019-10-02", True, True)
    assert visit.url.startswith("/delegations/")
    assert partners[2].latest is None


def test_widget_page_may_be_framed_by_any_site(client, azov):
    response = client.get(reverse("lifecycle:widget", kwargs={"slug": azov.slug}))

    assert response.status_code == 200
    assert "X-Frame-Options" not in response
    assert "frame-ancestors *" in response["Content-Security-Policy"]
    assert response["Cache-Control"] == "public, max-age=600"


def test_other_pages_still_refuse_framing(client, azov):
    response = client.get(reverse("lifecycle:statistics"))

    assert response["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


def test_widget_page_in_english_lists_partners_with_flags_and_status(client, azov):
    response = client.get(reverse("lifecycle:widget", kwargs={"slug": azov.slug}), {"lang": "en"})

    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Twin cities of Azov" in html
    assert [name in html for name in ("Courbevoie", "Glasgow", "Bukhara", "Черновик")] == [True, True, True, False]
    assert '<img class="flag" src="/static/flags/fr.gif"' in html
    assert "Active · since 10.05.1998" in html
    assert "Suspended · since March 2022 (twinned in 1986)" in html


def test_widget_page_in_russian_by_default(client, azov):
    response = client.get(reverse("lifecycle:widget", kwargs={"slug": azov.slug}), {"lang": "xx"})

    html = response.content.decode()
    assert '<html lang="ru">' in html
    assert "Курбевуа" in html and "Глазго" in html


def test_widget_of_unknown_or_draft_city_is_404(client):
    draft = make_city("Черновик", published=False)

    assert client.get(reverse("lifecycle:widget", kwargs={"slug": "nowhere"})).status_code == 404
    assert client.get(reverse("lifecycle:widget", kwargs={"slug": draft.slug})).status_code == 404


def test_embed_script_points_at_the_widget_page(client, azov):
    response = client.get(reverse("lifecycle:widget_script", kwargs={"slug": azov.slug}), {"lang": "en"})

    script = response.content.decode()
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert f'var frameUrl = "http://testserver/widget/{azov.slug}/?lang=en";' in script
    assert 'frame.title = "Twin cities of Azov";' in script


def test_city_page_offers_the_embed_snippets(client, azov):
    response = client.get(azov.get_absolute_url())

    html = response.content.decode()
    assert f"&lt;script src=&quot;http://testserver/widget/{azov.slug}.js?lang=ru&quot; async&gt;&lt;/script&gt;" in html
    assert f"&lt;iframe src=&quot;http://testserver/widget/{azov.slug}/?lang=ru&quot;" in html


@pytest.mark.parametrize("partners", [1, 3])
def test_widget_page_query_count(client, django_assert_num_queries, partners):
    azov = make_city("Азов")
    for _ in range(partners):
        twinning = make_twinning(azov, make_city())
        make_event(twinning.city_b, host_city=azov, start_on="2024")

    # the city, its names; the twinnings with status and newest records, names of both cities, event titles
    with django_assert_num_queries(6):
        client.get(reverse("lifecycle:widget", kwargs={"slug": azov.slug}))


# ---------------------------------------------------------------- in a real browser, on another site


@pytest.fixture
def other_site(tmp_path):
    """A tiny web server on another port standing for a city's website; yields a function that
    publishes an HTML page and returns its URL."""
    handler = functools.partial(QuietHandler, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    def publish(name, html):
        (tmp_path / name).write_text(html, encoding="utf-8")
        return f"http://127.0.0.1:{server.server_address[1]}/{name}"

    yield publish
    server.shutdown()
    server.server_close()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def chromium():
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # the live server shares the test's database
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def browser_page(chromium):
    context = chromium.new_context(viewport={"width": 420, "height": 900})
    yield context.new_page()
    context.close()


@pytest.mark.browser
@pytest.mark.xdist_group("browser")
def test_widget_script_renders_in_chromium_on_another_site(live_server, azov, other_site, browser_page, tmp_path):
    snippet = f'<script src="{live_server.url}/widget/{azov.slug}.js?lang=en" async></script>'
    page_url = other_site(
        "twins.html",
        f"<!doctype html><html><head><meta charset=utf-8><title>Azov city website</title></head>"
        f"<body style='margin:0;font-family:sans-serif'><h1>Welcome to Azov</h1>{snippet}<footer>end</footer></body></html>",
    )
    requested = []
    browser_page.on("request", lambda request: requested.append(request.url))

    browser_page.goto(page_url)
    frame = browser_page.frame_locator("iframe")
    names = frame.locator(".partner .name").all_inner_texts()
    browser_page.wait_for_function("document.querySelector('iframe').offsetHeight > 320")
    browser_page.screenshot(path=str(tmp_path / "widget.png"), full_page=True)
    if os.environ.get("WIDGET_SCREENSHOT"):  # keep a copy to look at
        browser_page.screenshot(path=os.environ["WIDGET_SCREENSHOT"], full_page=True)

    assert names == ["Courbevoie", "Glasgow", "Bukhara"]
    assert frame.locator(".partner.status-suspended .status").inner_text().startswith("Suspended")
    assert frame.locator(".partner img.flag").evaluate_all("imgs => imgs.map(i => i.naturalWidth)") == [16, 16, 16]
    hosts = {urlsplit(url).netloc for url in requested}
    assert hosts == {urlsplit(page_url).netloc, urlsplit(live_server.url).netloc}  # no third-party request


@pytest.mark.browser
@pytest.mark.xdist_group("browser")
def test_widget_iframe_snippet_is_responsive_in_chromium(live_server, azov, other_site, browser_page):
    page_url = other_site(
        "iframe.html",
        f'<!doctype html><meta charset=utf-8><iframe src="{live_server.url}/widget/{azov.slug}/?lang=ru" '
        f'style="width:100%;border:0" height="500" title="Города-побратимы"></iframe>',
    )

    browser_page.set_viewport_size({"width": 900, "height": 700})
    browser_page.goto(page_url)
    frame = browser_page.frame_locator("iframe")
    wide_tops = frame.locator(".partner").evaluate_all("items => items.map(i => i.getBoundingClientRect().top)")
    browser_page.set_viewport_size({"width": 360, "height": 700})
    narrow_tops = frame.locator(".partner").evaluate_all("items => items.map(i => i.getBoundingClientRect().top)")

    assert frame.locator(".partner .name").all_inner_texts() == ["Курбевуа", "Глазго", "Бухара"]
    assert len(set(wide_tops)) == 1  # side by side on a wide page
    assert len(set(narrow_tops)) == 3  # stacked on a phone
