"""Every keyword list the press-release assistant matches against, Russian and English, in one place.

Russian entries are lemmas (dictionary forms, lower case, "ё" written as "е"): the engine compares
them with the lemmas natasha gives each word, so "соглашения", "соглашением" and "соглашение"
all hit "соглашение". English entries are lower-case word stems matched at the start of a word.
Tuples are searched in order: put the more specific phrase first. In a Russian entry "x*" matches
lemmas starting with x, "*x" ending with x and "*x*" containing x; words separated by a space must
follow each other.
"""

from cities.models import OrganisationKind
from events.models import EventFormat, EventKind
from twinning.models import AgreementKind, Sphere, TwinningKind

# ---------------------------------------------------------------- twinning
# Lemmas (or lemma prefixes ending in "*") that show the text is about a twin-city relationship.
TWINNING_WORDS_RU = ("*побратим*", "породнение", "породниться", "город-партнер", "города-партнер*", "партнерство", "дружественный")
TWINNING_WORDS_EN = ("twin town", "twin cit", "twinning", "sister cit", "partner cit", "partnership", "friendship")

# What kind of relationship the wording suggests: first match wins.
TWINNING_KIND_WORDS = (
    ("*побратим*", TwinningKind.TWIN_CITY),
    ("twin", TwinningKind.TWIN_CITY),
    ("sister cit", TwinningKind.TWIN_CITY),
    ("партнер*", TwinningKind.PARTNER_CITY),
    ("partner", TwinningKind.PARTNER_CITY),
    ("дружественный", TwinningKind.FRIENDSHIP),
    ("friendship", TwinningKind.FRIENDSHIP),
)

# ---------------------------------------------------------------- agreements
AGREEMENT_WORDS_RU = ("соглашение", "договор", "меморандум", "протокол", "договоренность", "хартия")
AGREEMENT_WORDS_EN = ("agreement", "treaty", "memorandum", "protocol", "charter")
SIGNING_WORDS_RU = ("подписать", "подписание", "подписанный", "подписывать", "заключить", "заключение", "заключенный", "скрепить")
SIGNING_WORDS_EN = ("sign", "conclud", "seal")

# Phrase lemmas near the agreement word -> kind. The first that appears in the clause wins.
AGREEMENT_KIND_WORDS = (
    ("протокол о намерение", AgreementKind.PROTOCOL_OF_INTENT),
    ("protocol of intent", AgreementKind.PROTOCOL_OF_INTENT),
    ("меморандум", AgreementKind.MEMORANDUM),
    ("memorandum", AgreementKind.MEMORANDUM),
    ("побратимский", AgreementKind.TWINNING_TREATY),
    ("побратимство", AgreementKind.TWINNING_TREATY),
    ("породнение", AgreementKind.TWINNING_TREATY),
    ("twin", AgreementKind.TWINNING_TREATY),
    ("sister cit", AgreementKind.TWINNING_TREATY),
    ("гуманитарный", AgreementKind.HUMANITARIAN),
    ("humanitarian", AgreementKind.HUMANITARIAN),
    ("отдых", AgreementKind.CHILDREN_RECREATION),
    ("оздоровление", AgreementKind.CHILDREN_RECREATION),
    ("recreation", AgreementKind.CHILDREN_RECREATION),
)

