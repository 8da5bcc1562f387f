"""Access control by the handbook (clause 6.1): roles, scopes, accounts, sign-in."""

from api.access.policy import (
    AccessDenied,
    Principal,
    RoleGrant,
    Target,
    allows,
    load_principal,
    require,
    require_any,
    scope,
    sections_visible,
    under,
)
from api.access.roles import PERSON_SCOPED_ROLES, ROLE_ACTIONS, ROLE_NAMES_TH, Action, Role

__all__ = [
    "PERSON_SCOPED_ROLES",
    "ROLE_ACTIONS",
    "ROLE_NAMES_TH",
    "AccessDenied",
    "Action",
    "Principal",
    "Role",
    "RoleGrant",
    "Target",
    "allows",
    "load_principal",
    "require",
    "require_any",
    "scope",
    "sections_visible",
    "under",
]
