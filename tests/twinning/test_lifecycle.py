import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from tests.factories import (
    make_agreement,
    make_city,
    make_delegation,
    make_event,
    make_organisation,
    make_press_officer,
    make_source,
    make_twinning,
)
from twinning import claims, lifecycle
from twinning.models import (
    KIND_GROUP,
    Agreement,
    Claim,
    ClaimSubject,
    StatusChange,
    Twinning,
    TwinningKind,
    TwinningState,
    TwinningStatus,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2025, 6, 15)


# ---------------------------------------------------------------- status derived from history


def test_status_follows_history_through_suspension_and_renewal():
    twinning = make_twinning()
    StatusChange.objects.create(twinning=twinning, state=TwinningState.CONTACT, date="2008")
    StatusChange.objects.create(twinning=twinning, state=TwinningState.TREATY, date="2010-05-12")
    StatusChange.objects.create(twinning=twinning, state=TwinningState.SUSPENDED, date="2022-03")
    renewal = StatusChange.objects.create(twinning=twinning, state=TwinningState.ACTIVE, date="2024-01-20")

    before_renewal = Twinning.objects.with_status().get().status
    renewal.delete()
    after_deleting_renewal = Twinning.objects.with_status().get().status

    assert (before_renewal, after_deleting_renewal) == (TwinningStatus.ACTIVE, TwinningStatus.SUSPENDED)


def test_status_ended_by_expiry_counts_as_ended():
    twinning = make_twinning()
    StatusChange.objects.create(twinning=twinning, state=TwinningState.TREATY, date="2015")
    StatusChange.objects.create(twinning=twinning, state=TwinningState.EXPIRED, date="2020-05-01")

    assert list(Twinning.objects.with_status_in(TwinningStatus.ENDED)) == [twinning]
    assert list(Twinning.objects.active()) == []


# ---------------------------------------------------------------- agreement expiry


@pytest.mark.parametrize(
    ("signed_on", "term_years", "expected"),
    [
        ("2020-07-01", 5, datetime.date(2025, 7, 1)),
        ("2016-02-29", 1, datetime.date(2017, 2, 28)),
        ("2020-07-01", None, None),  # open-ended
        ("2020-07", 5, None),  # no day to count from
        ("2020", 5, None),
        (None, 5, None),
    ],
)
def test_expiry_is_signing_day_plus_term(signed_on, term_years, expected):
    make_agreement(signed_on=signed_on, term_years=term_years)

    assert lifecycle.with_expiry(Agreement.objects.all()).get().expires_on == expected


def test_expiring_within_90_days_lists_only_agreements_running_out_soonest_first():
    azov, courbevoie = make_city("Азов"), make_city("Courbevoie", country="FR")
    later = make_agreement(azov, courbevoie, title="In 80 days", signed_on="2022-09-03", term_years=3)
    sooner = make_agreement(azov, courbevoie, title="Today", signed_on="2020-06-15", term_years=5)
    make_agreement(azov, courbevoie, title="In 91 days", signed_on="2020-09-14", term_years=5)
    make_agreement(azov, courbevoie, title="Yesterday", signed_on="2020-06-14", term_years=5)
    make_agreement(azov, courbevoie, title="Open-ended", signed_on="2020-06-15")

    expiring = lifecycle.expiring_within(Agreement.objects.all(), today=TODAY)

    assert [(a.title, a.expires_on) for a in expiring] == [
        (sooner.title, datetime.date(2025, 6, 15)),
        (later.title, datetime.date(2025, 9, 3)),
    ]


# ---------------------------------------------------------------- dormancy


@pytest.fixture(params=[True, False], ids=["whole_list", "per_row"])
def whole_list(request):
    """Both ways of computing dormancy (hashed sets for lists, probes per row for pages) must agree."""
    return request.param


def _dormant(whole_list, **kwargs):
    kwargs.setdefault("today", TODAY)
    return lifecycle.dormant(Twinning.objects.all(), whole_list=whole_list, **kwargs)


def _dormant_titles(whole_list, **kwargs):
    return sorted(str(t) for t in _dormant(whole_list, **kwargs))


def test_twinning_with_recent_delegation_between_its_cities_is_not_dormant(whole_list):
    azov, courbevoie, kherson = make_city("Азов"), make_city("Courbevoie", country="FR"), make_city("Бухара")
    make_twinning(azov, courbevoie, established_on="1990")
    make_twinning(azov, kherson, established_on="1990")
    # Not linked to the twinning, but between its two cities, in either direction.
    make_delegation(courbevoie, azov, start_on="2023-05")

    assert _dormant_titles(whole_list) == ["Азов — Бухара"]


