from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from twinning import validators
from twinning.fts import text_document
from twinning.partial_dates import PartialDateField, format_check, not_before_check, on_or_after
from twinning.records import Record, RecordQuerySet


class DelegationQuerySet(RecordQuerySet):
    def involving(self, city):
        return self.filter(Q(from_city=city) | Q(to_city=city))

    def between(self, city, other):
        return self.filter(Q(from_city=city, to_city=other) | Q(from_city=other, to_city=city))

    def upcoming(self):
        return self.filter(on_or_after("start_on", timezone.localdate()))

    def past(self):
        return self.exclude(on_or_after("start_on", timezone.localdate()))

    def with_details(self):
        return self.select_related("from_city", "to_city", "head", "twinning").prefetch_related(
            "organisations", "programme", "sources"
        )


class Delegation(Record):
    """An official visit of a city's delegation to another city."""

    from_city = models.ForeignKey(
        "cities.City", on_delete=models.PROTECT, related_name="delegations_sent", verbose_name=_("from city")
    )
    to_city = models.ForeignKey(
        "cities.City", on_delete=models.PROTECT, related_name="delegations_received", verbose_name=_("to city")
    )
    start_on = PartialDateField(_("start"), null=True, blank=True)
    end_on = PartialDateField(_("end"), null=True, blank=True)
    head = models.ForeignKey(
        "cities.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="delegations_headed",
        verbose_name=_("head"),
    )
    head_position = models.CharField(
        _("head's position at the time"), max_length=300, blank=True, help_text=_("заместитель председателя горисполкома")
    )
    members_count = models.PositiveIntegerField(_("number of members"), null=True, blank=True)
    organisations = models.ManyToManyField(
        "cities.Organisation",
        blank=True,
        related_name="delegations",
        verbose_name=_("organisations represented"),
    )
    purpose = models.TextField(_("purpose"), blank=True)
    outcome = models.TextField(_("outcome"), blank=True, help_text=_("Agreements signed during the visit link here."))
    twinning = models.ForeignKey(
        "twinning.Twinning",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="delegations",
        verbose_name=_("twinning"),
    )

    objects = DelegationQuerySet.as_manager()

    class Meta:
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")
        ordering = ["-start_on", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(from_city=models.F("to_city")), name="delegation_two_distinct_cities"),
            format_check("start_on", "delegation_start_on_format"),
            format_check("end_on", "delegation_end_on_format"),
            not_before_check("start_on", "end_on", "delegation_end_not_before_start"),
        ]
        # Full-text search (twinning/search.py) over what the visit was for and what came of it.
        indexes = [GinIndex(text_document("purpose", "outcome"), name="delegation_text_fts")]

    def __str__(self):
        return _("Delegation of %(from)s to %(to)s") % {"from": self.from_city, "to": self.to_city}

    def get_absolute_url(self):
        return reverse("events:delegation_detail", kwargs={"pk": self.pk})

    def clean(self):
        validators.validate_delegation(self)


class ProgrammeItem(models.Model):
    """A place visited or a thing done during a delegation's visit."""

    delegation = models.ForeignKey(
        Delegation, on_delete=models.CASCADE, related_name="programme", verbose_name=_("delegation")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    date = PartialDateField(_("date"), null=True, blank=True)
    description = models.CharField(_("description"), max_length=500)
    organisation = models.ForeignKey(
        "cities.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="visits",
        verbose_name=_("place visited"),
    )

    class Meta:
        verbose_name = _("programme item")
        verbose_name_plural = _("programme")
        ordering = ["delegation", "order", "id"]
        constraints = [format_check("date", "programme_item_date_format")]

    def __str__(self):
        return self.description


class EventKind(models.TextChoices):
    FORUM = "forum", _("Forum")
    FESTIVAL = "festival", _("Festival")
    EXHIBITION = "exhibition", _("Exhibition")
    CONCERT = "concert", _("Concert")
    CONFERENCE = "conference", _("Conference")
    VIDEO_CONFERENCE = "video_conference", _("Video conference")
    LESSONS = "lessons", _("Lessons")
    SPORTS = "sports", _("Sports tournament")
    CITY_DAY = "city_day", _("City day or anniversary")
    MEETING = "meeting", _("Official meeting")
    CONTEST = "contest", _("Contest")
    EXCHANGE = "exchange", _("Exchange")
    OTHER = "other", _("Other")


class EventFormat(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")
    HYBRID = "hybrid", _("Hybrid")


class JointEventQuerySet(RecordQuerySet):
    def involving(self, city):
        """Events `city` hosts or takes part in."""
        return self.filter(Q(host_city=city) | Q(participants=city)).distinct()

    def upcoming(self):
        return self.filter(on_or_after("start_on", timezone.localdate()))

    def with_details(self):
        return self.select_related("host_city", "twinning").prefetch_related("participants", "organisations", "sources")


class JointEvent(Record):
    """An event two or more cities hold together: an exhibition, a forum, a video conference."""

    title = models.CharField(_("title"), max_length=500)
    kind = models.CharField(_("kind"), max_length=30, choices=EventKind.choices, default=EventKind.OTHER)
    format = models.CharField(_("format"), max_length=20, choices=EventFormat.choices, default=EventFormat.IN_PERSON)
    start_on = PartialDateField(_("start"), null=True, blank=True)
    end_on = PartialDateField(_("end"), null=True, blank=True)
    host_city = models.ForeignKey(
        "cities.City",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events_hosted",
        verbose_name=_("host city"),
        help_text=_("Empty for an online event without a host."),
    )
    participants = models.ManyToManyField(
        "cities.City", blank=True, related_name="events_joined", verbose_name=_("participating cities")
    )
    organisations = models.ManyToManyField(
        "cities.Organisation", blank=True, related_name="events", verbose_name=_("organisations taking part")
    )
    participants_count = models.PositiveIntegerField(_("number of participants"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    twinning = models.ForeignKey(
        "twinning.Twinning",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("twinning"),
    )

    objects = JointEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("joint event")
        verbose_name_plural = _("joint events")
        ordering = ["-start_on", "id"]
        constraints = [
            format_check("start_on", "event_start_on_format"),
            format_check("end_on", "event_end_on_format"),
            not_before_check("start_on", "end_on", "event_end_not_before_start"),
        ]
        indexes = [GinIndex(text_document("title", "description"), name="event_text_fts")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("events:event_detail", kwargs={"pk": self.pk})

    def clean(self):
        validators.validate_period(self.start_on, self.end_on, end_field="end_on")
