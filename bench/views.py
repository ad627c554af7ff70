from django.shortcuts import render

from fonds.models import Application


def floor(request):
    """The floor every page is measured against: one indexed query, a tiny template, the same middleware."""
    application = Application.objects.filter(pk=request.GET.get("pk") or 0).values("pk", "title").first()
    return render(request, "bench/floor.html", {"application": application})
