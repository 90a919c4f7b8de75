"""Demo data: the three press releases in twinning/demo_sources/ as structured, published records.

Every fact in the releases becomes a row (city, organisation, person, position, twinning, status
change, agreement, party, signatory, delegation, programme item, joint event) citing the release
it comes from. Loading is idempotent: rows are found by natural keys (city GeoNames id or slug,
source title, agreement title and date, event title and start, ...) and saved only when a value
differs, so a second run changes nothing, not even the change history.
"""

from pathlib import Path

from django.db import transaction

from cities.models import City, CityName, Organisation, OrganisationKind, Person, Position
from events.models import Delegation, EventFormat, EventKind, JointEvent, ProgrammeItem
from twinning.models import (
    ActKind,
    Agreement,
    AgreementKind,
    AgreementParty,
    AgreementSignatory,
    Source,
    Sphere,
    StatusChange,
    Twinning,
    TwinningKind,
    TwinningState,
)
from twinning.records import Publication

SOURCES_DIR = Path(__file__).resolve().parent / "demo_sources"
PUBLISHED = {"publication": Publication.PUBLISHED}
# What load_demo writes, for reporting counts.
DEMO_MODELS = (
    City, CityName, Organisation, Person, Position, Source, Twinning, StatusChange,
    Agreement, AgreementParty, AgreementSignatory, Delegation, ProgrammeItem, JointEvent,
)


# ---------------------------------------------------------------- generic helpers
def _upsert(model, lookup, values=None):
    """The row matching `lookup`, created or updated to `values`; saved only when something differs."""
    values = values or {}
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        return model.objects.create(**lookup, **values)
    changed = [field for field, value in values.items() if getattr(obj, field) != value]
    if changed:
        for field in changed:
            setattr(obj, field, values[field])
        obj.save()
    return obj


def _cite(source, *records):
    for record in records:
        # add() signals even when the row exists, and simple-history would log an empty change.
        if not record.sources.filter(pk=source.pk).exists():
            record.sources.add(source)


def _source(*, title, publisher, published_on, file_name):
    return _upsert(
        Source,
        {"url": "", "title": title},
        {"publisher": publisher, "published_on": published_on, "text": (SOURCES_DIR / file_name).read_text()},
    )


def _city(*, slug, geonames_id, name, country, region, latitude, longitude, population, names, source):
    """A city found by GeoNames id (an importer may have created it) or slug; `names` are
    (name, language, is_primary) tuples."""
    city = City.objects.filter(geonames_id=geonames_id).first() or City.objects.filter(slug=slug).first()
    values = {
        "name": name,
        "country": country,
        "region": region,
        "latitude": latitude,
        "longitude": longitude,
        "population": population,
        "geonames_id": geonames_id,
        **PUBLISHED,
    }
    city = _upsert(City, {"pk": city.pk} if city else {"slug": slug}, values)
    for alias, language, is_primary in names:
        # Never steal the primary slot from a name someone else chose for this language.
        taken = city.names.filter(language=language, is_primary=True).exclude(name__iexact=alias).exists()
        existing = city.names.filter(name__iexact=alias, language=language).first()
        values = {"name": alias, "is_primary": is_primary and not taken}
        if existing:
            _upsert(CityName, {"pk": existing.pk}, values)
        else:
            CityName.objects.create(city=city, language=language, **values)
    _cite(source, city)
    return city


def _organisation(city, name, kind, source):
    organisation = _upsert(Organisation, {"city": city, "name": name}, {"kind": kind, **PUBLISHED})
    _cite(source, organisation)
    return organisation


def _person(city, full_name, full_name_en, source, *, position=None, organisation=None):
    person = _upsert(Person, {"city": city, "full_name": full_name}, {"full_name_en": full_name_en, **PUBLISHED})
    if position:
        _upsert(Position, {"person": person, "organisation": organisation, "title": position})
    _cite(source, person)
    return person


def _twinning(city, partner, source, **values):
    """The twinning of the pair, whichever order it was stored in."""
    existing = Twinning.objects.between(city, partner).first()
    lookup = {"pk": existing.pk} if existing else {"city_a": city, "city_b": partner}
    twinning = _upsert(Twinning, lookup, {**values, **PUBLISHED})
    _cite(source, twinning)
    return twinning


