"""Nothing is a dead link: every link every role sees on its pages leads somewhere it may go."""

from collections import deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlparse

import pytest
from django.core.management import call_command
from django.test import Client

from workflows import demo

# Links that leave the page's purpose: downloads are checked by the access tests; logout is a POST form.
SKIP_PREFIXES = ("/static/", "/admin/", "/abmelden/")
MAX_PAGES = 120


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


def crawl(client, start="/"):
    seen, broken, queue = set(), [], deque([(start, "(start)")])
    while queue and len(seen) < MAX_PAGES:
        url, source = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code in (301, 302):
            location = urljoin(url, response["Location"])
            if location.startswith("/anmelden/"):
                broken.append((url, "login required", source))
            else:
                queue.append((location, url))
            continue
        if response.status_code != 200:
            broken.append((url, response.status_code, source))
            continue
        if "text/html" not in response.get("Content-Type", ""):
            continue
        parser = Links()
        parser.feed(response.content.decode())
        for href in parser.hrefs:
            target = urldefrag(urljoin(url, href))[0]
            parsed = urlparse(target)
            if parsed.scheme in ("mailto", "tel", "javascript") or parsed.netloc not in ("", "testserver"):
                continue
            path = parsed.path + (f"?{parsed.query}" if parsed.query else "")
            if path and not path.startswith(SKIP_PREFIXES):
                queue.append((path, url))
    return seen, broken


@pytest.mark.django_db(transaction=True)
def test_no_role_meets_a_dead_link():
    call_command("sync_roles", stdout=open("/dev/null", "w"))
    assert demo.load()
    from django.contrib.auth.models import User

    starts = {"alice": "/antraege/", "bob": "/antraege/", "carla": "/arbeit/", "clemens": "/arbeit/aufgaben/",
              "lena": "/arbeit/uebersicht/", "dieter": "/beirat/meine-sitzungen/", "frieda": "/arbeit/",
              "verwaltung": "/verwaltung/antraege/"}
    for username, start in starts.items():
        client = Client()
        client.force_login(User.objects.get(username=username))
        seen, broken = crawl(client, start)
        assert len(seen) > 3, username
        assert broken == [], f"{username}: {broken}"
    seen, broken = crawl(Client(), "/")
    assert broken == []
