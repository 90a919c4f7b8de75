"""Conflicting claims: when the two sides' press offices say different things about a twinning.

One side says the tie is suspended, the other that it is active; or they give different dates
of establishment. Each side's press office records its claim with its source (a Claim); both
stay on record and are shown side by side, on the public twinning page and in the admin, until
a registry editor accepts one. Accepting applies it (a status change with the claim's date and
source, or the establishment date) and closes the other open claims on the same subject.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from twinning import services
from twinning.models import Claim, ClaimSubject, StatusChange
from twinning.permissions import check_can_edit, is_registry_editor


@dataclass
class ClaimsAbout:
    """The open claims of a twinning about one subject, in the order the sides made them."""

    subject: str
    claims: list

    @property
    def label(self):
        return ClaimSubject(self.subject).label

    @property
    def disagree(self):
        """True when two different cities claim different things."""
        values = {(claim.state, claim.date.isoformat() if claim.date else None) for claim in self.claims}
        return len(values) > 1 and len({claim.city_id for claim in self.claims}) > 1


def with_open_claims(twinnings):
    """Annotate `has_open_claims`, so a page reads the claims only when there are some."""
    return twinnings.annotate(has_open_claims=Exists(Claim.objects.open().filter(twinning=OuterRef("pk"))))


def open_claims(twinning):
    """[ClaimsAbout] of `twinning`'s unresolved claims, one per subject (one query)."""
    grouped = {}
    claims = Claim.objects.open().filter(twinning=twinning).select_related("city", "source").prefetch_related("city__names")
    for claim in claims:
        grouped.setdefault(claim.subject, []).append(claim)
    return [ClaimsAbout(subject, grouped[subject]) for subject in ClaimSubject.values if subject in grouped]


def make_claim(twinning, *, city, by, subject=ClaimSubject.STATE, state="", date=None, source=None, note=""):
    """Record what `city`'s press office says about `twinning` (the officer must write for `city`)."""
    claim = Claim(
        twinning=twinning, city=city, subject=subject, state=state, date=date, source=source, note=note, made_by=by
    )
    check_can_edit(by, claim)
    claim.full_clean()
    claim.save()
    return claim


@transaction.atomic
def accept_claim(claim, *, by):
    """Resolve the disagreement in favour of `claim`: apply it, and close every open claim on the
    same twinning and subject (the others as not accepted). Registry editors only."""
    if not is_registry_editor(by):
        raise PermissionDenied(_("Only a registry editor resolves conflicting claims."))
    rivals = list(Claim.objects.select_for_update().open().filter(twinning=claim.twinning_id, subject=claim.subject))
    now = timezone.now()
    for rival in rivals:
        rival.resolved_at, rival.resolved_by, rival.accepted = now, by, rival.pk == claim.pk
        rival._history_user = by
        rival.save(update_fields=["resolved_at", "resolved_by", "accepted"])
    twinning = claim.twinning
    if claim.subject == ClaimSubject.STATE:
        StatusChange.objects.get_or_create(
            twinning=twinning,
            state=claim.state,
            date=claim.date,
            defaults={"source": claim.source, "act_title": claim.note[:500]},
        )
    else:
        twinning.established_on = claim.date
        services.save_record(twinning, expected_version=twinning.version, user=by)
    return claim
