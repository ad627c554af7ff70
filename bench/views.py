from django.shortcuts import render

from fonds.models import Application


def floor(request):
    """The floor every page is measured against: one indexed query, a tiny template, the same middleware."""
    application = Application.objects.filter(pk=request.GET.get("pk") or 0).values("pk", "title").first()
    return render(request, "bench/floor.html", {"application": application})


def frame(request):
    """The floor inside the page frame every real page has (header, navigation, footer of base.html): what
    the frame alone costs on top of the floor."""
    application = Application.objects.filter(pk=request.GET.get("pk") or 0).values("pk", "title").first()
    return render(request, "bench/frame.html", {"application": application})
