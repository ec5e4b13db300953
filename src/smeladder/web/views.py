from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from smeladder.registry.models import Enterprise, Title


def home(request: HttpRequest) -> HttpResponse:
    """Placeholder landing page: registry size and links; the real UI comes with the web issue."""
    context = {
        "enterprise_count": Enterprise.objects.count(),
        "title_count": Title.objects.filter(status=Title.Status.ACTIVE).count(),
    }
    return render(request, "web/home.html", context)
