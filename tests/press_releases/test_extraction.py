import datetime
import json
import re
import time
from collections import Counter
from pathlib import Path

import pytest

from cities.models import GazetteerCity
from press_releases.extraction import extract
from tests.factories import make_twinning

pytestmark = pytest.mark.django_db

EXPECTED = Path(__file__).parent / "expected"
# The three shared releases, kept in the repository with the demo data so a clean clone can run this.
RELEASES = Path(__file__).resolve().parents[2] / "twinning" / "demo_sources"
EXPECTED_FILES = sorted(EXPECTED.glob("*.json"))


# ---------------------------------------------------------------- scoring against the expected files


def _words(text):
    return set(re.findall(r"\w+", (text or "").lower().replace("ё", "е")))


def _precision_recall(found, expected):
    """Multiset precision and recall of two lists of hashable items."""
    found, expected = Counter(found), Counter(expected)
    hits = sum((found & expected).values())
    precision = hits / sum(found.values()) if found else 1.0
    recall = hits / sum(expected.values()) if expected else 1.0
    return precision, recall


def _person_hits(found, expected):
    """A person counts when name and city match and the expected position's words are in the found one."""
    matched = 0
    for wanted in expected:
        if any(
            person["full_name"] == wanted["full_name"]
            and person["city"] == wanted["city"]
            and _words(wanted["position"]) <= _words(person["position"])
            for person in found
        ):
            matched += 1
    return (matched / len(found) if found else 1.0), (matched / len(expected) if expected else 1.0)


def _record_tuples(records, city_name):
    """Comparable tuples: the fields an officer would otherwise have to type."""
    tuples = []
    twinning = records.get("twinning")
    if twinning:
        tuples.append(("twinning", frozenset(twinning["cities"]), twinning["established_on"]))
    for agreement in records.get("agreements", []):
        tuples.append(("agreement", agreement["kind"], agreement["signed_on"], frozenset(agreement["parties"])))
    for delegation in records.get("delegations", []):
        tuples.append(("delegation", delegation["from"], delegation["to"], delegation["start_on"], delegation["end_on"]))
    for event in records.get("events", []):
        tuples.append(("event", event["kind"], event["start_on"], event["host"]))
    return tuples


def _found_as_expected_shape(proposals):
    """The proposals rewritten in the expected files' vocabulary (city names instead of keys)."""
    data = proposals.as_dict()
    names = {city["key"]: city["name"] for city in data["cities"]}
    organisation_city = {org["key"]: names.get(org["city"]) for org in data["organisations"]}
    persons = [
        {"full_name": p["full_name"], "position": p["position"], "city": names.get(p["city"])} for p in data["persons"]
    ]
    twinning = data["twinning"]
    records = {
        "twinning": twinning and {"cities": [names[twinning["city_a"]], names[twinning["city_b"]]], "established_on": twinning["established_on"]},
        "agreements": [
            {
                "kind": a["kind"],
                "signed_on": a["signed_on"],
                "parties": sorted({names[key] for key in a["party_cities"]} | {organisation_city[key] for key in a["party_organisations"]}),
                "spheres": a["spheres"],
            }
            for a in data["agreements"]
        ],
        "delegations": [
            {"from": names[d["from_city"]], "to": names[d["to_city"]], "start_on": d["start_on"], "end_on": d["end_on"]}
            for d in data["delegations"]
        ],
        "events": [{"kind": e["kind"], "start_on": e["start_on"], "host": names.get(e["host_city"])} for e in data["events"]],
    }
    return {
        "cities": [city["name"] for city in data["cities"]],
        "persons": persons,
        "dates": [(d["value"], d["end"]) for d in data["dates"]],
        "records": records,
    }


@pytest.mark.parametrize("expected_file", EXPECTED_FILES, ids=[path.stem for path in EXPECTED_FILES])
def test_shared_release_precision_and_recall(expected_file, nlp, registry):
    expected = json.loads(expected_file.read_text(encoding="utf-8"))
    text = (RELEASES / expected["release"]).read_text(encoding="utf-8")

    proposals = extract(text, published_on=datetime.date.fromisoformat(expected["published_on"]))
    found = _found_as_expected_shape(proposals)

    scores = {
        "cities": _precision_recall(found["cities"], expected["cities"]),
        "persons": _person_hits(found["persons"], expected["persons"]),
        "dates": _precision_recall(found["dates"], [(d["value"], d.get("end")) for d in expected["dates"]]),
        "records": _precision_recall(_record_tuples(found["records"], None), _record_tuples(expected["records"], None)),
    }
    for name, (precision, recall) in scores.items():
        print(f"{expected_file.stem} {name}: precision {precision:.2f} recall {recall:.2f}")
    assert scores["cities"][1] >= 0.9
    assert scores["dates"][1] >= 0.9
    assert scores["persons"][1] >= 0.8
    assert scores["records"][1] >= 0.8


