from django.db.models import Q
from django.shortcuts import get_object_or_404, render
from django.views.generic import DetailView

from twinning.models import Agreement, Twinning


def home(request):
    return render(request, "twinning/home.html", {"twinnings": Twinning.objects.published().with_cities()[:20]})


def twinning_detail(request, slug_a, slug_b):
    twinning = get_object_or_404(
        Twinning.objects.published().with_cities(),
        Q(city_a__slug=slug_a, city_b__slug=slug_b) | Q(city_a__slug=slug_b, city_b__slug=slug_a),
    )
    return render(request, "twinning/twinning_detail.html", {"twinning": twinning})


class AgreementDetailView(DetailView):
    queryset = Agreement.objects.published().with_details()
