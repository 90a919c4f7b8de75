"""The translation catalogues: complete, compiled, and used by the site (Russian by default, English on request)."""

import ast
import gettext
from pathlib import Path

import pytest
from django.conf import settings

from tests.factories import make_city, make_twinning

pytestmark = pytest.mark.django_db

LOCALE = Path(settings.BASE_DIR) / "locale"
RU_PO = LOCALE / "ru" / "LC_MESSAGES" / "django.po"
RU_MO = LOCALE / "ru" / "LC_MESSAGES" / "django.mo"


def read_po(path):
    """Entries of a .po file as dicts keyword -> text (msgctxt, msgid, msgid_plural, msgstr, msgstr[0]…).
    Enough of the format for catalogues written by makemessages; obsolete (#~) entries are skipped."""
    entries, entry, keyword = [], {}, None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        line = line.strip()
        if not line:
            if entry:
                entries.append(entry)
            entry, keyword = {}, None
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            entry[keyword] += ast.literal_eval(line)
        else:
            keyword, _, text = line.partition(" ")
            entry[keyword] = ast.literal_eval(text)
    return [e for e in entries if e.get("msgid")]  # the header has an empty msgid


def translations(entry):
    return [text for keyword, text in entry.items() if keyword.startswith("msgstr")]


def test_every_russian_message_is_translated():
    entries = read_po(RU_PO)

    untranslated = [e["msgid"] for e in entries if not all(translations(e))]

    assert len(entries) > 500
    assert untranslated == []


def test_russian_catalogue_has_no_fuzzy_entries():
    assert "#, fuzzy" not in RU_PO.read_text(encoding="utf-8")


def test_compiled_catalogue_matches_the_po():
    # Compared by content rather than by mtime: a git checkout gives both files arbitrary mtimes.
    with RU_MO.open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    stale = []
    for entry in read_po(RU_PO):
        msgid = entry["msgid"] if "msgctxt" not in entry else f"{entry['msgctxt']}\x04{entry['msgid']}"
        if "msgid_plural" in entry:
            expected = [entry["msgstr[0]"], entry["msgstr[1]"], entry["msgstr[2]"]]
            actual = [compiled._catalog.get((msgid, n)) for n in range(3)]
        else:
            expected, actual = entry["msgstr"], compiled._catalog.get(msgid)
        if actual != expected:
            stale.append(entry["msgid"])

    assert stale == []


def test_home_page_is_russian_by_default(client):
    response = client.get("/")

    page = response.content.decode()
    assert response.status_code == 200
    assert "Реестр побратимских связей" in page
    assert "Какие города побратимы и что они делают вместе" in page
    assert "Which cities are twinned" not in page


def test_home_page_is_english_with_the_language_cookie(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = client.get("/")

    page = response.content.decode()
    assert "Which cities are twinned, and what they do together" in page
    assert "Реестр побратимских связей" not in page


def test_language_switch_turns_the_site_english(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/").content.decode()

    assert response.status_code == 302
    assert "Twinning Registry" in page
    assert "Какие города побратимы" not in page


def test_city_page_plural_forms_in_russian(client):
    azov = make_city("Азов")
    for name in ("Barnaul", "Kasimov", "Tver"):
        make_twinning(azov, make_city(name))

    page = client.get(azov.get_absolute_url()).content.decode()

    assert "Города-партнёры" in page
    assert "3 города-партнёра" in page


def test_admin_index_follows_the_language(admin_client):
    russian = admin_client.get("/admin/").content.decode()
    admin_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = admin_client.get("/admin/").content.decode()

    assert "Рабочее место пресс-службы" in russian
    assert "Press office workspace" in english
