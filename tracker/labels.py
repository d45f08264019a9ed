"""Names of the workflow's values in the interface language (read per request)."""

from __future__ import annotations

from tracker import models as m
from tracker.i18n import gettext as _


def statuses() -> dict[str, str]:
    return {
        m.Status.NOMINATED: _("nominated"),
        m.Status.ACCREDITED: _("accredited"),
        m.Status.WITHDRAWN: _("withdrawn"),
        m.Status.REVOKED: _("revoked"),
        m.Status.REJECTED: _("rejected"),
    }


def roles() -> dict[str, str]:
    return {
        m.Role.HEAD_OF_MISSION: _("head of mission"),
        m.Role.COORDINATOR: _("coordinator"),
        m.Role.LONG_TERM_OBSERVER: _("long-term observer"),
        m.Role.SHORT_TERM_OBSERVER: _("short-term observer"),
        m.Role.PARLIAMENTARIAN: _("parliamentarian"),
        m.Role.EXPERT: _("expert"),
        m.Role.INTERPRETER: _("interpreter"),
        m.Role.STAFF: _("staff"),
    }


def sender_kinds() -> dict[str, str]:
    return {
        m.SenderKind.FOREIGN_STATE: _("foreign state"),
        m.SenderKind.INTERNATIONAL_ORGANIZATION: _("international organization"),
        m.SenderKind.DOMESTIC_ORGANIZATION: _("domestic organization"),
    }


def user_roles() -> dict[str, str]:
    return {
        m.UserRole.ADMIN: _("admin"),
        m.UserRole.REGISTRAR: _("registrar"),
        m.UserRole.PRESS_OFFICER: _("press officer"),
    }


def genders() -> dict[str, str]:
    return {m.Gender.UNSPECIFIED: _("not given"), m.Gender.FEMALE: _("female"), m.Gender.MALE: _("male")}


def import_fields() -> dict[str, str]:
    """The columns a mission's list can have, as the import page names them."""
    return {
        "name_original": _("Name in the original script"),
        "name_latin": _("Name in Latin letters"),
        "surname": _("Surname"),
        "given_names": _("Given names"),
        "patronymic": _("Patronymic"),
        "surname_latin": _("Surname in Latin letters"),
        "given_names_latin": _("Given names in Latin letters"),
        "nationality": _("Nationality"),
        "birth_date": _("Birth date"),
        "gender": _("Gender"),
        "document_number": _("Travel document number"),
        "document_country": _("Document issued by"),
        "role": _("Role"),
        "email": _("Email"),
        "phone": _("Phone"),
    }


def capitalized(words: dict[str, str]) -> dict[str, str]:
    """For a table cell or a document's line, where the pages write these words inside sentences."""
    return {key: word[:1].upper() + word[1:] for key, word in words.items()}
