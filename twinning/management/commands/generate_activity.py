"""Synthetic activity on top of the imported twinnings, for `make bench`.

The open data holds pairs only. A registry in use also holds agreements, delegations and joint
events, and one city with very many partners, which is what makes pages and exports heavy. This
command tops the registry up to those numbers with reproducible (seeded) random records, all
published, written with bulk inserts. Running it again adds nothing once the numbers are reached.

Bulk inserts skip save() and signals: no history rows are written for generated records, and
the data version is bumped at the end so no page cached before the run is served stale.
"""

import random
import time
from datetime import date, timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from cities.models import City
from events.models import Delegation, EventFormat, EventKind, JointEvent
from twinning.models import Agreement, AgreementKind, AgreementParty, Sphere, Twinning, TwinningKind
from twinning.page_cache import data_changed
from twinning.records import Publication

BATCH = 2000

AGREEMENT_TITLES = [
    "Соглашение о сотрудничестве между городами {a} и {b}",
    "Соглашение о побратимских связях {a} и {b}",
    "Меморандум о взаимопонимании: {a} — {b}",
    "Протокол о намерениях по развитию сотрудничества {a} и {b}",
    "План мероприятий по сотрудничеству {a} и {b} на {year} год",
]
DELEGATION_PURPOSES = [
    "Официальный визит делегации {a} в {b}: встреча с руководством города.",
    "Участие делегации {a} в праздновании Дня города {b}.",
    "Обмен опытом в сфере образования и культуры между {a} и {b}.",
    "Переговоры о расширении торгово-экономического сотрудничества {a} и {b}.",
]
EVENT_TITLES = [
    "Дни культуры {a} в {b}",
    "Молодёжный форум городов-побратимов {a} и {b}",
    "Выставка «{a} и {b}: история дружбы»",
    "Спортивный турнир городов-побратимов {a} — {b}",
    "Видеоконференция администраций {a} и {b}",
]


def busiest_city_id():
    """The id of the city in most twinnings (ties: the lowest id), or None without twinnings."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT city_id FROM (
                SELECT city_a_id AS city_id FROM {Twinning._meta.db_table}
                UNION ALL SELECT city_b_id FROM {Twinning._meta.db_table}
            ) AS sides GROUP BY city_id ORDER BY count(*) DESC, city_id LIMIT 1
            """
        )
        row = cursor.fetchone()
    return row[0] if row else None