def test_twinning_activity_counts_linked_event_and_agreement_of_both_parties(whole_list):
    azov, courbevoie, bukhara, gomel = (
        make_city("Азов"), make_city("Courbevoie", country="FR"), make_city("Бухара"), make_city("Гомель")
    )
    with_event = make_twinning(azov, courbevoie, established_on="1990")
    make_twinning(azov, bukhara, established_on="1990")
    make_twinning(azov, gomel, established_on="1990")
    make_event(title="Linked", twinning=with_event, start_on="2024")
    make_event(bukhara, title="Hosted by Azov with Bukhara", host_city=azov, start_on="2023-01-10")
    make_event(azov, title="Gomel alone did not join", host_city=make_city("Other"), start_on="2024")

    assert _dormant_titles(whole_list) == ["Азов — Гомель"]


def test_twinning_with_recent_agreement_between_its_cities_is_not_dormant(whole_list):
    azov, courbevoie = make_city("Азов"), make_city("Courbevoie", country="FR")
    make_twinning(azov, courbevoie, established_on="1990")
    make_agreement(azov, courbevoie, signed_on="2022-06-15")

    assert _dormant_titles(whole_list) == []
    assert _dormant_titles(whole_list, today=datetime.date(2025, 6, 16)) == ["Азов — Courbevoie"]


def test_agreement_signed_by_an_organisation_of_a_city_counts_for_its_twinning(whole_list):
    azov, courbevoie, gomel = make_city("Азов"), make_city("Courbevoie", country="FR"), make_city("Гомель")
    make_twinning(azov, courbevoie, established_on="1990")
    make_twinning(azov, gomel, established_on="1990")
    make_agreement(make_organisation(azov), courbevoie, signed_on="2024")
    make_agreement(make_organisation(azov), make_organisation(gomel), signed_on="2024-02")

    assert _dormant_titles(whole_list) == []


def test_dormancy_compares_partial_dates_at_their_precision(whole_list):
    recent_year = make_twinning(established_on="2022")  # 2022 reaches the cutoff 2022-06-15
    make_twinning(established_on="2022-05")
    make_twinning(established_on="2022-06-14")

    dormant = _dormant(whole_list)

    assert recent_year not in dormant
    assert dormant.count() == 2


def test_drafts_suspended_ties_and_custom_window(whole_list):
    azov, courbevoie = make_city("Азов"), make_city("Courbevoie", country="FR")
    quiet = make_twinning(azov, courbevoie, established_on="2019")
    make_delegation(azov, courbevoie, start_on="2024", published=False)  # a draft is no sign of life yet
    suspended = make_twinning(established_on="2000")
    StatusChange.objects.create(twinning=suspended, state=TwinningState.SUSPENDED, date="2022")
    undated = make_twinning()

    assert set(_dormant(whole_list)) == {quiet, undated}
    assert set(_dormant(whole_list, years=10)) == {undated}
    assert set(lifecycle.not_dormant(Twinning.objects.all(), today=TODAY, whole_list=whole_list)) == {suspended}


def test_dormancy_annotation_on_a_list_costs_one_query(django_assert_num_queries):
    for _ in range(3):
        twinning = make_twinning(established_on="2000")
        make_delegation(twinning.city_a, twinning.city_b, start_on="2024")

    with django_assert_num_queries(1):  # the twinnings with three subqueries each
        flags = [t.is_dormant for t in lifecycle.with_dormancy(Twinning.objects.all(), today=TODAY)]

    assert flags == [False, False, False]


# ---------------------------------------------------------------- dormancy on the page and in the API


def test_twinning_page_flags_a_dormant_tie(client):
    quiet = make_twinning(make_city("Азов"), make_city("Courbevoie", country="FR"), established_on="2001")
    make_delegation(quiet.city_a, quiet.city_b, start_on="2015-09")
    lively = make_twinning(make_city("Гомель"), make_city("Бухара"), established_on="2001")
    make_delegation(lively.city_a, lively.city_b, start_on=datetime.date.today().isoformat())

    quiet_html = client.get(quiet.get_absolute_url()).content.decode()
    lively_html = client.get(lively.get_absolute_url()).content.decode()

    assert 'class="notice notice--dormant"' in quiet_html
    assert '<time datetime="2015-09">' in quiet_html
    assert "notice--dormant" not in lively_html


def test_twinnings_api_filters_dormant_ties(client):
    quiet = make_twinning(established_on="2001")
    lively = make_twinning(established_on=datetime.date.today().isoformat())

    dormant_ids = [row["id"] for row in client.get("/api/v1/twinnings/", {"dormant": "true"}).json()["results"]]
    lively_ids = [row["id"] for row in client.get("/api/v1/twinnings/", {"dormant": "false"}).json()["results"]]
    refused = client.get("/api/v1/twinnings/", {"dormant": "maybe"})

    assert (dormant_ids, lively_ids) == ([quiet.pk], [lively.pk])
    assert refused.status_code == 400


