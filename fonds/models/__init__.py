from .actors import (
    Actor,
    Consent,
    Contact,
    Cooperation,
    ErasureRequest,
    EventInvitation,
    NetworkEvent,
    Topic,
)
from .applications import Application, CostItem, FileNumberSequence, Stage
from .audit import AuditEvent
from .authority import Authority, StaffMembership
from .board import (
    AgendaItem,
    Attendance,
    Board,
    BoardMember,
    BoardPack,
    ConflictDeclaration,
    Meeting,
    StandingInterest,
    Vote,
)
from .contributions import ContributionReceipt, PrivateContribution, YearClosing, YearClosingLine
from .de_minimis import DeMinimisAid, DeMinimisGrant
from .decisions import (
    BoardDecision,
    CriterionScore,
    DocumentRequest,
    EligibilityCheck,
    EligibilityCheckItem,
    InternalNote,
    Recommendation,
)
from .documents import Document
from .feedback import AccessibilityFeedback
from .funds import ConditionTemplate, Criterion, Fund, FundingRound, RuleSet
from .letters import Letter, LetterBatch, LetterTemplate
from .measures import Measure, MeasureFunding, Milestone
from .money import (
    BaseRate,
    BudgetLine,
    LedgerEntry,
    Payment,
    PaymentExport,
    PaymentRequest,
    ReceiptLine,
    Recovery,
    UseReport,
)
from .organisations import Invitation, Membership, Organisation
from .publication import PUBLISHABLE_FIELDS, PublicationConsent

__all__ = [
    "Actor", "Consent", "Contact", "Cooperation", "ErasureRequest", "EventInvitation", "MeasureFunding",
    "Milestone", "NetworkEvent", "PUBLISHABLE_FIELDS", "PublicationConsent", "Topic",
    "AgendaItem", "Attendance", "Board", "BoardMember", "BoardPack", "ConflictDeclaration", "Meeting",
    "StandingInterest", "Vote",
    "AccessibilityFeedback", "Application", "AuditEvent", "Authority", "BaseRate", "BoardDecision", "BudgetLine",
    "ConditionTemplate", "CostItem", "Criterion", "CriterionScore", "EligibilityCheckItem", "InternalNote",
    "Document", "DocumentRequest", "EligibilityCheck", "FileNumberSequence", "Fund", "FundingRound", "Invitation",
    "LedgerEntry", "Letter", "LetterBatch", "LetterTemplate", "Measure", "Membership", "Organisation", "Payment",
    "PaymentExport", "PaymentRequest", "ReceiptLine",
    "Recommendation", "Recovery", "RuleSet", "StaffMembership", "Stage", "UseReport",
    "ContributionReceipt", "PrivateContribution", "YearClosing", "YearClosingLine",
    "DeMinimisAid", "DeMinimisGrant",
]