def test_shared_release_agreement_spheres_and_delegation_head(nlp, registry):
    text = (RELEASES / "alchevsk-torez.txt").read_text(encoding="utf-8")

    proposals = extract(text, published_on=datetime.date(2019, 10, 30))

    treaty = proposals.agreements[0]
    assert sorted(treaty.spheres) == sorted(["culture", "trade", "industry", "science", "education", "sport", "heritage", "patriotic"])
    assert [proposals.persons[int(key.split(":")[1])].full_name for key in treaty.signatories] == ["Наталья Пяткова"]
    assert treaty.signed_at_event == proposals.events[0].key  # the Donetsk forum


def test_shared_releases_take_under_a_second_each_once_loaded(nlp, registry):
    texts = [path.read_text(encoding="utf-8") for path in sorted(RELEASES.glob("*.txt"))]
    extract(texts[0])  # warm caches (pymorphy's per-word cache, first queries)

    wall, cpu = [], []
    for text in texts:
        # Best of three: the machine is shared, and the figure is about the engine.
        runs = []
        for _ in range(3):
            started, started_cpu = time.perf_counter(), time.process_time()
            extract(text, published_on=datetime.date(2020, 1, 1))
            runs.append((time.perf_counter() - started, time.process_time() - started_cpu))
        wall.append(min(run[0] for run in runs))
        cpu.append(min(run[1] for run in runs))

    print("extraction seconds per release, wall:", ", ".join(f"{s:.3f}" for s in wall), "cpu:", ", ".join(f"{s:.3f}" for s in cpu))
    # CPU time, not wall time: parallel test workers and other jobs on the machine stretch the
    # wall clock; the work the engine does is what must stay under a second.
    assert max(cpu) < 1.0


# ---------------------------------------------------------------- texts written for these tests

NOVOPOLOTSK = (
    "С 28 февраля по 3 марта делегация города Новополоцка во главе с первым заместителем председателя "
    "Новополоцкого горисполкома Ольгой Ивановой находилась с рабочим визитом в Великом Новгороде. "
    "В ходе визита глава Великого Новгорода Сергей Петров и Ольга Иванова подписали соглашение о "
    "сотрудничестве в сфере образования, туризма и молодёжной политики. Город-побратим пригласил гостей "
    "из Новополоцка на открытие фотовыставки «Два города — одна история»."
)


def test_other_cities_inflections_and_a_date_range_across_months(nlp, registry):
    proposals = extract(NOVOPOLOTSK, published_on=datetime.date(2024, 3, 5))

    novopolotsk, novgorod = registry["Новополоцк"], registry["Великий Новгород"]
    assert [city.city_id for city in proposals.cities] == [novopolotsk.pk, novgorod.pk]
    assert [mention.text for mention in proposals.city(f"city:{novgorod.pk}").mentions] == ["Великом Новгороде", "Великого Новгорода"]
    assert [(d.value, d.end, d.mention.text) for d in proposals.dates] == [("2024-02-28", "2024-03-03", "С 28 февраля по 3 марта")]
    assert [(p.full_name, p.position) for p in proposals.persons] == [
        ("Ольга Иванова", "первый заместитель председателя Новополоцкого горисполкома"),
        ("Сергей Петров", "глава Великого Новгорода"),
    ]
    assert [p.city for p in proposals.persons] == [f"city:{novopolotsk.pk}", f"city:{novgorod.pk}"]
    [delegation] = proposals.delegations
    assert (delegation.from_city, delegation.to_city, delegation.start_on, delegation.end_on) == (
        f"city:{novopolotsk.pk}", f"city:{novgorod.pk}", "2024-02-28", "2024-03-03"
    )
    assert proposals.persons[0].key == delegation.head
    [agreement] = proposals.agreements
    assert (agreement.kind, agreement.spheres, agreement.during_delegation) == ("cooperation", ["education", "tourism", "youth"], True)
    assert agreement.party_cities == [f"city:{novopolotsk.pk}", f"city:{novgorod.pk}"]
    assert [(event.kind, event.title) for event in proposals.events] == [("exhibition", "Фотовыставка «Два города — одна история»")]


def test_existing_twinning_is_proposed_for_linking(nlp, registry):
    existing = make_twinning(registry["Великий Новгород"], registry["Новополоцк"])

    proposals = extract(NOVOPOLOTSK, published_on=datetime.date(2024, 3, 5))

    assert proposals.twinning.existing_id == existing.pk