# ---------------------------------------------------------------- spheres
# Lemma (or English stem) -> Sphere. "в сфере культуры, торговли, промышленности, науки…"
SPHERE_WORDS = {
    "культура": Sphere.CULTURE,
    "культурный": Sphere.CULTURE,
    "торговля": Sphere.TRADE,
    "промышленность": Sphere.INDUSTRY,
    "производство": Sphere.INDUSTRY,
    "промышленный": Sphere.INDUSTRY,
    "наука": Sphere.SCIENCE,
    "научный": Sphere.SCIENCE,
    "образование": Sphere.EDUCATION,
    "образовательный": Sphere.EDUCATION,
    "спорт": Sphere.SPORT,
    "спортивный": Sphere.SPORT,
    "туризм": Sphere.TOURISM,
    "туристический": Sphere.TOURISM,
    "молодежь": Sphere.YOUTH,
    "молодежный": Sphere.YOUTH,
    "здравоохранение": Sphere.HEALTHCARE,
    "медицина": Sphere.HEALTHCARE,
    "наследие": Sphere.HERITAGE,
    "историко-культурный": Sphere.HERITAGE,
    "экономика": Sphere.ECONOMY,
    "экономический": Sphere.ECONOMY,
    "социально-экономический": Sphere.ECONOMY,
    "бизнес": Sphere.ECONOMY,
    "гуманитарный": Sphere.HUMANITARIAN,
    "социальный": Sphere.SOCIAL,
    "патриотический": Sphere.PATRIOTIC,
    "экология": Sphere.ENVIRONMENT,
    "экологический": Sphere.ENVIRONMENT,
    "culture": Sphere.CULTURE,
    "cultural": Sphere.CULTURE,
    "trade": Sphere.TRADE,
    "industr": Sphere.INDUSTRY,
    "science": Sphere.SCIENCE,
    "scientific": Sphere.SCIENCE,
    "education": Sphere.EDUCATION,
    "sport": Sphere.SPORT,
    "touris": Sphere.TOURISM,
    "youth": Sphere.YOUTH,
    "health": Sphere.HEALTHCARE,
    "heritage": Sphere.HERITAGE,
    "econom": Sphere.ECONOMY,
    "business": Sphere.ECONOMY,
    "humanitarian": Sphere.HUMANITARIAN,
    "social": Sphere.SOCIAL,
    "environment": Sphere.ENVIRONMENT,
}
# Words that introduce a list of spheres; only then are sphere words read as spheres.
SPHERE_CUES_RU = ("сфера", "область", "направление", "сотрудничество", "взаимодействие", "развитие", "предусматривать")
SPHERE_CUES_EN = ("field", "area", "sphere", "cooperation", "co-operation")

# ---------------------------------------------------------------- delegations
DELEGATION_WORDS_RU = ("делегация", "визит")
DELEGATION_WORDS_EN = ("delegation", "visit")
# A verb that makes a delegation sentence an actual visit, not talk about visits in general.
VISIT_VERBS_RU = ("совершить", "посетить", "прибыть", "приехать", "побывать", "пожаловать", "находиться", "посещать", "принимать", "принять", "встретить")
VISIT_VERBS_EN = ("visited", "paid", "arrived", "came", "travelled", "traveled", "hosted", "welcomed", "received")
# Lemmas after which a person heads the delegation: "во главе с заместителем председателя…"
DELEGATION_HEAD_CUES_RU = ("в глава с", "возглавить", "возглавлять", "возглавляемый")
DELEGATION_HEAD_CUES_EN = ("led by", "headed by")

