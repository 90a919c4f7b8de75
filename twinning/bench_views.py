"""The framework's ceiling for `make bench`: the cheapest response Django can give on this machine.

It passes through the whole middleware stack like every page but touches no database and no
template, so the throughput of a real page divided by this one's shows what the page itself costs.
Routed only when settings.BENCH_CEILING_VIEW is on (bench/run.py sets it), so production has no
such URL.
"""

from django.http import HttpResponse


def ceiling(request):
    return HttpResponse(b"ok\n", content_type="text/plain")