def _status_change(twinning, state, date, source, **values):
    return _upsert(StatusChange, {"twinning": twinning, "state": state, "date": date}, {**values, "source": source})


def _agreement(title, signed_on, source, *, parties, signatories=(), **values):
    """An agreement between `parties` (cities or organisations); `signatories` are
    (person, position_title, organisation) tuples."""
    agreement = _upsert(Agreement, {"title": title, "signed_on": signed_on}, {**values, **PUBLISHED})
    for party in parties:
        _upsert(AgreementParty, {"agreement": agreement, "city" if isinstance(party, City) else "organisation": party})
    for person, position_title, organisation in signatories:
        _upsert(
            AgreementSignatory,
            {"agreement": agreement, "person": person},
            {"position_title": position_title, "organisation": organisation},
        )
    _cite(source, agreement)
    return agreement


def _event(title, start_on, source, *, participants, organisations=(), **values):
    event = _upsert(JointEvent, {"title": title, "start_on": start_on}, {**values, **PUBLISHED})
    event.participants.set(participants)
    event.organisations.set(organisations)
    _cite(source, event)
    return event


def _delegation(from_city, to_city, start_on, source, *, organisations=(), programme=(), **values):
    """A visit; `programme` is a sequence of (description, place visited or None)."""
    delegation = _upsert(
        Delegation, {"from_city": from_city, "to_city": to_city, "start_on": start_on}, {**values, **PUBLISHED}
    )
    delegation.organisations.set(organisations)
    for order, (description, place) in enumerate(programme, start=1):
        _upsert(ProgrammeItem, {"delegation": delegation, "order": order}, {"description": description, "organisation": place})
    _cite(source, delegation)
    return delegation


