from django.views.generic import DetailView

from cities.models import City, Organisation, Person


class CityDetailView(DetailView):
    queryset = City.objects.published().with_names()


class OrganisationDetailView(DetailView):
    queryset = Organisation.objects.published().with_city()


class PersonDetailView(DetailView):
    queryset = Person.objects.published().with_positions()
