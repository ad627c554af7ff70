"""Role × permission matrix. `manage.py sync_roles` writes it into the groups."""

from fonds import roles

PROCESS_VIEW = "workflows.view_grantprocess"

ROLE_PERMISSIONS = {
    roles.APPLICANT: [],
    roles.CITYMANAGEMENT: [PROCESS_VIEW, "fonds.view_all_applications", "fonds.check_eligibility",
                           "fonds.recommend", "fonds.check_use_report", "notifications.resend_notification",
                           "fonds.prepare_meeting"],
    # The Beirat reads its meetings' items on the Beirat pages only: no dossiers, no bank data, no process list.
    roles.BOARD: ["fonds.decide"],
    roles.FINANCE: [PROCESS_VIEW, "fonds.view_all_applications", "fonds.draft_bescheid", "fonds.issue_bescheid",
                    "fonds.order_payment", "fonds.release_payment", "fonds.settle",
                    # hands released payments to the Stadtkasse (SEPA/CSV) and records the day they were paid
                    "fonds.export_payments",
                    # keeps the de-minimis grants' list for the central register
                    "fonds.report_de_minimis",
                    # records when a Bescheid was posted and when a waiver of appeal came in
                    "fonds.record_dispatch",
                    # private contributions, year end and the fund dashboard (docs/finance.md)
                    "fonds.manage_fund_finances", "fonds.view_fund_dashboard"],
    roles.FUND_ADMIN: [PROCESS_VIEW, "workflows.manage_grantprocess", "fonds.view_all_applications",
                       "notifications.resend_notification", "notifications.add_emailtemplate",
                       "notifications.change_emailtemplate", "notifications.view_emailtemplate",
                       "notifications.delete_emailtemplate"]
    + [f"fonds.{action}_{model}" for model in ("authority", "staffmembership", "fund", "fundinground", "ruleset",
                                               "budgetline", "organisation", "membership", "baserate",
                                               "board", "boardmember", "standinginterest", "lettertemplate")
       for action in ("add", "change", "view")]
    + ["fonds.view_auditevent", "fonds.view_meeting", "fonds.view_fund_dashboard"],
}
# The Stadtteilbüro keeps the measures and the network of actors (staff pages; in the Django admin once the
# account is marked as staff). Contacts' personal data stays with these two roles.
NETWORK = ["fonds.manage_network"] + [
    f"fonds.{action}_{model}" for model in ("measure", "milestone", "measurefunding", "actor", "topic", "contact",
                                            "consent", "cooperation", "networkevent", "eventinvitation")
    for action in ("add", "change", "view")] + ["fonds.view_publicationconsent", "fonds.view_erasurerequest"]
ROLE_PERMISSIONS[roles.CITYMANAGEMENT] += NETWORK
ROLE_PERMISSIONS[roles.FUND_ADMIN] += NETWORK
# The team lead does everything Citymanagement does and also hands out its tasks.
ROLE_PERMISSIONS[roles.CITYMANAGEMENT_LEAD] = [*ROLE_PERMISSIONS[roles.CITYMANAGEMENT], "fonds.lead_team"]
