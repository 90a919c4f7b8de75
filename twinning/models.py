from django import forms
from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce, Greatest, Least
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from twinning import validators
from twinning.fts import text_document
from twinning.partial_dates import PartialDateField, format_check, not_before_check
from twinning.records import Record, RecordQuerySet


class Source(models.Model):
    """A publication a record cites: a press release, a news item, a council resolution."""

    url = models.URLField(_("URL"), max_length=1000, blank=True)
    title = models.CharField(_("title"), max_length=500, blank=True)
    publisher = models.CharField(
        _("publisher"), max_length=300, blank=True, help_text=_("E.g. the press service of the city administration.")
    )
    published_on = PartialDateField(_("published on"), null=True, blank=True)
    text = models.TextField(_("text"), blank=True, help_text=_("The text of the press release, when kept."))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = ["-published_on", "title"]
        constraints = [
            format_check("published_on", "source_published_on_format"),
            models.CheckConstraint(condition=~Q(url="") | ~Q(title=""), name="source_has_url_or_title"),
        ]

    def __str__(self):
        return self.title or self.url


class TwinningKind(models.TextChoices):
    """The kind of tie. The first four are the distinction of the German municipal partnerships
    database; the others are the earlier kinds of the open data, kept as entered and counted
    under one of the four (KIND_GROUP)."""

    PARTNERSHIP = "partnership", _("Partnership")
    FRIENDSHIP = "friendship", _("Friendship")
    CONTACT = "contact", _("Contact")
    PROJECT_PARTNERSHIP = "project_partnership", _("Project partnership")
    TWIN_CITY = "twin_city", _("Twin city")
    PARTNER_CITY = "partner_city", _("Partner city")
    COOPERATION = "cooperation", _("Cooperation")
    UNKNOWN = "unknown", _("Not stated")


# The four kinds each kind counts as: a twin city or partner city is a partnership; a cooperation
# agreement without a twinning treaty is a project partnership; "not stated" stays unclassified.
KIND_GROUP = {
    TwinningKind.PARTNERSHIP: TwinningKind.PARTNERSHIP,
    TwinningKind.TWIN_CITY: TwinningKind.PARTNERSHIP,
    TwinningKind.PARTNER_CITY: TwinningKind.PARTNERSHIP,
    TwinningKind.FRIENDSHIP: TwinningKind.FRIENDSHIP,
    TwinningKind.CONTACT: TwinningKind.CONTACT,
    TwinningKind.PROJECT_PARTNERSHIP: TwinningKind.PROJECT_PARTNERSHIP,
    TwinningKind.COOPERATION: TwinningKind.PROJECT_PARTNERSHIP,
    TwinningKind.UNKNOWN: TwinningKind.UNKNOWN,
}


class TwinningState(models.TextChoices):
    """A step in a relationship's life, recorded with its date and the act behind it."""

    CONTACT = "contact", _("Contact")
    PROTOCOL_OF_INTENT = "protocol_of_intent", _("Protocol of intent")
    TREATY = "treaty", _("Treaty signed")
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    ENDED = "ended", _("Ended")
    EXPIRED = "expired", _("Expired")


class TwinningStatus(models.TextChoices):
    """What a reader needs to know now; derived from the latest state."""

    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    ENDED = "ended", _("Ended")


STATUS_OF_STATE = {
    TwinningState.CONTACT: TwinningStatus.ACTIVE,
    TwinningState.PROTOCOL_OF_INTENT: TwinningStatus.ACTIVE,
    TwinningState.TREATY: TwinningStatus.ACTIVE,
    TwinningState.ACTIVE: TwinningStatus.ACTIVE,
    TwinningState.SUSPENDED: TwinningStatus.SUSPENDED,
    TwinningState.ENDED: TwinningStatus.ENDED,
    TwinningState.EXPIRED: TwinningStatus.ENDED,
}
# A twinning with no recorded change is taken as active: the open data lists live relationships.
DEFAULT_STATE = TwinningState.ACTIVE


