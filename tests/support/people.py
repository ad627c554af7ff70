"""People of another city: every access test needs staff who must see nothing of Dorsten's."""

from django.contrib.auth.models import Group, User

from fonds.models import Authority, StaffMembership


def gladbeck() -> Authority:
    """The neighbouring city, with its own staff and funds."""
    return Authority.objects.create(name="Stadt Gladbeck", street="Willy-Brandt-Platz 2", postcode="45964",
                                    city="Gladbeck", court_name="Verwaltungsgericht Gelsenkirchen",
                                    court_address="Bahnhofsvorplatz 2, 45879 Gelsenkirchen")


def staff_user(username, role, authority, first="", last="") -> User:
    """A user with `role` working for `authority`."""
    user = User.objects.create_user(username, f"{username}@example.org", "x", first_name=first, last_name=last)
    user.groups.add(Group.objects.get(name=role))
    StaffMembership.objects.create(user=user, authority=authority)
    return user