# ---------------------------------------------------------------- expiring agreements for press offices


def _expiring_in(days, **kwargs):
    """An agreement of five years signed so that it expires `days` days from today."""
    today = datetime.date.today()
    expires = today + datetime.timedelta(days=days)
    return make_agreement(signed_on=lifecycle.years_before(expires, 5).isoformat(), term_years=5, **kwargs)


def test_expiring_agreements_api_lists_published_ones_for_the_public(client):
    azov, courbevoie = make_city("Азов"), make_city("Courbevoie", country="FR")
    soon = _expiring_in(30, title="Soon")
    _expiring_in(10, title="Draft", published=False)
    _expiring_in(200, title="Later")
    soon.parties.create(city=azov)
    soon.parties.create(city=courbevoie)

    rows = client.get("/api/v1/expiring-agreements/").json()

    assert [(row["title"], row["days_left"], row["parties"]) for row in rows] == [("Soon", 30, ["Азов", "Courbevoie"])]
    assert rows[0]["expires_on"] == (datetime.date.today() + datetime.timedelta(days=30)).isoformat()


def test_expiring_agreements_api_shows_an_officer_the_drafts_of_their_office(client):
    azov, gomel = make_city("Азов"), make_city("Гомель")
    ours = _expiring_in(20, title="Ours, a draft", published=False)
    ours.parties.create(city=azov)
    theirs = _expiring_in(15, title="Gomel's")
    theirs.parties.create(city=gomel)
    client.force_login(make_press_officer(azov))

    rows = client.get("/api/v1/expiring-agreements/", {"days": "365"}).json()

    assert [row["title"] for row in rows] == ["Ours, a draft"]


@pytest.mark.parametrize("days", ["0", "-5", "soon", "99999"])
def test_expiring_agreements_api_refuses_bad_days(client, days):
    response = client.get("/api/v1/expiring-agreements/", {"days": days})

    assert response.status_code == 400
    assert "days" in response.json()["errors"]


def test_admin_index_shows_an_office_its_expiring_agreements_and_dormant_twinnings(client):
    azov, courbevoie, gomel = make_city("Азов"), make_city("Courbevoie", country="FR"), make_city("Гомель")
    soon = _expiring_in(40, title="Соглашение о сотрудничестве")
    soon.parties.create(city=azov)
    other = _expiring_in(40, title="Not ours")
    other.parties.create(city=gomel)
    make_twinning(azov, courbevoie, established_on="1998")
    make_twinning(gomel, courbevoie, established_on="1998")
    client.force_login(make_press_officer(azov))

    html = client.get(reverse("admin:index")).content.decode()

    assert 'id="lifecycle-dashboard"' in html
    assert "Соглашение о сотрудничестве" in html and "Not ours" not in html
    assert "Азов — Courbevoie" in html and "Гомель — Courbevoie" not in html
    assert '<time datetime="1998">' in html


def test_admin_filters_dormant_twinnings_and_expiring_agreements(admin_client):
    quiet = make_twinning(established_on="1998")
    make_twinning(established_on=datetime.date.today().isoformat())
    _expiring_in(5, title="Runs out")
    make_agreement(title="Open-ended")

    twinnings = admin_client.get(reverse("admin:twinning_twinning_changelist"), {"dormant": "yes"})
    agreements = admin_client.get(reverse("admin:twinning_agreement_changelist"), {"expiring": "soon"})

    assert [t.pk for t in twinnings.context["cl"].result_list] == [quiet.pk]
    assert [a.title for a in agreements.context["cl"].result_list] == ["Runs out"]


# ---------------------------------------------------------------- conflicting claims


@pytest.fixture
def disputed():
    """Rostov says the tie with Glasgow is suspended; Glasgow says it is active."""
    rostov, glasgow = make_city("Ростов-на-Дону"), make_city("Glasgow", country="GB")
    twinning = make_twinning(rostov, glasgow, established_on="1986")
    rostov_officer, glasgow_officer = make_press_officer(rostov), make_press_officer(glasgow)
    claims.make_claim(
        twinning, city=rostov, by=rostov_officer, state=TwinningState.SUSPENDED, date="2022-03",
        source=make_source(title="Решение городской думы № 12", url="https://rostov.example/duma/12"),
    )
    claims.make_claim(
        twinning, city=glasgow, by=glasgow_officer, state=TwinningState.ACTIVE,
        source=make_source(title="Glasgow City Council statement", url="https://glasgow.example/statement"),
    )
    return twinning


