"""End-to-end: a reader in real headless Chromium (Debian's chromium, driven by playwright) against
a live server: home → search "Курбевуа" → Courbevoie → its twinning with Azov → English → map →
choose a city → partner lines drawn. Screenshots go to the test's temporary folder."""

import os
import re

import pytest
from playwright.sync_api import expect, sync_playwright

from tests.factories import make_city, make_twinning
from twinning.models import StatusChange, TwinningState

# Playwright's sync API runs an event loop in this thread; Django refuses database access from a
# thread with a running loop unless told it is safe (it is: the loop only drives the browser).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.xdist_group("browser")]

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.skip("chromium is not installed (scripts/system-packages.sh --with-browser installs it)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="ru-RU", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    # No internet in tests: refuse tile requests at once so the offline outlines are what shows.
    page.route(re.compile(r"https?://[^/]*tile\.openstreetmap\.org/.*"), lambda route: route.abort())
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.fixture
def network(transactional_db):
    azov = make_city("Азов", names=[("Азов", "ru", True), ("Azov", "en", True)], latitude=47.11, longitude=39.42,
                     population=82000)
    courbevoie = make_city("Courbevoie", country="FR", names=[("Курбевуа", "ru", True), ("Courbevoie", "en", True)],
                           latitude=48.897, longitude=2.253)
    bergen = make_city("Bergen", country="NO", latitude=60.39, longitude=5.32)
    yeysk = make_city("Ейск", names=[("Ейск", "ru", True), ("Yeysk", "en", True)], latitude=46.71, longitude=38.27)
    petropavlovsk = make_city("Петропавловск-Камчатский", latitude=53.02, longitude=158.65)
    unalaska = make_city("Unalaska", country="US", latitude=53.87, longitude=-166.53)  # across the antimeridian
    make_twinning(azov, courbevoie, established_on="2018-10-24", kind="twin_city")
    ended = make_twinning(azov, bergen, established_on="1990")
    StatusChange.objects.create(twinning=ended, state=TwinningState.ENDED, date="2022-03-03")
    make_twinning(yeysk, azov)
    make_twinning(petropavlovsk, unalaska)
    return {"azov": azov, "courbevoie": courbevoie, "petropavlovsk": petropavlovsk}


def shoot(page, tmp_path, name):
    path = tmp_path / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def test_reader_finds_a_twinning_switches_to_english_and_draws_partner_lines(live_server, page, network, tmp_path):
    page.goto(live_server.url + "/")
    expect(page.locator("html")).to_have_attribute("lang", "ru")

    search = page.locator("#home-search-q")
    search.fill("Курбевуа")
    expect(page.locator("#home-search-suggestions [role=option]").first).to_contain_text("Курбевуа")
    shoot(page, tmp_path, "1-home-suggestions")
    search.press("Enter")  # no suggestion chosen: the form is submitted

    page.wait_for_url(re.compile(r"/search/\?q="))
    found = page.locator("#found-cities + ul a")
    expect(found).to_have_count(1)
    shoot(page, tmp_path, "2-search")
    found.first.click()

    page.wait_for_url(re.compile(r"/cities/courbevoie/"))
    expect(page.locator("h1")).to_have_text("Курбевуа")
    partner_link = page.locator("table.partners a", has_text="Азов")
    expect(partner_link).to_have_count(1)
    shoot(page, tmp_path, "3-city")
    partner_link.click()

    page.wait_for_url(re.compile(r"/twinnings/"))
    expect(page.locator("h1")).to_contain_text("Азов")
    expect(page.locator("h1")).to_contain_text("Курбевуа")
    shoot(page, tmp_path, "4-twinning-ru")

    page.locator(".language-switch button[value=en]").click()
    page.wait_for_load_state()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_contain_text("Azov")
    expect(page.locator("h1")).to_contain_text("Courbevoie")
    assert "/twinnings/" in page.url
    shoot(page, tmp_path, "5-twinning-en")

    page.locator(".site-nav a", has_text="Map").click()
    map_element = page.locator("#network-map")
    expect(map_element).to_have_attribute("data-ready", "true")
    expect(page.locator("#map-status")).to_contain_text("6 cities and 4 twinnings")
    # The offline base layer is drawn even though every tile request fails.
    expect(page.locator(".leaflet-outlines-pane canvas")).to_have_count(1)

    city_box = page.locator("#map-city")
    city_box.fill("Azo")
    expect(page.locator("#map-city-suggestions [role=option]").first).to_contain_text("Azov")
    city_box.press("ArrowDown")
    city_box.press("Enter")
    expect(map_element).to_have_attribute("data-partner-lines", "3")
    expect(page.locator("#map-partners li")).to_have_count(3)
    assert page.evaluate("window.twinningMap.partnerLineCount()") == 3
    expect(page.locator("#map-panel-title")).to_contain_text("Azov")
    shoot(page, tmp_path, "6-map-azov")

    # Only active ties: the ended one with Bergen disappears.
    page.locator("#map-filters input[value=ended]").uncheck()
    expect(map_element).to_have_attribute("data-partner-lines", "2")

    # Clicking a dot on the canvas chooses that city.
    point = page.evaluate(
        "(() => { const p = window.twinningMap.map.latLngToContainerPoint([48.897, 2.253]); return [p.x, p.y]; })()"
    )
    box = map_element.bounding_box()
    page.mouse.click(box["x"] + point[0], box["y"] + point[1])
    expect(page.locator("#map-panel-title")).to_contain_text("Courbevoie")
    expect(map_element).to_have_attribute("data-partner-lines", "1")
    shoot(page, tmp_path, "7-map-courbevoie")

    assert page.errors == []


def test_map_line_across_the_antimeridian_takes_the_short_way(live_server, page, network, tmp_path):
    page.goto(live_server.url + "/map/?city=" + network["petropavlovsk"].slug)
    map_element = page.locator("#network-map")
    expect(map_element).to_have_attribute("data-ready", "true")

    expect(map_element).to_have_attribute("data-partner-lines", "1")
    # The view was fitted to the line: it spans about 35 degrees of longitude, not 325.
    span = page.evaluate("(() => { const b = window.twinningMap.map.getBounds(); return b.getEast() - b.getWest(); })()")
    shoot(page, tmp_path, "8-map-antimeridian")
    assert span < 120
    assert page.errors == []


def test_keyboard_only_search_suggestion_opens_city(live_server, page, network):
    page.goto(live_server.url + "/cities/courbevoie/")
    box = page.locator("#site-search-q")
    box.focus()
    page.keyboard.type("Ейс")
    expect(page.locator("#site-search-suggestions [role=option]")).to_have_count(1)
    page.keyboard.press("ArrowDown")
    expect(box).to_have_attribute("aria-activedescendant", "site-search-suggestions-0")
    page.keyboard.press("Enter")

    page.wait_for_url(re.compile(r"/cities/"))
    expect(page.locator("h1")).to_have_text("Ейск")
    assert page.errors == []


def test_city_mini_map_draws_partner_lines(live_server, page, network, tmp_path):
    page.goto(live_server.url + "/cities/azov/")

    expect(page.locator("#city-map")).to_have_attribute("data-partner-lines", "3")
    expect(page.locator("#city-map .leaflet-marker-icon")).to_have_count(1)
    marker_src = page.locator("#city-map .leaflet-marker-icon").get_attribute("src")
    assert marker_src.endswith("marker-icon.png") or marker_src.endswith("marker-icon-2x.png")
    shoot(page, tmp_path, "9-city-mini-map")
    assert page.errors == []
