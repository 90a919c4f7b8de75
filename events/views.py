from django.views.generic import DetailView

from events.models import Delegation, JointEvent


class DelegationDetailView(DetailView):
    queryset = Delegation.objects.published().with_details()


class JointEventDetailView(DetailView):
    queryset = JointEvent.objects.published().with_details()
