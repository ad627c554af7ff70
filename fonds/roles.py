"""The five roles. Which task each role may do is in workflows/roles.py (it knows the flow's permissions)."""

APPLICANT = "Antragsteller"
CITYMANAGEMENT = "Citymanagement"
CITYMANAGEMENT_LEAD = "Citymanagement-Leitung"  # Citymanagement who also assigns the team's tasks
BOARD = "Beirat"
FINANCE = "Finanzen"
FUND_ADMIN = "Fondsverwaltung"