class Command(BaseCommand):
    help = (
        "Generate reproducible synthetic agreements, delegations and joint events (and partners for the busiest "
        "city) on top of imported twinnings, for benchmarking."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=20240917, help="Random seed (same seed, same records).")
        parser.add_argument("--partners", type=int, default=200, help="Partners the busiest city should have.")
        parser.add_argument("--agreements", type=int, default=20000, help="Agreements the registry should hold.")
        parser.add_argument("--delegations", type=int, default=20000, help="Delegations the registry should hold.")
        parser.add_argument("--events", type=int, default=20000, help="Joint events the registry should hold.")

    def handle(self, *args, seed, partners, agreements, delegations, events, **options):
        started = time.monotonic()
        rng = random.Random(seed)
        self.now = timezone.now()
        city_names = dict(City.objects.published().values_list("id", "name"))
        if len(city_names) <= partners:
            raise CommandError(
                f"Only {len(city_names)} published cities: import the open data first (manage.py import_twinnings)."
            )
        with transaction.atomic():
            busiest, added_partners = self._give_busiest_city_partners(rng, city_names, partners)
            pairs = list(Twinning.objects.published().order_by("id").values_list("id", "city_a_id", "city_b_id"))
            made_agreements = self._agreements(rng, pairs, city_names, agreements - Agreement.objects.count())
            made_delegations = self._delegations(rng, pairs, city_names, delegations - Delegation.objects.count())
            made_events = self._events(rng, pairs, city_names, events - JointEvent.objects.count())
        data_changed()
        self.stdout.write(
            f"Busiest city: {city_names[busiest]} (id {busiest}), {added_partners} partners added; "
            f"{made_agreements} agreements, {made_delegations} delegations, {made_events} events added "
            f"in {time.monotonic() - started:.1f} s."
        )

    # ------------------------------------------------------------------ helpers

    def _published(self):
        return {"publication": Publication.PUBLISHED, "published_at": self.now}

    @staticmethod
    def _date(rng):
        """A partial date as sources give them: mostly a day, sometimes a month or a year only."""
        day = date(2000, 1, 1) + timedelta(days=rng.randrange(9000))
        precision = rng.random()
        return day.isoformat() if precision < 0.8 else day.isoformat()[:7] if precision < 0.95 else str(day.year)

    def _give_busiest_city_partners(self, rng, city_names, partners):
        """The city with most twinnings gets partners until it has `partners` of them."""
        busiest = busiest_city_id()
        if busiest is None:
            raise CommandError("No twinnings: import the open data first (manage.py import_twinnings).")
        current = set()
        for city_a, city_b in Twinning.objects.filter(Q(city_a=busiest) | Q(city_b=busiest)).values_list("city_a", "city_b"):
            current.add(city_b if city_a == busiest else city_a)
        candidates = sorted(set(city_names) - current - {busiest})
        new_partners = rng.sample(candidates, max(0, partners - len(current)))
        Twinning.objects.bulk_create(
            [
                Twinning(
                    city_a_id=busiest,
                    city_b_id=partner,
                    kind=rng.choice(TwinningKind.values),
                    established_on=self._date(rng),
                    **self._published(),
                )
                for partner in new_partners
            ],
            batch_size=BATCH,
        )
        return busiest, len(new_partners)

    def _agreements(self, rng, pairs, city_names, count):
        if count <= 0:
            return 0
        agreements = []
        for _ in range(count):
            twinning_id, city_a, city_b = rng.choice(pairs)
            signed_on = self._date(rng)
            agreements.append(
                Agreement(
                    title=rng.choice(AGREEMENT_TITLES).format(a=city_names[city_a], b=city_names[city_b], year=signed_on[:4]),
                    kind=rng.choice(AgreementKind.values),
                    signed_on=signed_on,
                    signed_in_id=rng.choice((city_a, city_b)),
                    spheres=rng.sample(Sphere.values, rng.randint(1, 3)),
                    twinning_id=twinning_id,
                    term_years=rng.choice((None, 3, 5, 10)),
                    **self._published(),
                )
            )
        created = Agreement.objects.bulk_create(agreements, batch_size=BATCH)
        twinning_cities = {twinning_id: (city_a, city_b) for twinning_id, city_a, city_b in pairs}
        AgreementParty.objects.bulk_create(
            [
                AgreementParty(agreement_id=agreement.pk, city_id=city)
                for agreement in created
                for city in twinning_cities[agreement.twinning_id]
            ],
            batch_size=BATCH,
        )
        return len(created)

    def _delegations(self, rng, pairs, city_names, count):
        if count <= 0:
            return 0
        delegations = []
        for _ in range(count):
            twinning_id, city_a, city_b = rng.choice(pairs)
            from_city, to_city = (city_a, city_b) if rng.random() < 0.5 else (city_b, city_a)
            delegations.append(
                Delegation(
                    from_city_id=from_city,
                    to_city_id=to_city,
                    start_on=self._date(rng),
                    members_count=rng.randint(2, 40),
                    purpose=rng.choice(DELEGATION_PURPOSES).format(a=city_names[from_city], b=city_names[to_city]),
                    twinning_id=twinning_id,
                    **self._published(),
                )
            )
        return len(Delegation.objects.bulk_create(delegations, batch_size=BATCH))

    def _events(self, rng, pairs, city_names, count):
        if count <= 0:
            return 0
        events, participants = [], []
        for _ in range(count):
            twinning_id, city_a, city_b = rng.choice(pairs)
            host, guest = (city_a, city_b) if rng.random() < 0.5 else (city_b, city_a)
            events.append(
                JointEvent(
                    title=rng.choice(EVENT_TITLES).format(a=city_names[guest], b=city_names[host]),
                    kind=rng.choice(EventKind.values),
                    format=rng.choice(EventFormat.values),
                    start_on=self._date(rng),
                    host_city_id=host,
                    participants_count=rng.randint(10, 500),
                    twinning_id=twinning_id,
                    **self._published(),
                )
            )
            participants.append((host, guest))
        created = JointEvent.objects.bulk_create(events, batch_size=BATCH)
        Participant = JointEvent.participants.through
        Participant.objects.bulk_create(
            [
                Participant(jointevent_id=event.pk, city_id=city)
                for event, cities in zip(created, participants, strict=True)
                for city in cities
            ],
            batch_size=BATCH,
        )
        return len(created)
