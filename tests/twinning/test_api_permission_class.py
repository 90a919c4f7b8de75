"""The DRF permission class the API's write endpoints use, on a stand-in view."""

import pytest
from django.contrib.auth.models import AnonymousUser
from rest_framework.test import APIRequestFactory

from tests.factories import make_city, make_press_officer, make_twinning
from twinning.permissions import IsPressOfficerForRecord

pytestmark = pytest.mark.django_db


class _View:
    pass


@pytest.mark.parametrize(
    "who, method, expected",
    [
        ("anonymous", "GET", (True, True)),
        ("anonymous", "PATCH", (False, False)),
        ("officer of A", "PATCH", (True, True)),
        ("officer of A", "DELETE", (True, True)),
        ("officer of B", "GET", (True, True)),
        ("officer of B", "PATCH", (True, False)),
        ("officer of B", "DELETE", (True, False)),
        ("staff without office", "POST", (False, False)),
    ],
)
def test_press_officer_permission_class(who, method, expected, django_user_model):
    azov, bataysk = make_city("Азов"), make_city("Батайск")
    users = {
        "anonymous": AnonymousUser(),
        "officer of A": make_press_officer(azov),
        "officer of B": make_press_officer(bataysk),
        "staff without office": django_user_model.objects.create_user("staff", is_staff=True),
    }
    twinning = make_twinning(azov, make_city())
    request = getattr(APIRequestFactory(), method.lower())("/api/v1/twinnings/")
    request.user = users[who]
    permission = IsPressOfficerForRecord()

    result = (permission.has_permission(request, _View()), permission.has_object_permission(request, _View(), twinning))

    assert result[0] == expected[0]
    if expected[0]:
        assert result[1] == expected[1]
