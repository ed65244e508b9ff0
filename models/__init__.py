"""SQLAlchemy 2.x typed models. Helpers take a session and never commit."""
# Amending a signed agreement as a whole
from models.amendments import KpiAmendment  # noqa: F401

# Appraisal results, low performers, IDPs, HiPPS reports (registered with Base here).
from models.appraisal import (  # noqa: E402,F401
    Appraisal,
    CompetencyScore,
    LowPerformerCase,
    LowPerformerStep,
)
from models.audit import AuditEntry, audit
from models.base import Base, utcnow

# Calendar and reminders
from models.calendar import CalendarOverride, OfficeCalendar
from models.chat_log import RichMenuLink, UnknownMessage  # messages nobody understood; menus
from models.development import Idp, IdpCheckin, IdpItem, SurveyResponse  # noqa: E402,F401
from models.documents import DocumentLink  # noqa: E402,F401  (a result PDF's chat link)
from models.hipps import HippsCertification, HippsReport, KeyProject, Milestone  # noqa: E402,F401

# HR announcements, forms, console sign-in
from models.hr import (  # noqa: E402
    Announcement,
    AnnouncementRecipient,
    Audience,
    ConsoleLoginToken,
    ConsoleSession,
    Form,
    FormResponse,
    SendStatus,
)
from models.kpi import AgreementError, ChangeStatus, Kpi, KpiAgreement, KpiChangeRequest
from models.line import Conversation, LineUser, OutboxMessage, OutboxStatus, WebhookEvent
from models.linking import LinkCode
from models.org import (
    ROLE_NAMES_TH,
    Agency,
    PositionType,
    Role,
    RoleAssignment,
    Staff,
    Unit,
)
from models.progress import (
    Confirmation,
    Evidence,
    EvidenceStatus,
    ProgressReport,
    ReportKind,
    ReportStatus,
    WorkStatus,
)
from models.reminders import (
    ChannelState,
    DeadlineCompletion,
    Reminder,
    ReminderKind,
    ReminderPolicy,
    ReminderPush,
    ReminderSnooze,
)
from models.rounds import DeadlineRule, Round, RoundDeadline

__all__ = [
    "ROLE_NAMES_TH", "Agency", "AgreementError", "AuditEntry", "Base", "ChangeStatus",
    "Confirmation", "Conversation", "Evidence", "EvidenceStatus", "ProgressReport",
    "ReportKind", "ReportStatus", "WorkStatus", "DeadlineRule", "Kpi", "KpiAgreement",
    "KpiChangeRequest", "LineUser",
    "LinkCode", "OutboxMessage", "OutboxStatus", "PositionType", "Role", "RoleAssignment",
    "Round", "RoundDeadline", "Staff", "Unit", "WebhookEvent", "audit", "utcnow",
    # HR announcements, forms, console sign-in
    "Announcement", "AnnouncementRecipient", "Audience", "ConsoleLoginToken", "ConsoleSession",
    "Form", "FormResponse", "SendStatus",
    # calendar and reminders
    "CalendarOverride", "ChannelState", "DeadlineCompletion", "OfficeCalendar", "Reminder",
    "ReminderKind", "ReminderPolicy", "ReminderPush", "ReminderSnooze",
    # messages nobody understood
    "RichMenuLink", "UnknownMessage",
]
