"""Template helpers for the press-office workflow on public pages.

    {% include "twinning/includes/_confirmation.html" with record=twinning %}
    {% include "twinning/includes/_change_log.html" with twinning=twinning %}
"""

from django import template

from twinning.change_log import public_change_log
from twinning.confirmations import partner_confirmations

register = template.Library()


@register.simple_tag
def confirmations_of(record):
    """A list of PartnerConfirmation (city, state, label, date) for the record's press offices."""
    return partner_confirmations(record)


@register.simple_tag
def change_log_of(twinning, limit=30):
    """ChangeLogEntry items (date, action_label, subject, fields), newest first; no user data."""
    return public_change_log(twinning, limit=limit)