# ---------------------------------------------------------------- Azov — Courbevoie
def _azov_courbevoie():
    # The release gives no date. It congratulates Courbevoie on the twinning anniversary
    # (24 October) and speaks of "this year's" Victory Day held remotely during the pandemic:
    # October 2020. The same reading dates the lessons of courage to May 2020.
    source = _source(
        title="Поздравление городу Курбевуа с Днём установления побратимских связей",
        publisher="Администрация города Азова",
        published_on="2020-10",
        file_name="azov-courbevoie.txt",
    )
    azov = _city(
        slug="azov",
        geonames_id=580054,
        name="Азов",
        country="RU",
        region="Ростовская область",
        latitude=47.1069,
        longitude=39.4149,
        population=82000,
        names=[("Азов", "ru", True), ("Azov", "en", True), ("Azov", "fr", True)],
        source=source,
    )
    courbevoie = _city(
        slug="courbevoie",
        geonames_id=3023141,
        name="Courbevoie",
        country="FR",
        region="Hauts-de-Seine",
        latitude=48.8967,
        longitude=2.2567,
        population=82000,
        names=[("Курбевуа", "ru", True), ("Courbevoie", "en", True), ("Courbevoie", "fr", True)],
        source=source,
    )

    administration = _organisation(azov, "Администрация города Азова", OrganisationKind.ADMINISTRATION, source)
    duma = _organisation(azov, "Азовская городская Дума", OrganisationKind.COUNCIL, source)
    college = _organisation(azov, "Азовское профессиональное училище № 45", OrganisationKind.COLLEGE, source)
    # The release does not say where the association is registered; it is filed under Azov,
    # whose administration reports its creation.
    association = _organisation(azov, "Ассоциация «Диалог Азов — Курбевуа»", OrganisationKind.ASSOCIATION, source)
    _person(
        azov,
        "Владимир Валерьевич Ращупкин",
        "Vladimir Rashchupkin",
        source,
        position="Глава Администрации города Азова",
        organisation=administration,
    )
    _person(
        azov,
        "Евгений Владимирович Карасев",
        "Yevgeny Karasev",
        source,
        position="Председатель городской Думы – глава города Азова",
        organisation=duma,
    )

    twinning = _twinning(
        azov,
        courbevoie,
        source,
        kind=TwinningKind.TWIN_CITY,
        established_on="2018-10-24",
        description=(
            "Долгосрочное партнёрство и дружеские побратимские связи: торговля, экономическое и гуманитарное "
            "сотрудничество; социально-экономическое, туристическое, культурное и патриотическое взаимодействие "
            "между учебными заведениями, установлены прямые связи между ними. Во время пандемии взаимодействие "
            "идёт в онлайн-формате."
        ),
    )
    treaty_title = "Соглашение об установлении долгосрочного партнёрства и дружеских побратимских связей"
    _status_change(twinning, TwinningState.TREATY, "2018-10-24", source, act=ActKind.TREATY, act_title=treaty_title)
    _agreement(
        treaty_title,
        "2018-10-24",
        source,
        parties=[azov, courbevoie],
        kind=AgreementKind.TWINNING_TREATY,
        spheres=[Sphere.TRADE, Sphere.ECONOMY, Sphere.HUMANITARIAN],
        twinning=twinning,
    )
    _agreement(
        "Соглашение о гуманитарном сотрудничестве",
        None,  # signed after the treaty; the release gives no date
        source,
        parties=[azov, courbevoie],
        kind=AgreementKind.HUMANITARIAN,
        spheres=[Sphere.HUMANITARIAN],
        twinning=twinning,
    )

    both = [azov, courbevoie]
    _event(
        "Перекрёстные фотовыставки Азова и Курбевуа",
        None,
        source,
        participants=both,
        kind=EventKind.EXHIBITION,
        twinning=twinning,
        description="Азовчане увидели в экспозиции виды города Курбевуа.",
    )
    _event(
        "Видеоконференции Азова и Курбевуа",
        None,
        source,
        participants=both,
        kind=EventKind.VIDEO_CONFERENCE,
        format=EventFormat.ONLINE,
        twinning=twinning,
    )
    _event(
        "Открытые уроки для учащихся Азовского профессионального училища № 45",
        None,
        source,
        participants=both,
        organisations=[college],
        kind=EventKind.LESSONS,
        twinning=twinning,
        description=(
            "Проведены со стороны Курбевуа: об участии Франции во Второй мировой войне и роли полка "
            "«Нормандия — Неман»."
        ),
    )
    _event(
        "Уроки мужества в честь Дня Победы",
        "2020-05",
        source,
        participants=both,
        kind=EventKind.LESSONS,
        format=EventFormat.ONLINE,
        twinning=twinning,
        description=(
            "Тематические уроки мужества в форме дистанционных переговоров, обмен сочинениями и фотографиями "
            "о Великой Отечественной войне."
        ),
    )
    _event(
        "Создание генеральной ассамблеи Ассоциации «Диалог Азов — Курбевуа»",
        None,
        source,
        participants=both,
        organisations=[association],
        kind=EventKind.MEETING,
        format=EventFormat.ONLINE,
        twinning=twinning,
    )
    # Azov's 950th anniversary (founded 1067) was celebrated in 2017; the Victory Day visit has no year.
    _delegation(
        courbevoie,
        azov,
        "2017",
        source,
        twinning=twinning,
        purpose="Участие в официальных торжественных мероприятиях в дни празднования 950-летия г. Азова.",
    )
    _delegation(
        courbevoie,
        azov,
        None,
        source,
        twinning=twinning,
        purpose="Участие в официальных торжественных мероприятиях в честь Дня Победы.",
    )