# ---------------------------------------------------------------- joint events
# Lemma (or lemma prefix ending in "*") -> event kind. Specific words before general ones.
EVENT_KIND_WORDS = (
    ("видеоконференция", EventKind.VIDEO_CONFERENCE),
    ("видеомост", EventKind.VIDEO_CONFERENCE),
    ("телемост", EventKind.VIDEO_CONFERENCE),
    ("video conferenc*", EventKind.VIDEO_CONFERENCE),
    ("videoconferenc*", EventKind.VIDEO_CONFERENCE),
    ("фотовыставка", EventKind.EXHIBITION),
    ("выставка", EventKind.EXHIBITION),
    ("экспозиция", EventKind.EXHIBITION),
    ("exhibition", EventKind.EXHIBITION),
    ("форум", EventKind.FORUM),
    ("forum", EventKind.FORUM),
    ("фестиваль*", EventKind.FESTIVAL),
    ("festival", EventKind.FESTIVAL),
    ("концерт", EventKind.CONCERT),
    ("концертный", EventKind.CONCERT),
    ("concert", EventKind.CONCERT),
    ("конференция", EventKind.CONFERENCE),
    ("conference", EventKind.CONFERENCE),
    ("урок", EventKind.LESSONS),
    ("lesson", EventKind.LESSONS),
    ("турнир", EventKind.SPORTS),
    ("соревнование", EventKind.SPORTS),
    ("спартакиада", EventKind.SPORTS),
    ("tournament", EventKind.SPORTS),
    ("день город", EventKind.CITY_DAY),
    ("праздник город", EventKind.CITY_DAY),
    ("*-лети*", EventKind.CITY_DAY),
    ("юбилей", EventKind.CITY_DAY),
    ("city day", EventKind.CITY_DAY),
    ("anniversary", EventKind.CITY_DAY),
    ("конкурс", EventKind.CONTEST),
    ("contest", EventKind.CONTEST),
    ("competition", EventKind.CONTEST),
)
# An event word counts only in a sentence that says something took place ("проведены открытые уроки"),
# not in "относятся к урокам прошлого". Lemmas, or English stems ending in "*".
EVENT_CUES_RU = (
    "провести", "проводить", "проведение", "организовать", "организовывать", "состояться", "пройти", "проходить",
    "участие", "участвовать", "открытие", "открыть", "площадка", "рамка", "программа", "принять", "посетить",
)
EVENT_CUES_EN = ("held", "hold*", "took place", "organi*", "host*", "participat*", "took part", "attend*", "open*")
# Events at which an agreement can have been signed ("на площадке … форума … подписала Соглашение").
SIGNING_EVENT_KINDS = (EventKind.FORUM, EventKind.CONFERENCE, EventKind.FESTIVAL, EventKind.CITY_DAY, EventKind.MEETING)
# Lemma prefixes that say an event took place online.
ONLINE_WORDS = ("онлайн", "дистанционный", "видеоконференция", "видеосвязь", "видеомост", "телемост", "online", "remote", "video")

# ---------------------------------------------------------------- organisations
# Head-noun lemma (or "adjective noun" lemmas) -> organisation kind. Longer phrases first.
ORGANISATION_WORDS = (
    ("библиотечный система", OrganisationKind.LIBRARY),
    ("дворец культура", OrganisationKind.CULTURAL_CENTRE),
    ("дом культура", OrganisationKind.CULTURAL_CENTRE),
    ("центр культура", OrganisationKind.CULTURAL_CENTRE),
    ("дк", OrganisationKind.CULTURAL_CENTRE),
    ("городской дума", OrganisationKind.COUNCIL),
    ("дума", OrganisationKind.COUNCIL),
    ("совет депутат", OrganisationKind.COUNCIL),
    ("горсовет", OrganisationKind.COUNCIL),
    ("горисполком", OrganisationKind.EXECUTIVE_COMMITTEE),
    ("исполком", OrganisationKind.EXECUTIVE_COMMITTEE),
    ("администрация", OrganisationKind.ADMINISTRATION),
    ("мэрия", OrganisationKind.ADMINISTRATION),
    ("гимназия", OrganisationKind.GYMNASIUM),
    ("лицей", OrganisationKind.LYCEUM),
    ("школа", OrganisationKind.SCHOOL),
    ("училище", OrganisationKind.COLLEGE),
    ("колледж", OrganisationKind.COLLEGE),
    ("техникум", OrganisationKind.COLLEGE),
    ("университет", OrganisationKind.UNIVERSITY),
    ("институт", OrganisationKind.UNIVERSITY),
    ("академия", OrganisationKind.UNIVERSITY),
    ("библиотека", OrganisationKind.LIBRARY),
    ("музей", OrganisationKind.MUSEUM),
    ("музейно-выставочный центр", OrganisationKind.MUSEUM),
    ("центр социальный", OrganisationKind.SOCIAL),
    ("ассоциация", OrganisationKind.ASSOCIATION),
    ("предприятие", OrganisationKind.COMPANY),
    ("завод", OrganisationKind.COMPANY),
    ("фабрика", OrganisationKind.COMPANY),
    ("комбинат", OrganisationKind.COMPANY),
    ("центр", OrganisationKind.OTHER),
)
ORGANISATION_WORDS_EN = (
    ("city council", OrganisationKind.COUNCIL),
    ("town council", OrganisationKind.COUNCIL),
    ("city hall", OrganisationKind.ADMINISTRATION),
    ("administration", OrganisationKind.ADMINISTRATION),
    ("gymnasium", OrganisationKind.GYMNASIUM),
    ("lyceum", OrganisationKind.LYCEUM),
    ("school", OrganisationKind.SCHOOL),
    ("college", OrganisationKind.COLLEGE),
    ("university", OrganisationKind.UNIVERSITY),
    ("library", OrganisationKind.LIBRARY),
    ("museum", OrganisationKind.MUSEUM),
    ("association", OrganisationKind.ASSOCIATION),
)
# Generic nouns that need a name or a number to be an organisation ("производственных предприятий" is not one).
ORGANISATION_NEEDS_NAME = ("центр", "предприятие", "завод", "фабрика", "комбинат", "институт", "академия", "ассоциация", "школа")

