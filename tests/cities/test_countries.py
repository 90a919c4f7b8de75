import pytest

from cities.countries import CountryReading, country_text, other_reading, read_country


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("Germany", CountryReading("DE")),
        ("United States", CountryReading("US")),
        ("England", CountryReading("GB", "England")),
        ("Wales, United Kingdom", CountryReading("GB", "Wales")),
        ("Northern Ireland, United Kingdom", CountryReading("GB", "Northern Ireland")),
        ("Ohio, United States", CountryReading("US", "Ohio")),
        ("Brandenburg, Germany", CountryReading("DE", "Brandenburg")),
        ("Réunion, France", CountryReading("RE")),
        ("Åland Islands, Finland", CountryReading("AX")),
        ("Georgia (country)", CountryReading("GE")),
        ("Czech Republic", CountryReading("CZ")),
        ("Republic of Ireland", CountryReading("IE")),
        ("São Tomé and Príncipe", CountryReading("ST")),
        ("Kosovo", CountryReading("XK")),
        ("Northern Cyprus", CountryReading("CY", "Northern Cyprus")),
        ("in Italy", CountryReading("IT")),
        ("Grece", CountryReading("GR")),
        ("  russia ", CountryReading("RU")),
    ],
)
def test_read_country_normalises_the_ways_sources_write_countries(written, expected):
    assert read_country(written) == expected


@pytest.mark.parametrize("written", ["", "Atlantis", "Ohio, Atlantis"])
def test_read_country_returns_none_for_unknown_countries(written):
    assert read_country(written) is None


def test_georgia_has_a_second_reading_as_the_us_state():
    assert read_country("Georgia") == CountryReading("GE")
    assert other_reading("Georgia") == CountryReading("US", "Georgia")
    assert other_reading("Germany") is None


@pytest.mark.parametrize(
    ("code", "region"), [("US", "Ohio"), ("GB", "England"), ("XK", ""), ("RE", ""), ("US", "Georgia"), ("GB", "Cornwall, England")]
)
def test_country_text_reads_back_to_the_same_country_and_region(code, region):
    assert read_country(country_text(code, region)) == CountryReading(code, region)


def test_country_text_uses_the_open_data_names():
    assert country_text("US", "Ohio") == "Ohio, United States"
    assert country_text("DE") == "Germany"
