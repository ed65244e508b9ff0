"""SQLAlchemy 2.x typed models. Helpers take a session and never commit."""
from models.audit import AuditEntry, audit
from models.base import Base, utcnow
from models.line import LineUser, OutboxMessage, OutboxStatus, WebhookEvent
from models.org import ROLE_NAMES_TH, Agency, Role, RoleAssignment, Staff, Unit

__all__ = [
    "ROLE_NAMES_TH", "Agency", "AuditEntry", "Base", "LineUser", "OutboxMessage",
    "OutboxStatus", "Role", "RoleAssignment", "Staff", "Unit", "WebhookEvent", "audit", "utcnow",
]