def test_city_not_in_the_registry_is_found_in_the_gazetteer(nlp, registry):
    GazetteerCity.objects.create(
        geonames_id=622794,
        name="Salihorsk",
        ascii_name="Salihorsk",
        alternate_names="Soligorsk,Salihorsk,Солигорск,Салігорск",
        country="BY",
        latitude=52.79,
        longitude=27.54,
        population=102335,
    )
    text = (
        "Делегация Азова во главе с главой города Иваном Смирновым посетила город Солигорск 12 мая 2023 года. "
        "В Солигорске гости обсудили установление побратимских связей."
    )

    proposals = extract(text, published_on=datetime.date(2023, 5, 15))

    assert [(city.key, city.name, city.country) for city in proposals.cities] == [
        (f"city:{registry['Азов'].pk}", "Азов", "RU"),
        ("geo:622794", "Солигорск", "BY"),
    ]
    assert [m.text for m in proposals.cities[1].mentions] == ["Солигорск", "Солигорске"]
    [delegation] = proposals.delegations
    assert (delegation.from_city, delegation.to_city, delegation.start_on) == (f"city:{registry['Азов'].pk}", "geo:622794", "2023-05-12")
    assert (proposals.twinning.city_a, proposals.twinning.city_b, proposals.twinning.existing_id) == (
        f"city:{registry['Азов'].pk}", "geo:622794", None
    )


def test_release_without_twinning_proposes_no_records(nlp, registry):
    text = (
        "Администрация Азова сообщает: с 1 по 10 июня на улицах города пройдёт ремонт дорог. "
        "Глава города Азова Иван Кузнецов провёл совещание с подрядчиками. "
        "В субботу в Ростове-на-Дону состоится концерт, на который приглашены жители Азова."
    )

    proposals = extract(text, published_on=datetime.date(2024, 5, 20))

    assert [city.name for city in proposals.cities] == ["Азов", "Ростов-на-Дону"]
    assert [(p.full_name, p.position) for p in proposals.persons] == [("Иван Кузнецов", "Глава города Азова")]
    assert [(d.value, d.end) for d in proposals.dates] == [("2024-06-01", "2024-06-10")]
    assert (proposals.twinning, proposals.agreements, proposals.delegations, proposals.events) == (None, [], [], [])
    assert not proposals.has_records


def test_relative_day_resolves_against_the_publication_date(nlp, registry):
    text = "Вчера делегация Азова прибыла в Курбевуа, город-побратим."

    proposals = extract(text, published_on=datetime.date(2022, 3, 1))

    assert [(d.value, d.mention.text) for d in proposals.dates] == [("2022-02-28", "Вчера")]
    assert proposals.delegations[0].start_on == "2022-02-28"


def test_english_release(nlp, registry):
    text = (
        "On 12 May 2023 a delegation from Azov led by Mayor Ivan Smirnov visited Courbevoie, its twin town. "
        "The two cities signed a cooperation agreement in the fields of culture and education."
    )

    proposals = extract(text, published_on=datetime.date(2023, 5, 15))

    assert proposals.language == "en"
    assert [city.name for city in proposals.cities] == ["Азов", "Курбевуа"]
    assert [(p.full_name, p.position) for p in proposals.persons] == [("Ivan Smirnov", "Mayor")]
    [delegation] = proposals.delegations
    assert (delegation.start_on, delegation.head) == ("2023-05-12", proposals.persons[0].key)
    [agreement] = proposals.agreements
    assert (agreement.kind, agreement.spheres) == ("cooperation", ["culture", "education"])


def test_as_dict_is_json_ready(nlp, registry):
    proposals = extract(NOVOPOLOTSK, published_on=datetime.date(2024, 3, 5))

    data = json.loads(json.dumps(proposals.as_dict()))

    assert data["delegations"][0]["start_on"] == "2024-02-28"
    assert data["sentences"][0] == [0, NOVOPOLOTSK.index("Великом Новгороде.") + len("Великом Новгороде.")]


def test_extraction_reads_the_database_a_fixed_number_of_times(nlp, registry, django_assert_max_num_queries):
    text = (RELEASES / "baranovichi-kuznetsk.txt").read_text(encoding="utf-8")

    # City forms (aliases, names), gazetteer, gazetteer ids, cities with names (2), persons,
    # organisations, the pair's twinning: however many names and sentences the release has.
    with django_assert_max_num_queries(9):
        extract(text + "\n" + text, published_on=datetime.date(2025, 9, 24))
