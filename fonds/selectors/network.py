"""Reads of the network for the staff of an authority: actors, contacts, events. Staff see their own authority's
network only; everything else is 404."""

from django.db.models import Count, Prefetch, Q
from django.http import Http404

from fonds.models import Actor, Application, Consent, Contact, Cooperation, EventInvitation, NetworkEvent, Stage


def actors_for_staff(*, user):
    return (Actor.objects.filter(authority__staff_memberships__user=user)
            .annotate(contact_count=Count("contacts", distinct=True))
            .prefetch_related("topics").order_by("name"))


def _one(queryset, pk):
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def actor_for_staff(*, user, pk) -> Actor:
    return _one(actors_for_staff(user=user), pk)


def actor_dossier(actor: Actor) -> dict:
    """What the actor's page shows: contacts with their consents, applications, measures, events, cooperations."""
    contacts = actor.contacts.prefetch_related(
        Prefetch("consents", queryset=Consent.objects.order_by("-given_at", "-pk")))
    applications = (Application.objects.filter(organisation_id=actor.organisation_id).exclude(stage=Stage.DRAFT)
                    .select_related("fund").order_by("-submitted_at") if actor.organisation_id else [])
    return {
        "contacts": contacts,
        "applications": applications,
        "measures": actor.measures.all(),
        "invitations": (EventInvitation.objects.filter(contact__actor=actor)
                        .select_related("event", "contact").order_by("-event__starts_at", "contact__name")),
        "cooperations": (Cooperation.objects.filter(Q(first=actor) | Q(second=actor))
                         .select_related("first", "second")),
    }


def contact_for_staff(*, user, pk) -> Contact:
    return _one(Contact.objects.filter(actor__authority__staff_memberships__user=user).select_related("actor"), pk)


def events_for_staff(*, user):
    return (NetworkEvent.objects.filter(authority__staff_memberships__user=user)
            .annotate(invited=Count("invitations", distinct=True),
                      registered=Count("invitations", filter=Q(invitations__registered_at__isnull=False),
                                       distinct=True)))


def event_for_staff(*, user, pk) -> NetworkEvent:
    return _one(events_for_staff(user=user).select_related("authority"), pk)


def contacts_to_invite(*, event: NetworkEvent):
    """Every contact of the event's authority who may be e-mailed; the service checks each again."""
    return (Contact.objects.filter(actor__authority=event.authority, anonymised_at__isnull=True,
                                   consents__purpose=Consent.Purpose.INVITATIONS,
                                   consents__withdrawn_at__isnull=True)
            .exclude(email="").distinct())
