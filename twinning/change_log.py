"""The public change log of a twinning, built from django-simple-history's tables.

It says when and what changed, never who: user names and e-mails stay in the admin's history.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from twinning.models import StatusChange, Twinning

ACTIONS = {"+": _("created"), "~": _("changed"), "-": _("deleted")}
# Bookkeeping columns every save touches; a reader learns nothing from them.
_NOISE = ["version", "updated_at", "created_at", "published_at", "sources"]


@dataclass
class ChangeLogEntry:
    date: object
    action: str  # "+", "~" or "-"
    subject: str  # what was changed: the twinning itself or a step of its status history
    fields: list = field(default_factory=list)  # verbose names of the changed fields

    @property
    def action_label(self):
        return ACTIONS[self.action]


def _entries(history_rows, subject, model):
    """Diff consecutive history rows of one object; rows are oldest first."""
    entries, previous = [], {}
    for row in history_rows:
        before = previous.get(row.id)
        changed = []
        if row.history_type == "~" and before is not None:
            delta = row.diff_against(before, excluded_fields=_NOISE)
            order = [f.name for f in model._meta.fields]
            changed = [
                str(model._meta.get_field(name).verbose_name) for name in sorted(delta.changed_fields, key=order.index)
            ]
            if not changed:
                continue  # a save that changed only bookkeeping (e.g. a re-save)
        entries.append(ChangeLogEntry(date=row.history_date, action=row.history_type, subject=subject, fields=changed))
        previous[row.id] = row
    return entries


def public_change_log(twinning, *, limit=30):
    """`limit` newest changes of `twinning` and its status history, newest first (two queries)."""
    rows = Twinning.history.filter(id=twinning.pk).order_by("history_date", "history_id")
    status_rows = StatusChange.history.filter(twinning_id=twinning.pk).order_by("history_date", "history_id")
    entries = _entries(rows, str(_("twinning")), Twinning) + _entries(status_rows, str(_("status history")), StatusChange)
    entries.sort(key=lambda entry: entry.date, reverse=True)
    return entries[:limit]


def last_updated(twinning):
    """When the twinning or its status history last changed (the newest history row)."""
    log = public_change_log(twinning, limit=1)
    return log[0].date if log else twinning.updated_at
