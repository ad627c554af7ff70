"""The five roles. Which task each role may do is in workflows/roles.py (it knows the flow's permissions)."""

APPLICANT = "Antragsteller"
CITYMANAGEMENT = "Citymanagement"
BOARD = "Beirat"
FINANCE = "Finanzen"
FUND_ADMIN = "Fondsverwaltung"