def test_both_conflicting_claims_are_kept_and_shown_side_by_side(client, disputed):
    html = client.get(disputed.get_absolute_url()).content.decode()

    (group,) = claims.open_claims(disputed)
    assert [(c.city.name, c.state, str(c.date) if c.date else None) for c in group.claims] == [
        ("Ростов-на-Дону", "suspended", "2022-03"), ("Glasgow", "active", None)
    ]
    assert group.disagree
    assert 'class="claims claims--disagree"' in html
    sides = html.split('class="claims__side"')[1:]
    assert ['Решение городской думы № 12' in sides[0], 'Glasgow City Council statement' in sides[1]] == [True, True]


def test_twinning_page_without_claims_reads_no_claims(client, django_assert_max_num_queries):
    twinning = make_twinning(established_on="1986")

    with django_assert_max_num_queries(20) as captured:
        html = client.get(twinning.get_absolute_url()).content.decode()

    assert [q["sql"] for q in captured.captured_queries if q["sql"].startswith('SELECT "twinning_claim".')] == []
    assert 'class="claims' not in html


def test_officer_claims_only_for_their_own_city(disputed):
    stranger = make_press_officer(make_city("Гомель"))

    with pytest.raises(PermissionDenied):
        claims.make_claim(disputed, city=disputed.city_a, by=stranger, state=TwinningState.ENDED)


def test_claim_must_come_from_a_side_of_the_twinning(disputed, superuser, english):
    with pytest.raises(ValidationError, match="one of the two cities"):
        claims.make_claim(disputed, city=make_city("Гомель"), by=superuser, state=TwinningState.ENDED)


def test_only_an_editor_accepts_a_claim_which_then_becomes_the_status(disputed, superuser):
    rostov_claim, glasgow_claim = Claim.objects.order_by("pk")
    officer = make_press_officer(disputed.city_a)

    with pytest.raises(PermissionDenied):
        claims.accept_claim(rostov_claim, by=officer)
    claims.accept_claim(rostov_claim, by=superuser)

    rostov_claim.refresh_from_db()
    glasgow_claim.refresh_from_db()
    assert (rostov_claim.accepted, glasgow_claim.accepted) == (True, False)
    assert Twinning.objects.with_status().get().status == TwinningStatus.SUSPENDED
    assert claims.open_claims(disputed) == []
    change = StatusChange.objects.get()
    assert (change.state, str(change.date), change.source.title) == ("suspended", "2022-03", "Решение городской думы № 12")


def test_accepting_a_date_claim_sets_the_establishment(superuser):
    azov, courbevoie = make_city("Азов"), make_city("Courbevoie", country="FR")
    twinning = make_twinning(azov, courbevoie, established_on="1998")
    ours = claims.make_claim(twinning, city=azov, by=superuser, subject=ClaimSubject.ESTABLISHED_ON, date="1998-05-10")
    claims.make_claim(twinning, city=courbevoie, by=superuser, subject=ClaimSubject.ESTABLISHED_ON, date="1999")

    claims.accept_claim(ours, by=superuser)

    twinning.refresh_from_db()
    assert (str(twinning.established_on), twinning.version) == ("1998-05-10", 2)


def test_admin_shows_both_claims_and_editor_accepts_with_an_action(admin_client, disputed):
    rostov_claim = Claim.objects.order_by("pk").first()

    change_page = admin_client.get(reverse("admin:twinning_twinning_change", args=[disputed.pk])).content.decode()
    admin_client.post(
        reverse("admin:twinning_claim_changelist"), {"action": "accept_selected", "_selected_action": [rostov_claim.pk]}
    )

    assert "Решение городской думы № 12" in change_page and "Glasgow City Council statement" in change_page
    assert list(Claim.objects.order_by("pk").values_list("accepted", flat=True)) == [True, False]


def test_admin_dashboard_counts_open_claims_for_the_office(client, disputed):
    client.force_login(make_press_officer(disputed.city_b))

    html = client.get(reverse("admin:index")).content.decode()

    assert f'<p data-open-claims="2"><a href="{reverse("admin:twinning_claim_changelist")}">' in html


# ---------------------------------------------------------------- kinds of the German database


def test_every_kind_counts_as_one_of_the_four_kinds_or_not_stated():
    twin_city = make_twinning(kind=TwinningKind.TWIN_CITY)
    cooperation = make_twinning(kind=TwinningKind.COOPERATION)

    assert set(KIND_GROUP) == set(TwinningKind)
    assert set(KIND_GROUP.values()) == {"partnership", "friendship", "contact", "project_partnership", "unknown"}
    assert (twin_city.kind_group, cooperation.kind_group) == (TwinningKind.PARTNERSHIP, TwinningKind.PROJECT_PARTNERSHIP)