# ---------------------------------------------------------------- people
# Lemmas that head a position phrase: "заместитель председателя горисполкома", "Глава Администрации города".
POSITION_WORDS_RU = (
    "глава", "мэр", "градоначальник", "губернатор", "председатель", "заместитель", "первый", "руководитель",
    "директор", "начальник", "заведующий", "управляющий", "секретарь", "депутат", "министр", "посол", "консул",
    "президент", "вице-президент", "ректор", "проректор", "бургомистр", "префект", "советник", "атташе",
    "представитель", "уполномоченный", "вице-мэр", "сити-менеджер", "спикер",
)
POSITION_WORDS_EN = (
    "mayor", "deputy", "head", "chairman", "chairwoman", "chair", "president", "vice-president", "director",
    "governor", "minister", "ambassador", "consul", "secretary", "councillor", "councilor", "lord mayor", "burgomaster",
)

# ---------------------------------------------------------------- places that are not cities
REGION_WORDS_RU = ("область", "край", "республика", "федерация", "округ", "район", "губерния", "регион", "штат", "провинция", "департамент", "земля", "воеводство", "уезд")
REGION_WORDS_EN = ("region", "oblast", "republic", "federation", "county", "province", "state", "department", "district")
# Abbreviations a NER tagger marks as places but that never name a city.
NOT_CITY_ABBREVIATIONS = ("днр", "лнр", "рф", "рб", "сша", "ес", "снг", "оон", "ссср", "usa", "uk", "eu")
# "нашего города" means the city of the office that wrote the release.
OUR_CITY_WORDS_RU = ("наш",)
OUR_CITY_WORDS_EN = ("our",)
# "город", "г." before a name mark it as a city even when the tagger missed it.
CITY_CUES_RU = ("город", "г", "г.", "городок", "посёлок", "поселок", "пгт", "станица", "село", "деревня")
CITY_CUES_EN = ("city", "town", "municipality")

# ---------------------------------------------------------------- dates
MONTHS_RU = {
    "январь": 1, "февраль": 2, "март": 3, "апрель": 4, "май": 5, "июнь": 6,
    "июль": 7, "август": 8, "сентябрь": 9, "октябрь": 10, "ноябрь": 11, "декабрь": 12,
}
# Inflected month stems as they appear in running text ("сентября", "в сентябре").
MONTH_STEMS_RU = {
    "январ": 1, "феврал": 2, "март": 3, "апрел": 4, "ма": 5, "июн": 6,
    "июл": 7, "август": 8, "сентябр": 9, "октябр": 10, "ноябр": 11, "декабр": 12,
}
MONTHS_EN = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
}
# Words for days relative to the publication date.
RELATIVE_DAYS = {
    "позавчера": -2, "вчера": -1, "сегодня": 0, "завтра": 1, "послезавтра": 2,
    "yesterday": -1, "today": 0, "tomorrow": 1,
}
# "в этом году", "в текущем году", "this year" -> the publication year.
THIS_YEAR_PHRASES = ("в этом году", "в текущем году", "в нынешнем году", "this year")
