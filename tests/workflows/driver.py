"""Drives the grant flow through the HTTP client, as each role would: open the page, send the form."""

from decimal import Decimal

from django.test import Client
from viewflow.workflow.status import STATUS

from fonds.models import Application
from workflows.flows import GrantFlow
from workflows.models import GrantProcess


class Driver:
    def __init__(self, people, capture):
        self.people = people
        self.capture = capture  # pytest-django's django_capture_on_commit_callbacks
        self.clients = {}
        self.pages = []  # (node name, HTML) of every staff task page opened

    def client(self, name) -> Client:
        if name not in self.clients:
            client = Client()
            client.force_login(self.people[name])
            self.clients[name] = client
        return self.clients[name]

    def post(self, name, url, data=None):
        # Letters are queued on commit; run those callbacks (eager Celery) as a real commit would.
        with self.capture(execute=True):
            return self.client(name).post(url, data or {})

    def get(self, name, url):
        return self.client(name).get(url)

    # --- applicant ---------------------------------------------------------------------------------

    def create_draft(self, name, *, title="Blumenampeln Lippestraße", net="8000", gross="9520", grant=None,
                     round_pk=None, org_pk=None, vat=False, start=None, end=None):
        """Fill in every step of the application form as the applicant would, quotes included."""
        from datetime import timedelta

        from django.core.files.uploadedfile import SimpleUploadedFile
        from django.utils import timezone

        from fonds.models import FundingRound
        from workflows.demo import pdf_bytes

        today = timezone.localdate()
        start = start or (today + timedelta(days=60)).isoformat()
        end = end or (today + timedelta(days=200)).isoformat()
        user = self.people[name]
        org = org_pk or user.organisations.get().pk
        total = Decimal(net if vat else gross)
        grant = Decimal(grant) if grant is not None else (total / 2).quantize(Decimal("0.01"))

        response = self.post(name, "/antraege/neu/",
                             {"organisation": org, "round": round_pk or FundingRound.objects.get().pk})
        assert response.status_code == 302, response.content.decode()[:3000]
        application = Application.objects.filter(created_by=user).latest("pk")
        steps = {
            "vorhaben": {"title": title, "description": "Dauerhaft, öffentlich zugänglich.",
                         "location": "Lippestraße 1, 46282 Dorsten", "planned_start": start, "planned_end": end,
                         "already_started": "False", "is_tenant": "False"},
            "kosten": {"vat_deductible": str(vat), "kosten-TOTAL_FORMS": "2", "kosten-INITIAL_FORMS": "0",
                       "kosten-0-description": "Material und Montage", "kosten-0-net_amount": net,
                       "kosten-0-gross_amount": gross, "kosten-0-eligible": "on"},
            "finanzierung": {"own_funds": str(total - grant), "third_party_funds": "0", "donations": "0",
                             "requested_grant": str(grant)},
        }
        for step, data in steps.items():
            response = self.post(name, f"/antraege/{application.pk}/schritt/{step}/", data)
            assert response.status_code == 302, (step, response.content.decode()[:3000])
        rules = application.round.current_rules
        if total > rules.quote_threshold:
            for n in range(rules.quotes_required):
                response = self.post(name, f"/antraege/{application.pk}/schritt/unterlagen/", {
                    "kind": "quote", "file": SimpleUploadedFile(f"Angebot {n + 1}.pdf", pdf_bytes(f"Angebot {n}"))})
                assert response.status_code == 302, response.content.decode()[:3000]
        response = self.post(name, f"/antraege/{application.pk}/schritt/erklaerungen/",
                             {"privacy": "on", "truth": "on"})
        assert response.status_code == 302, response.content.decode()[:3000]
        application.refresh_from_db()
        return application

    def submit(self, name, application):
        response = self.post(name, f"/antraege/{application.pk}/einreichen/")
        assert response.status_code == 302
        application.refresh_from_db()
        return application

    def apply(self, name="alice", **kwargs):
        return self.submit(name, self.create_draft(name, **kwargs))

    # --- staff -------------------------------------------------------------------------------------

    def task(self, application, node):
        process = GrantProcess.for_application(application)
        return process.task_set.filter(flow_task=node, status__in=[STATUS.NEW, STATUS.ASSIGNED]).get()

    def do(self, name, application, node, data, expect=302):
        task = self.task(application, node)
        if task.status == STATUS.NEW:
            response = self.post(name, node.reverse("assign", args=[task.process_id, task.pk]))
            if response.status_code != 302:
                return response
        url = node.reverse("execute", args=[task.process_id, task.pk])
        if node is GrantFlow.eligibility and not any(key.startswith("met_") for key in data):
            data = {**self.answers(application), **data}  # the checklist as the page pre-fills it
        page = self.get(name, url)  # the page the person sees before sending the form
        assert page.status_code == 200 and application.file_number in page.content.decode()
        self.pages.append((node.name, page.content.decode()))
        response = self.post(name, url, data)
        assert response.status_code == expect, response.content.decode()[:3000]
        application.refresh_from_db()
        return response

    def answers(self, application, unmet=None):
        """The checklist answers as Carla sends them: every item met, except `unmet` ({key: reason}); a reason
        wherever she departs from the system's result or the system cannot decide."""
        from fonds.services.checklist import checklist_for

        unmet = unmet or {}
        data = {}
        for item in checklist_for(application, application.rules):
            met = item.key not in unmet
            data[f"met_{item.key}"] = "yes" if met else "no"
            data[f"reason_{item.key}"] = unmet.get(item.key) or (
                "" if item.automatic is met else "Im Gespräch und vor Ort geprüft.")
        return data

    def eligible(self, application):
        return self.do("carla", application, GrantFlow.eligibility,
                       {"outcome": "eligible", "reasons": "Alle Voraussetzungen erfüllt.", **self.answers(application)})

    def recommend(self, application, amount=None, name="carla", expect=302, **data):
        """`data` adds or overrides fields: condition_templates=[pk, …], score_<criterion pk>=points."""
        return self.do(name, application, GrantFlow.recommendation, {
            "amount": str(amount or application.requested_grant), "conditions": "Förderhinweis anbringen.",
            "reasoning": "Stärkt die Altstadt.", **data}, expect=expect)

    def second_citymanager(self, name="clemens"):
        """clemens – Citymanagement too, the second person for funds with recommendation_four_eyes."""
        if name not in self.people:
            from django.contrib.auth.models import Group, User

            from fonds import roles
            from fonds.models import StaffMembership

            user = User.objects.create_user(name, f"{name}@dorsten.example", "x", first_name="Clemens",
                                            last_name="Kampmann")
            user.groups.add(Group.objects.get(name=roles.CITYMANAGEMENT))
            StaffMembership.objects.create(user=user,
                                           authority=self.people["carla"].staff_memberships.get().authority)
            self.people = {**self.people, name: user}
        return name

    def confirm_recommendation(self, application, name, decision="confirm", reason="", expect=302):
        """The second person of the Citymanagement (funds with recommendation_four_eyes)."""
        return self.do(name, application, GrantFlow.recommendation_confirm,
                       {"decision": decision, "reason": reason}, expect=expect)

    def decide(self, application, outcome="approve", amount="", reasons="", conditions="", expect=302):
        """A Beirat meeting on this one application, through the pages: carla creates it, puts the application
        on the agenda, sets the proposal, records that every member is present and that every voting member
        who may vote says yes (or defers the item); she closes the meeting and dieter, the chair, signs.
        Returns the response to the sign-off (or to the first step refused)."""
        from django.utils import timezone

        from fonds.models import Board, Meeting
        from fonds.selectors.board import item_quorum

        board = Board.objects.get(fund=application.fund)
        starts = timezone.localtime() - timezone.timedelta(hours=1)
        response = self.post("carla", "/beirat/sitzungen/neu/", {
            "board": board.pk, "kind": "meeting", "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
            "place": "Altes Rathaus"})
        assert response.status_code == 302, response.content.decode()[:3000]
        meeting = Meeting.objects.filter(board=board).latest("pk")
        base = f"/beirat/sitzungen/{meeting.pk}/"
        steps = [("carla", f"{base}tagesordnung/", {"applications": [application.pk]})]
        self._run(steps)
        item = meeting.items.get(application=application)
        top = f"{base}top/{item.pk}/"
        steps = [("carla", f"{base}anwesenheit/", {"present": [m.pk for m in board.members.all()]})]
        if outcome == "defer":
            steps.append(("carla", f"{top}vertagen/", {"reasons": reasons}))
        else:
            steps.append(("carla", f"{top}vorschlag/", {"proposal": outcome, "amount": str(amount),
                                                      "conditions": conditions, "reasons": reasons}))
        response = self._run(steps)
        if response.status_code != 302:
            assert response.status_code == expect, response.content.decode()[:3000]
            return response
        if outcome != "defer":
            votes = {f"vote_{pk}": "yes" for pk in item_quorum(item).eligible_ids}
            response = self._run([("carla", f"{top}abstimmung/", votes)])
            if response.status_code != 302:
                assert response.status_code == expect, response.content.decode()[:3000]
                return response
        response = self._run([("carla", f"{base}schliessen/", {}), ("dieter", f"{base}unterzeichnen/", {})])
        assert response.status_code == expect, response.content.decode()[:3000]
        application.refresh_from_db()
        return response

    def _run(self, steps):
        """POST each step; stop at the first that does not redirect (a refusal re-renders the page)."""
        response = None
        for name, url, data in steps:
            response = self.post(name, url, data)
            if response.status_code != 302:
                return response
        return response

    def bescheid(self, application, final=True):
        """Drafted by frieda, issued by felix; with `final`, frieda then records the posting and the recipient's
        waiver of appeal, so that payments need not wait for the action period (Bestandskraft)."""
        self.do("frieda", application, GrantFlow.bescheid_draft, {
            "period_end": application.planned_end.isoformat(), "conditions": "Förderhinweis anbringen.",
            "reasons": "Der Beirat hat die Förderung beschlossen.", "payment_terms": "Auf Anforderung."})
        response = self.do("felix", application, GrantFlow.bescheid_issue, {"decision": "issue"})
        if final:
            self.waive(application)
        return response

    def waive(self, application, name="frieda"):
        """Posted today, and the signed waiver of appeal came back today: the Bescheid is final."""
        from django.utils import timezone

        from fonds.models import Letter

        letter = application.letters.filter(kind=Letter.Kind.BESCHEID).exclude(status="draft").latest("pk")
        url = f"/verwaltung/briefe/{letter.pk}/bekanntgabe/"
        today = timezone.localdate().isoformat()
        for data in ({"action": "posting", "posted_on": today}, {"action": "waiver", "waiver_received_on": today}):
            response = self.post(name, url, data)
            assert response.status_code == 302, response.content.decode()[:3000]
        return letter

    def upload(self, application, kind, filename, name="alice"):
        """Upload a file on the implementation page, as the applicant does before calling funds."""
        from django.core.files.uploadedfile import SimpleUploadedFile

        from workflows.demo import pdf_bytes

        response = self.post(name, f"/antraege/{application.pk}/umsetzung/", {
            "action": "upload", "kind": kind, "file": SimpleUploadedFile(filename, pdf_bytes(filename))})
        assert response.status_code == 302, response.content.decode()[:2000]

    def request_payment(self, application, amount, name="alice"):
        if not application.documents.filter(kind="receipt").exists():
            self.upload(application, "receipt", "Rechnung Schreinerei.pdf", name)
        return self.post(name, f"/antraege/{application.pk}/umsetzung/", {
            "action": "payment", "abruf-amount": str(amount), "abruf-note": "Rechnung Schreinerei"})

    def pay(self, application, amount, name="alice"):
        response = self.request_payment(application, amount, name)
        assert response.status_code == 302, response.content.decode()[:2000]
        self.order(application, amount)
        return self.release(application)

    def order(self, application, amount, name="frieda", expect=302):
        """Anordnung with the Feststellung der sachlichen Richtigkeit."""
        return self.do(name, application, GrantFlow.payment_order,
                       {"decision": "order", "amount": str(amount), "factually_correct": "on"}, expect=expect)

    def release(self, application, name="felix", expect=302):
        """Freigabe with the Feststellung der rechnerischen Richtigkeit."""
        return self.do(name, application, GrantFlow.payment_release, {"arithmetically_correct": "on"}, expect=expect)

    def use_report(self, application, net, gross, name="alice"):
        for kind, filename in (("receipt", "Schlussrechnung.pdf"), ("finished_photo", "Fertig.pdf"),
                               ("funding_sign", "Foerderhinweis.pdf")):
            if not application.documents.filter(kind=kind).exists():
                self.upload(application, kind, filename, name)
        response = self.post(name, f"/antraege/{application.pk}/umsetzung/", {
            "action": "use_report", "vn-narrative": "Alles wurde wie geplant umgesetzt.",
            "vn-funding_sign_in_place": "on",
            "belege-TOTAL_FORMS": "1", "belege-INITIAL_FORMS": "0",
            "belege-0-paid_on": application.planned_start.isoformat(),
            "belege-0-payee": "Schreinerei Hülsmann", "belege-0-purpose": "Lieferung und Montage",
            "belege-0-net_amount": str(net), "belege-0-gross_amount": str(gross), "belege-0-eligible": "on"})
        assert response.status_code == 302, response.content.decode()[:2000]
        application.refresh_from_db()

    def accept_use_report(self, application, accepted_costs):
        return self.do("carla", application, GrantFlow.use_report_check, {
            "decision": "accept", "accepted_costs": str(accepted_costs), "note": "Belege geprüft."})

    def settle(self, application):
        return self.do("frieda", application, GrantFlow.settlement, {"confirm": "on"})