# ---------------------------------------------------------------- Alchevsk — Torez
def _alchevsk_torez():
    # "Вчера, 29 октября" dates the release to the next day.
    source = _source(
        title="Алчевск стал городом-побратимом Тореза Донецкой Народной Республики",
        publisher="Управление информационной политики",
        published_on="2019-10-30",
        file_name="alchevsk-torez.txt",
    )
    # Region is recorded as the source states it; country is the ISO 3166 code of the
    # internationally recognised state.
    alchevsk = _city(
        slug="alchevsk",
        geonames_id=713716,
        name="Алчевск",
        country="UA",
        region="Луганская Народная Республика",
        latitude=48.4691,
        longitude=38.7974,
        population=106000,
        names=[
            ("Алчевск", "ru", True),
            ("Alchevsk", "en", True),
            ("Алчевськ", "uk", True),
            ("Ворошиловск", "ru", False),  # 1931–1961
            ("Коммунарск", "ru", False),  # 1961–1991
        ],
        source=source,
    )
    torez = _city(
        slug="torez",
        geonames_id=691374,
        name="Торез",
        country="UA",
        region="Донецкая Народная Республика",
        latitude=48.0388,
        longitude=38.5969,
        population=53000,
        # Ukraine renamed the city Chystiakove in 2016; kept as aliases so sources using either name find it.
        names=[
            ("Торез", "ru", True),
            ("Torez", "en", True),
            ("Чистякове", "uk", False),
            ("Chystiakove", "en", False),
            ("Chystyakove", "en", False),
            ("Чистяково", "ru", False),  # until 1964
        ],
        source=source,
    )
    donetsk = _city(
        slug="donetsk",
        geonames_id=709717,
        name="Донецк",
        country="UA",
        region="Донецкая Народная Республика",
        latitude=48.0230,
        longitude=37.8022,
        population=900000,
        names=[("Донецк", "ru", True), ("Donetsk", "en", True), ("Донецьк", "uk", True)],
        source=source,
    )

    alchevsk_administration = _organisation(
        alchevsk, "Администрация города Алчевска", OrganisationKind.ADMINISTRATION, source
    )
    torez_administration = _organisation(torez, "Администрация города Тореза", OrganisationKind.ADMINISTRATION, source)
    rehabilitation_centre = _organisation(
        alchevsk, "Алчевский центр социальной реабилитации детей-инвалидов", OrganisationKind.SOCIAL, source
    )
    culture_centre = _organisation(
        alchevsk, "Алчевский центр культуры и народного творчества", OrganisationKind.CULTURAL_CENTRE, source
    )
    palace_of_culture = _organisation(
        torez, "Дворец культуры им. В. Маяковского", OrganisationKind.CULTURAL_CENTRE, source
    )
    pyatkova = _person(
        alchevsk,
        "Наталья Пяткова",
        "Natalya Pyatkova",
        source,
        position="Глава Администрации города Алчевска",
        organisation=alchevsk_administration,
    )
    _person(
        torez,
        "Дмитрий Лысенко",
        "Dmitry Lysenko",
        source,
        position="Глава города Тореза",
        organisation=torez_administration,
    )

    twinning = _twinning(
        alchevsk,
        torez,
        source,
        kind=TwinningKind.TWIN_CITY,
        relations_since="2016",
        established_on="2019-10-29",
        description="По итогам Донецкого форума намечены встречи для подготовки плана сотрудничества на 2020 год.",
    )
    agreement_title = "Соглашение об установлении побратимских связей"
    _status_change(twinning, TwinningState.CONTACT, "2016", source)  # cooperation began with the 2016 festival
    _status_change(
        twinning, TwinningState.TREATY, "2019-10-29", source, act=ActKind.TREATY, act_title=agreement_title
    )
    forum = _event(
        "Донецкий международный инвестиционный форум",
        "2019-10",  # the release dates only the signing day, not the whole forum
        source,
        participants=[donetsk, alchevsk, torez],
        kind=EventKind.FORUM,
        host_city=donetsk,
        description="Соглашение подписано в рамках работы секции «Донбасс и регионы России».",
    )
    _agreement(
        agreement_title,
        "2019-10-29",
        source,
        parties=[alchevsk, torez],
        signatories=[(pyatkova, "Глава Администрации города Алчевска", alchevsk_administration)],
        kind=AgreementKind.TWINNING_TREATY,
        signed_in=donetsk,
        signed_at_event=forum,
        spheres=[
            Sphere.CULTURE,
            Sphere.TRADE,
            Sphere.INDUSTRY,
            Sphere.SCIENCE,
            Sphere.EDUCATION,
            Sphere.SPORT,
            Sphere.HERITAGE,
        ],
        twinning=twinning,
        summary=(
            "Сотрудничество двух муниципальных образований в сфере культуры, торговли, промышленности, науки, "
            "образования, спорта, обмена историко-культурным и патриотическим наследием."
        ),
    )

    both = [alchevsk, torez]
    _event(
        "Первый творческий фестиваль детей с ограниченными возможностями",
        "2016",
        source,
        participants=both,
        organisations=[palace_of_culture, rehabilitation_centre],
        kind=EventKind.FESTIVAL,
        host_city=torez,
        twinning=twinning,
        description="Во Дворце культуры им. В. Маяковского; участвовали воспитанники Алчевского центра социальной реабилитации детей-инвалидов.",
    )
    _event(
        "Выступления коллективов Алчевского центра культуры и народного творчества в Торезе",
        "2017",
        source,
        end_on="2018",
        participants=both,
        organisations=[culture_centre],
        kind=EventKind.CONCERT,
        host_city=torez,
        twinning=twinning,
        description="Вокальные и хореографические коллективы на творческих площадках Тореза.",
    )
    _event(
        "Республиканский фестиваль-конкурс «Луганский край – казачий край»",
        "2018-04",
        source,
        participants=both,
        organisations=[palace_of_culture],
        kind=EventKind.FESTIVAL,
        host_city=alchevsk,
        twinning=twinning,
        description="С ответным визитом в Алчевск приехали вокалисты Торезского ДК им. В. Маяковского.",
    )
    _event(
        "Обмен творческими делегациями Алчевска и Тореза",
        "2019",
        source,
        participants=both,
        kind=EventKind.EXCHANGE,
        twinning=twinning,
    )