class TwinningQuerySet(RecordQuerySet):
    def involving(self, city):
        """Twinnings with `city` on either side of the pair."""
        return self.filter(Q(city_a=city) | Q(city_b=city))

    def between(self, city, other):
        return self.filter(Q(city_a=city, city_b=other) | Q(city_a=other, city_b=city))

    def with_status(self):
        """Annotate `current_state`: the latest recorded state, ACTIVE when none is recorded."""
        latest = StatusChange.objects.filter(twinning=models.OuterRef("pk")).order_by(
            models.F("date").desc(nulls_last=True), "-id"
        )
        return self.annotate(
            current_state=Coalesce(models.Subquery(latest.values("state")[:1]), models.Value(DEFAULT_STATE.value))
        )

    def with_status_in(self, *statuses):
        """Twinnings whose derived status is one of `statuses` (TwinningStatus values)."""
        states = [state for state, status in STATUS_OF_STATE.items() if status in statuses]
        return self.with_status().filter(current_state__in=states)

    def active(self):
        return self.with_status_in(TwinningStatus.ACTIVE)

    def with_cities(self):
        return self.select_related("city_a", "city_b").prefetch_related("city_a__names", "city_b__names")


class Twinning(Record):
    """The relationship of two distinct cities, stored once whichever order they were entered in."""

    city_a = models.ForeignKey(
        "cities.City", on_delete=models.PROTECT, related_name="twinnings_as_a", verbose_name=_("city")
    )
    city_b = models.ForeignKey(
        "cities.City", on_delete=models.PROTECT, related_name="twinnings_as_b", verbose_name=_("partner city")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=TwinningKind.choices, default=TwinningKind.UNKNOWN)
    established_on = PartialDateField(
        _("established on"), null=True, blank=True, help_text=_("When the twinning was formalised, e.g. a treaty signed.")
    )
    relations_since = PartialDateField(
        _("relations since"),
        null=True,
        blank=True,
        help_text=_("When contacts began, if before the formal establishment (\"friends since 2008\")."),
    )
    description = models.TextField(_("description"), blank=True)

    objects = TwinningQuerySet.as_manager()

    class Meta:
        verbose_name = _("twinning")
        verbose_name_plural = _("twinnings")
        ordering = ["-established_on", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(city_a=models.F("city_b")), name="twinning_two_distinct_cities"),
            models.UniqueConstraint(Least("city_a", "city_b"), Greatest("city_a", "city_b"), name="one_twinning_per_pair"),
            format_check("established_on", "twinning_established_on_format"),
            format_check("relations_since", "twinning_relations_since_format"),
        ]
        indexes = [models.Index(fields=["city_b"], name="twinning_city_b_idx")]

    def __str__(self):
        return f"{self.city_a} — {self.city_b}"

    def get_absolute_url(self):
        return reverse("twinning:twinning_detail", kwargs={"slug_a": self.city_a.slug, "slug_b": self.city_b.slug})

    def clean(self):
        validators.validate_twinning(self)

    @property
    def cities(self):
        return (self.city_a, self.city_b)

    @property
    def current_state(self):
        """The latest state; reads status_changes unless with_status() annotated it."""
        if "current_state" in self.__dict__:
            return self.__dict__["current_state"]
        latest = self.status_changes.order_by(models.F("date").desc(nulls_last=True), "-id").first()
        return latest.state if latest else DEFAULT_STATE.value

    @current_state.setter
    def current_state(self, value):
        self.__dict__["current_state"] = value

    @property
    def status(self):
        return STATUS_OF_STATE[TwinningState(self.current_state)]

    def get_status_display(self):
        return TwinningStatus(self.status).label

    def partner_of(self, city):
        return self.city_b if city.pk == self.city_a_id else self.city_a

    @property
    def kind_group(self):
        """The kind among partnership, friendship, contact and project partnership (KIND_GROUP)."""
        return KIND_GROUP[TwinningKind(self.kind)]


class ActKind(models.TextChoices):
    TREATY = "treaty", _("Treaty or agreement")
    COUNCIL_RESOLUTION = "council_resolution", _("Council resolution")
    NOTIFICATION_LETTER = "notification_letter", _("Notification letter")
    STATEMENT = "statement", _("Public statement")
    OTHER = "other", _("Other")


