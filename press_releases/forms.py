"""Forms of the "New from a press release" page: the pasted text, then one small form per proposal."""

from django import forms
from django.core import signing
from django.utils.translation import gettext_lazy as _

from cities.models import City, GazetteerCity, OrganisationKind
from events.models import EventFormat, EventKind
from press_releases.extraction import MAX_TEXT_LENGTH
from twinning.models import AgreementKind, Sphere, TwinningKind
from twinning.partial_dates import PartialDateFormField

PAYLOAD_SALT = "press_releases.proposals"
PAYLOAD_MAX_AGE = 24 * 3600  # seconds an officer may take between extracting and saving


class ExtractForm(forms.Form):
    text = forms.CharField(
        label=_("Text of the press release"),
        widget=forms.Textarea(attrs={"rows": 18, "cols": 100}),
        max_length=MAX_TEXT_LENGTH,
        help_text=_("Paste the whole release, Russian or English. Nothing is saved until you confirm."),
    )
    url = forms.URLField(label=_("URL"), required=False, max_length=1000, assume_scheme="https")
    publisher = forms.CharField(
        label=_("Publisher"), required=False, max_length=300, help_text=_("E.g. the press service of the city administration.")
    )
    published_on = forms.DateField(
        label=_("Published on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Resolves \"yesterday\" and dates given without a year."),
    )


def sign_payload(data):
    return signing.dumps(data, salt=PAYLOAD_SALT, compress=True)


def unsign_payload(token):
    """The proposals and release data signed into the confirm page, or None if tampered or stale."""
    try:
        return signing.loads(token, salt=PAYLOAD_SALT, max_age=PAYLOAD_MAX_AGE)
    except signing.BadSignature:
        return None


class CityRefField(forms.ChoiceField):
    """A city among those the release mentions (and the officer's own): "city:<pk>" or "geo:<GeoNames id>"."""

    def to_python(self, value):
        value = super().to_python(value)
        return value or None


def resolve_city_refs(keys):
    """{key: City or GazetteerCity} for "city:<pk>" / "geo:<id>" keys, in two queries."""
    city_ids = [int(key[5:]) for key in keys if key and key.startswith("city:")]
    geo_ids = [int(key[4:]) for key in keys if key and key.startswith("geo:")]
    found = {f"city:{city.pk}": city for city in City.objects.filter(pk__in=city_ids)}
    found.update({f"geo:{row.pk}": row for row in GazetteerCity.objects.filter(pk__in=geo_ids)})
    return found


class _ProposalForm(forms.Form):
    keep = forms.BooleanField(label=_("Keep"), required=False, initial=True)

    def __init__(self, *args, city_choices=(), person_choices=(), organisation_choices=(), event_choices=(), delegation_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        optional = [("", "—")]
        for name, form_field in self.fields.items():
            choices = getattr(form_field, "choices_from", None)
            if choices == "city":
                form_field.choices = list(city_choices) if isinstance(form_field, forms.MultipleChoiceField) else optional + list(city_choices)
            elif choices == "person":
                form_field.choices = list(person_choices) if isinstance(form_field, forms.MultipleChoiceField) else optional + list(person_choices)
            elif choices == "organisation":
                form_field.choices = list(organisation_choices) if isinstance(form_field, forms.MultipleChoiceField) else optional + list(organisation_choices)
            elif choices == "event":
                form_field.choices = optional + list(event_choices)
            elif choices == "delegation":
                form_field.choices = optional + list(delegation_choices)

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("keep"):
            # An unticked proposal is not validated: the officer has dropped it.
            self._errors.clear()
        return cleaned


def _ref(field_class, kind, **kwargs):
    form_field = field_class(**kwargs)
    form_field.choices_from = kind
    return form_field


class OrganisationProposalForm(_ProposalForm):
    name = forms.CharField(label=_("Name"), max_length=300)
    kind = forms.ChoiceField(label=_("Kind"), choices=OrganisationKind.choices)
    city = _ref(CityRefField, "city", label=_("City"))


class PersonProposalForm(_ProposalForm):
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    position = forms.CharField(label=_("Position"), max_length=300, required=False)
    city = _ref(CityRefField, "city", label=_("City"))
    organisation = _ref(forms.ChoiceField, "organisation", label=_("Organisation of the position"), required=False)


class TwinningProposalForm(_ProposalForm):
    city_a = _ref(CityRefField, "city", label=_("City"))
    city_b = _ref(CityRefField, "city", label=_("Partner city"))
    kind = forms.ChoiceField(label=_("Kind"), choices=TwinningKind.choices)
    established_on = PartialDateFormField(label=_("Established on"), required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("keep") and cleaned.get("city_a") and cleaned.get("city_a") == cleaned.get("city_b"):
            self.add_error("city_b", _("A city cannot be twinned with itself."))
        return cleaned


class DelegationProposalForm(_ProposalForm):
    from_city = _ref(CityRefField, "city", label=_("From city"))
    to_city = _ref(CityRefField, "city", label=_("To city"))
    start_on = PartialDateFormField(label=_("Start"), required=False)
    end_on = PartialDateFormField(label=_("End"), required=False)
    head = _ref(forms.ChoiceField, "person", label=_("Head"), required=False)
    head_position = forms.CharField(label=_("Head's position"), max_length=300, required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("keep") and cleaned.get("from_city") and cleaned.get("from_city") == cleaned.get("to_city"):
            self.add_error("to_city", _("A delegation cannot travel from a city to the same city."))
        return cleaned


class EventProposalForm(_ProposalForm):
    title = forms.CharField(label=_("Title"), max_length=500)
    kind = forms.ChoiceField(label=_("Kind"), choices=EventKind.choices)
    format = forms.ChoiceField(label=_("Format"), choices=EventFormat.choices)
    start_on = PartialDateFormField(label=_("Start"), required=False)
    end_on = PartialDateFormField(label=_("End"), required=False)
    host_city = _ref(CityRefField, "city", label=_("Host city"), required=False)
    participants = _ref(forms.MultipleChoiceField, "city", label=_("Participating cities"), required=False, widget=forms.CheckboxSelectMultiple)
    organisations = _ref(forms.MultipleChoiceField, "organisation", label=_("Organisations"), required=False, widget=forms.CheckboxSelectMultiple)


class AgreementProposalForm(_ProposalForm):
    title = forms.CharField(label=_("Title"), max_length=500)
    kind = forms.ChoiceField(label=_("Kind"), choices=AgreementKind.choices)
    signed_on = PartialDateFormField(label=_("Signed on"), required=False)
    party_cities = _ref(forms.MultipleChoiceField, "city", label=_("Parties: cities"), required=False, widget=forms.CheckboxSelectMultiple)
    party_organisations = _ref(
        forms.MultipleChoiceField, "organisation", label=_("Parties: organisations"), required=False, widget=forms.CheckboxSelectMultiple
    )
    spheres = forms.MultipleChoiceField(label=_("Spheres"), choices=Sphere.choices, required=False, widget=forms.CheckboxSelectMultiple)
    signatories = _ref(forms.MultipleChoiceField, "person", label=_("Signed by"), required=False, widget=forms.CheckboxSelectMultiple)
    signed_at_event = _ref(forms.ChoiceField, "event", label=_("Signed at (event)"), required=False)
    delegation = _ref(forms.ChoiceField, "delegation", label=_("Signed during visit"), required=False)
    attach_to_twinning = forms.BooleanField(label=_("Belongs to the twinning"), required=False, initial=True)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("keep") and not (cleaned.get("party_cities") or cleaned.get("party_organisations")):
            self.add_error("party_cities", _("Pick at least one party."))
        return cleaned