# ---------------------------------------------------------------- Baranovichi — Kuznetsk
def _baranovichi_kuznetsk():
    # The release names no year: Kuznetsk (founded 1780) turned 245 in 2025.
    source = _source(
        title="Рабочий визит делегации города Барановичи в город-побратим Кузнецк",
        publisher="Барановичский горисполком",
        published_on="2025-09",
        file_name="baranovichi-kuznetsk.txt",
    )
    baranovichi = _city(
        slug="baranovichi",
        geonames_id=630429,
        name="Барановичи",
        country="BY",
        region="Брестская область",
        latitude=53.1326,
        longitude=26.0078,
        population=170000,
        names=[
            ("Барановичи", "ru", True),
            ("Baranovichi", "en", True),
            ("Баранавічы", "be", True),
            ("Baranavichy", "be", False),  # Belarusian romanisation, common in English too
        ],
        source=source,
    )
    kuznetsk = _city(
        slug="kuznetsk",
        geonames_id=537737,
        name="Кузнецк",
        country="RU",
        region="Пензенская область",
        latitude=53.1168,
        longitude=46.6004,
        population=80000,
        names=[("Кузнецк", "ru", True), ("Kuznetsk", "en", True)],
        source=source,
    )

    executive_committee = _organisation(
        baranovichi, "Барановичский горисполком", OrganisationKind.EXECUTIVE_COMMITTEE, source
    )
    gymnasium = _organisation(baranovichi, "Гимназия № 5 г. Барановичи", OrganisationKind.GYMNASIUM, source)
    lyceum = _organisation(kuznetsk, "Кузнецкий лицей № 21", OrganisationKind.LYCEUM, source)
    library_system = _organisation(
        baranovichi, "Централизованная библиотечная система г. Барановичи", OrganisationKind.LIBRARY, source
    )
    library = _organisation(
        kuznetsk, "Кузнецкая центральная городская библиотека им. А. Н. Радищева", OrganisationKind.LIBRARY, source
    )
    school_1 = _organisation(
        baranovichi, "Средняя школа № 1 г. Барановичи им. С. И. Грицевца", OrganisationKind.SCHOOL, source
    )
    school_17 = _organisation(
        kuznetsk, "Средняя общеобразовательная школа № 17 г. Кузнецка им. Ю. А. Гагарина", OrganisationKind.SCHOOL, source
    )
    local_museum = _organisation(baranovichi, "Барановичский краеведческий музей", OrganisationKind.MUSEUM, source)
    museum_centre = _organisation(kuznetsk, "Кузнецкий музейно-выставочный центр", OrganisationKind.MUSEUM, source)
    deputy = "заместитель председателя горисполкома"
    shcherbakov = _person(
        baranovichi, "Вадим Щербаков", "Vadim Shcherbakov", source, position=deputy, organisation=executive_committee
    )
    _person(
        baranovichi,
        "Максим Антонюк",
        "Maxim Antonyuk",
        source,
        position="председатель Барановичского горисполкома",
        organisation=executive_committee,
    )

    twinning = _twinning(baranovichi, kuznetsk, source, kind=TwinningKind.TWIN_CITY)
    both = [baranovichi, kuznetsk]
    _event(
        "Праздник города Кузнецка, посвящённый 245-летию",
        "2025-09",  # opened during the visit of 18–21 September
        source,
        participants=both,
        kind=EventKind.CITY_DAY,
        host_city=kuznetsk,
        twinning=twinning,
        description=(
            "Делегация из Барановичей участвовала в праздничных мероприятиях; зачитан приветственный адрес "
            "председателя Барановичского горисполкома Максима Антонюка. Завершение культурной программы — "
            "концертное выступление Дианы Лугиной, уроженки Барановичей."
        ),
    )
    delegation = _delegation(
        baranovichi,
        kuznetsk,
        "2025-09-18",
        source,
        end_on="2025-09-21",
        head=shcherbakov,
        head_position=deputy,
        twinning=twinning,
        organisations=[executive_committee, gymnasium, library_system],
        purpose=(
            "Рабочий визит: обмен опытом и поиск направлений сотрудничества в промышленности, образовании, "
            "культуре, спорте и бизнесе; участие в празднике города к 245-летию Кузнецка."
        ),
        outcome=(
            "Подписаны два договора о партнёрском сотрудничестве между учреждениями; намечены совместные проекты "
            "в области промышленности, образования, культуры и бизнеса."
        ),
        programme=[
            ("Посещение производственных предприятий Кузнецка: передовые технологии, обмен опытом", None),
            ("Посещение социальных учреждений Кузнецка: системы образования, культуры и спорта", None),
            ("Официальная встреча делегаций, подписание договоров о партнёрском сотрудничестве", None),
            ("Торжественное открытие праздника города к 245-летию Кузнецка", None),
            ("Концертное выступление Дианы Лугиной", None),
        ],
    )
    for title, parties, spheres in [
        (
            "Договор о партнёрском сотрудничестве между гимназией № 5 г. Барановичи и Кузнецким лицеем № 21",
            [gymnasium, lyceum],
            [Sphere.EDUCATION],
        ),
        (
            "Договор о партнёрском сотрудничестве между централизованной библиотечной системой г. Барановичи "
            "и Кузнецкой центральной городской библиотекой им. А. Н. Радищева",
            [library_system, library],
            [Sphere.CULTURE],
        ),
    ]:
        _agreement(
            title,
            "2025-09",  # at the official meeting during the visit; the day is not given
            source,
            parties=parties,
            kind=AgreementKind.INSTITUTIONAL,
            signed_in=kuznetsk,
            delegation=delegation,
            twinning=twinning,
            spheres=spheres,
        )
    # Ongoing cooperation the release mentions without a signed document or a date.
    for title, organisations, spheres_text in [
        ("Проекты сотрудничества средней школы № 1 г. Барановичи и СОШ № 17 г. Кузнецка", [school_1, school_17], "образование"),
        ("Проекты сотрудничества Барановичского краеведческого музея и Кузнецкого музейно-выставочного центра", [local_museum, museum_centre], "культура"),
    ]:
        _event(
            title,
            None,
            source,
            participants=both,
            organisations=organisations,
            kind=EventKind.OTHER,
            twinning=twinning,
            description=f"Успешно реализуемые проекты сотрудничества ({spheres_text}); действовали на сентябрь 2025 года.",
        )


@transaction.atomic
def load_demo():
    """Create or update every demo record; safe to run any number of times."""
    _azov_courbevoie()
    _alchevsk_torez()
    _baranovichi_kuznetsk()