class StatusChange(models.Model):
    """A dated step in a twinning's life and the act that decided it."""

    twinning = models.ForeignKey(Twinning, on_delete=models.CASCADE, related_name="status_changes", verbose_name=_("twinning"))
    state = models.CharField(_("state"), max_length=20, choices=TwinningState.choices)
    date = PartialDateField(_("date"), null=True, blank=True)
    act = models.CharField(_("deciding act"), max_length=30, choices=ActKind.choices, blank=True)
    act_title = models.CharField(
        _("act"), max_length=500, blank=True, help_text=_("E.g. \"Council resolution No. 12 of 3 March 2022\".")
    )
    source = models.ForeignKey(
        Source, on_delete=models.SET_NULL, null=True, blank=True, related_name="status_changes", verbose_name=_("source")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status history")
        ordering = ["twinning", models.F("date").asc(nulls_first=True), "id"]
        constraints = [format_check("date", "status_change_date_format")]
        indexes = [models.Index(fields=["twinning", "-date"], name="status_change_latest_idx")]

    def __str__(self):
        return f"{self.get_state_display()} {self.date or ''}".strip()


class Sphere(models.TextChoices):
    CULTURE = "culture", _("Culture")
    TRADE = "trade", _("Trade")
    INDUSTRY = "industry", _("Industry")
    SCIENCE = "science", _("Science")
    EDUCATION = "education", _("Education")
    SPORT = "sport", _("Sport")
    TOURISM = "tourism", _("Tourism")
    YOUTH = "youth", _("Youth")
    HEALTHCARE = "healthcare", _("Healthcare")
    HERITAGE = "heritage", _("Historical and cultural heritage")
    ECONOMY = "economy", _("Economy")
    HUMANITARIAN = "humanitarian", _("Humanitarian cooperation")
    SOCIAL = "social", _("Social sphere")
    PATRIOTIC = "patriotic", _("Patriotic education")
    MUNICIPAL = "municipal", _("Municipal government")
    ENVIRONMENT = "environment", _("Environment")


class ChoiceArrayField(ArrayField):
    """An array of choices edited as checkboxes rather than comma-separated text."""

    def formfield(self, **kwargs):
        defaults = {
            "form_class": forms.TypedMultipleChoiceField,
            "choices": self.base_field.choices,
            "coerce": self.base_field.to_python,
            "widget": forms.CheckboxSelectMultiple,
        }
        defaults.update(kwargs)
        # Skip ArrayField.formfield, which would force its own SimpleArrayField.
        return super(ArrayField, self).formfield(**defaults)


class AgreementKind(models.TextChoices):
    TWINNING_TREATY = "twinning_treaty", _("Twinning treaty")
    COOPERATION = "cooperation", _("Cooperation agreement")
    HUMANITARIAN = "humanitarian", _("Humanitarian cooperation agreement")
    CHILDREN_RECREATION = "children_recreation", _("Agreement on children's recreation")
    INSTITUTIONAL = "institutional", _("Partnership between institutions")
    PROTOCOL_OF_INTENT = "protocol_of_intent", _("Protocol of intent")
    MEMORANDUM = "memorandum", _("Memorandum of understanding")
    OTHER = "other", _("Other")


class AgreementQuerySet(RecordQuerySet):
    def involving(self, city):
        """Agreements with `city`, or one of its organisations, among the parties."""
        return self.filter(Q(parties__city=city) | Q(parties__organisation__city=city)).distinct()

    def with_details(self):
        return self.select_related("twinning__city_a", "twinning__city_b", "signed_in", "signed_at_event").prefetch_related(
            "parties__city", "parties__organisation__city", "signatories__person", "sources"
        )


class Agreement(Record):
    """A signed document between cities or their organisations."""

    title = models.CharField(_("title"), max_length=500)
    kind = models.CharField(_("kind"), max_length=30, choices=AgreementKind.choices, default=AgreementKind.COOPERATION)
    signed_on = PartialDateField(_("signed on"), null=True, blank=True)
    signed_in = models.ForeignKey(
        "cities.City",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agreements_signed_here",
        verbose_name=_("signed in (city)"),
    )
    signed_at_event = models.ForeignKey(
        "events.JointEvent",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agreements_signed",
        verbose_name=_("signed at (event)"),
        help_text=_("E.g. the forum where the agreement was signed."),
    )
    spheres = ChoiceArrayField(
        models.CharField(max_length=20, choices=Sphere.choices),
        verbose_name=_("spheres of cooperation"),
        default=list,
        blank=True,
    )
    twinning = models.ForeignKey(
        Twinning,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agreements",
        verbose_name=_("twinning"),
        help_text=_("The twinning this agreement belongs to; both of its cities must be among the parties."),
    )
    delegation = models.ForeignKey(
        "events.Delegation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agreements",
        verbose_name=_("signed during visit"),
    )
    term_years = models.PositiveSmallIntegerField(
        _("term in years"), null=True, blank=True, help_text=_("Leave empty for an open-ended agreement.")
    )
    text_url = models.URLField(_("link to the text"), max_length=1000, blank=True)
    text_file = models.FileField(_("file of the text"), upload_to="agreements/", blank=True)
    summary = models.TextField(_("summary"), blank=True)

    objects = AgreementQuerySet.as_manager()

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["-signed_on", "title"]
        constraints = [format_check("signed_on", "agreement_signed_on_format")]
        indexes = [
            GinIndex(fields=["spheres"], name="agreement_spheres_gin"),
            # Public search matches titles and summaries (twinning/search.py).
            GinIndex(text_document("title", "summary"), name="agreement_text_fts"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("twinning:agreement_detail", kwargs={"pk": self.pk})

    def clean(self):
        # The parties rule spans the inline rows: see validators.validate_agreement_parties.
        validators.validate_agreement(self)


class AgreementParty(models.Model):
    """A city or an organisation that is a party to an agreement."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="parties", verbose_name=_("agreement"))
    city = models.ForeignKey(
        "cities.City", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("city")
    )
    organisation = models.ForeignKey(
        "cities.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agreement_parties",
        verbose_name=_("organisation"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        constraints = [
            models.CheckConstraint(
                condition=Q(city__isnull=False, organisation__isnull=True) | Q(city__isnull=True, organisation__isnull=False),
                name="party_is_city_or_organisation",
            ),
            models.UniqueConstraint(fields=["agreement", "city"], name="unique_city_party"),
            models.UniqueConstraint(fields=["agreement", "organisation"], name="unique_organisation_party"),
        ]

    def __str__(self):
        return str(self.organisation or self.city)

    @property
    def party_city(self):
        """The city this party belongs to (reads organisation.city for an organisation)."""
        return self.city if self.city_id else self.organisation.city


class AgreementSignatory(models.Model):
    """A person who signed, with the position held at the time."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="signatories", verbose_name=_("agreement")
    )
    person = models.ForeignKey("cities.Person", on_delete=models.PROTECT, related_name="signatures", verbose_name=_("person"))
    position_title = models.CharField(
        _("position at the time"), max_length=300, blank=True, help_text=_("Глава Администрации города Алчевска")
    )
    organisation = models.ForeignKey(
        "cities.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("on behalf of"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("signatory")
        verbose_name_plural = _("signatories")
        constraints = [models.UniqueConstraint(fields=["agreement", "person"], name="unique_signatory")]

    def __str__(self):
        return f"{self.person}, {self.position_title}" if self.position_title else str(self.person)


class PressOffice(models.Model):
    """A city's press office: its members edit the records their city takes part in."""

    city = models.ForeignKey(
        "cities.City", on_delete=models.PROTECT, related_name="press_offices", verbose_name=_("city")
    )
    name = models.CharField(
        _("name"), max_length=300, help_text=_("E.g. \"Press service of the Azov city administration\".")
    )
    email = models.EmailField(_("contact e-mail"), blank=True, help_text=_("Not shown on the public site."))
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="press_offices",
        verbose_name=_("press officers"),
        help_text=_("Staff users who write for this office. Create them with manage.py create_press_officer."),
    )
    history = HistoricalRecords(m2m_fields=["members"])

    class Meta:
        verbose_name = _("press office")
        verbose_name_plural = _("press offices")
        ordering = ["name"]

    def __str__(self):
        return self.name


class ConfirmationState(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    CORRECTION_REQUESTED = "correction_requested", _("Correction requested")


class Confirmation(models.Model):
    """A partner city's press office confirming a record that mentions its city, or asking for a correction."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, verbose_name=_("record type"))
    object_id = models.PositiveBigIntegerField(_("record id"))
    record = GenericForeignKey("content_type", "object_id")
    city = models.ForeignKey(
        "cities.City", on_delete=models.CASCADE, related_name="confirmations", verbose_name=_("confirming city")
    )
    state = models.CharField(_("state"), max_length=30, choices=ConfirmationState.choices)
    comment = models.TextField(
        _("comment"), blank=True, help_text=_("What should be corrected. Seen by press officers only.")
    )
    record_version = models.PositiveIntegerField(
        _("record version"), help_text=_("The version of the record that was confirmed; a later edit needs a new look.")
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("by")
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("partner confirmation")
        verbose_name_plural = _("partner confirmations")
        ordering = ["-updated_at"]
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id", "city"], name="one_confirmation_per_city"),
        ]
        indexes = [models.Index(fields=["content_type", "object_id"], name="confirmation_record_idx")]

    def __str__(self):
        return f"{self.city}: {self.get_state_display()}"

    def is_current(self):
        """False when the record was edited after this confirmation (reads the record)."""
        return self.record is not None and self.record.version <= self.record_version


class ClaimSubject(models.TextChoices):
    STATE = "state", _("Status")
    ESTABLISHED_ON = "established_on", _("Date established")


class ClaimQuerySet(models.QuerySet):
    def open(self):
        """Claims no editor has resolved yet."""
        return self.filter(resolved_at__isnull=True)


class Claim(models.Model):
    """What one side's press office says about a twinning (its status, or when it was established),
    with its source. When the two sides disagree, both claims are shown side by side until a
    registry editor accepts one of them (twinning/claims.py)."""

    twinning = models.ForeignKey(Twinning, on_delete=models.CASCADE, related_name="claims", verbose_name=_("twinning"))
    city = models.ForeignKey(
        "cities.City",
        on_delete=models.CASCADE,
        related_name="claims",
        verbose_name=_("claimed by (city)"),
        help_text=_("The side whose press office makes the claim: one of the twinning's two cities."),
    )
    subject = models.CharField(_("about"), max_length=20, choices=ClaimSubject.choices, default=ClaimSubject.STATE)
    state = models.CharField(
        _("state"), max_length=20, choices=TwinningState.choices, blank=True, help_text=_("For a claim about the status.")
    )
    date = PartialDateField(
        _("date"),
        null=True,
        blank=True,
        help_text=_("Since when the state holds, or the date of establishment claimed: 2022, 2022-03 or 2022-03-03."),
    )
    source = models.ForeignKey(
        Source, on_delete=models.SET_NULL, null=True, blank=True, related_name="claims", verbose_name=_("source")
    )
    note = models.TextField(_("note"), blank=True)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("made by")
    )
    made_at = models.DateTimeField(_("made at"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True, editable=False)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("resolved by"),
    )
    accepted = models.BooleanField(
        _("accepted"), null=True, editable=False, help_text=_("Set when an editor resolves the disagreement.")
    )
    history = HistoricalRecords()

    objects = ClaimQuerySet.as_manager()

    class Meta:
        verbose_name = _("claim")
        verbose_name_plural = _("claims")
        ordering = ["twinning", "subject", "made_at", "id"]
        constraints = [
            format_check("date", "claim_date_format"),
            models.CheckConstraint(
                condition=~Q(subject=ClaimSubject.STATE) | ~Q(state=""), name="claim_about_state_names_one"
            ),
            models.CheckConstraint(
                condition=~Q(subject=ClaimSubject.ESTABLISHED_ON) | Q(date__isnull=False),
                name="claim_about_establishment_has_date",
            ),
        ]
        indexes = [models.Index(fields=["twinning", "subject"], name="claim_twinning_subject_idx")]

    def __str__(self):
        return f"{self.city}: {self.claimed_value()}"

    def claimed_value(self):
        """What is claimed, for display: "Suspended, 2022-03" or "1998-05-10"."""
        date = self.date.display() if self.date else ""
        if self.subject == ClaimSubject.STATE:
            return ", ".join(part for part in (str(TwinningState(self.state).label), date) if part)
        return date

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.twinning_id and self.city_id and self.city_id not in (self.twinning.city_a_id, self.twinning.city_b_id):
            raise ValidationError({"city": _("A claim is made by one of the two cities of the twinning.")})
        if self.subject == ClaimSubject.STATE and not self.state:
            raise ValidationError({"state": _("Name the state this side reports.")})
        if self.subject == ClaimSubject.ESTABLISHED_ON and self.date is None:
            raise ValidationError({"date": _("Give the date of establishment this side reports.")})


def _register_child_histories():
    """History for the child rows of other apps' records (names, positions, programme items).

    Their historical models live in this app so that the history tables and their migrations
    stay with the rest of the audit trail instead of being spread over every app."""
    import simple_history
    from cities.models import CityName, Position
    from events.models import ProgrammeItem

    for model in (CityName, Position, ProgrammeItem):
        if not hasattr(model, "history"):
            simple_history.register(model, app="twinning")


_register_child_histories()
