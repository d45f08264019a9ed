"""Names of the workflow's values in the interface language (read per request)."""

from __future__ import annotations

from babel import Locale

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


def form_fields() -> dict[str, str]:
    """The staff forms' fields as the forms label them, by the name the form sends: a form's summary of
    problems names each field so (a page whose label says more passes its own words)."""
    return {
        "mission": _("Mission"),
        "role": _("Role"),
        "person_id": _("The observer"),
        "name_original": _("Name in the original script"),
        "name_latin": _("Name in Latin letters"),
        "nationality": _("Nationality"),
        "birth_date": _("Birth date"),
        "gender": _("Gender"),
        "document_number": _("Travel document number"),
        "document_country": _("Document issued by"),
        "email": _("Email"),
        "phone": _("Phone"),
        "status": _("New status"),
        "effective_at": _("Effective"),
        "decision_ref": _("Decision reference"),
        "reason": _("Reason"),
        "override_reason": _("Deadline override reason"),
        "slug": _("Short name (in addresses)"),
        "name": _("Name"),
        "sender": _("Sender"),
        "head_name": _("Head of mission"),
        "coordinator_name": _("Coordinator"),
        "expected_size": _("Expected size"),
        "nomination_note_ref": _("Nomination note reference"),
        "news_item_ids": _("News items"),
        "name_en": _("Name in English"),
        "name_ru": _("Name in Russian"),
        "name_kk": _("Name in Kazakh"),
        "acronym_en": _("Acronym in English"),
        "acronym_ru": _("Acronym in Russian"),
        "acronym_kk": _("Acronym in Kazakh"),
        "kind": _("Kind"),
        "voting_day": _("Voting day"),
        "time_zone": _("Time zone"),
        "window_opens_at": _("Accreditation opens"),
        "window_closes_at": _("Accreditation closes"),
        "badge_prefix": _("Badge number prefix"),
        "title": _("Title"),
        "source": _("Source"),
        "url": _("Web address"),
        "language": _("Language"),
        "published_at": _("Published at"),
        "text": _("Text"),
        "missions": _("Missions it is about"),
        "as_of": _("As of"),
        "languages": _("Languages"),
        "corrects_id": _("Corrects the published bulletin"),
        "password": _("Password"),
        "current_password": _("Current password"),
        "new_password": _("New password"),
        "new_password_again": _("New password again"),
    }


def organization_kinds() -> dict[str, str]:
    return {m.OrganizationKind.INTERNATIONAL: _("international"), m.OrganizationKind.DOMESTIC: _("domestic")}


def record_states() -> dict[str, str]:
    """The states of a bulletin and of an imported list."""
    return {
        m.BulletinStatus.DRAFT: _("draft"),
        m.BulletinStatus.PUBLISHED: _("published"),
        m.ImportStatus.PENDING: _("checked, not imported yet"),
        m.ImportStatus.COMMITTED: _("imported"),
        m.ImportStatus.REFUSED: _("refused"),
    }


def record_types() -> dict[str, str]:
    """The kinds of record the audit trail names, by table."""
    return {
        "election": _("Election"),
        "mission": _("Mission"),
        "person": _("Person"),
        "accreditation": _("Accreditation"),
        "import_batch": _("Imported list"),
        "decision": _("Decision"),
        "organization": _("Organization"),
        "country": _("Country"),
        "news_item": _("News item"),
        "bulletin": _("Bulletin"),
        "user_account": _("Account"),
    }


def record_fields() -> dict[str, str]:
    """The fields of the records, and of what the audit trail records beside them, as its entries name them
    (`Name in Latin letters: OLD → NEW`). Mostly the words of the forms that change them."""
    return import_fields() | {
        "election_id": _("Election"),
        "mission_id": _("Mission"),
        "person_id": _("Person"),
        "organization_id": _("Organization"),
        "nationality_code": _("Nationality"),
        "document_country_code": _("Document issued by"),
        "latin_proposed": _("Latin name proposed, not yet checked against the passport"),
        "badge_number": _("Badge number"),
        "decision_ref": _("Decision reference"),
        "decision_id": _("Decision"),
        "replaces_id": _("Replaces"),
        "import_batch_id": _("Imported list"),
        "is_test": _("Test record"),
        "status": _("Status"),
        "effective_at": _("Effective"),
        "reason": _("Reason"),
        "override_reason": _("Deadline override reason"),
        "slug": _("Short name (in addresses)"),
        "name": _("Name"),
        "sender_kind": _("Kind of sender"),
        "sender": _("Sender"),
        "country_code": _("Country"),
        "head_name": _("Head of mission"),
        "coordinator_name": _("Coordinator"),
        "expected_size": _("Expected size"),
        "nomination_note_ref": _("Nomination note reference"),
        "name_en": _("Name in English"),
        "name_ru": _("Name in Russian"),
        "name_kk": _("Name in Kazakh"),
        "acronym_en": _("Acronym in English"),
        "acronym_ru": _("Acronym in Russian"),
        "acronym_kk": _("Acronym in Kazakh"),
        "kind": _("Kind"),
        "voting_day": _("Voting day"),
        "time_zone": _("Time zone"),
        "window_opens_at": _("Accreditation opens"),
        "window_closes_at": _("Accreditation closes"),
        "title": _("Title"),
        "source": _("Source"),
        "url": _("Web address"),
        "language": _("Language"),
        "lang": _("Language"),
        "languages": _("Languages"),
        "published_at": _("Published at"),
        "text": _("Text"),
        "news_item_ids": _("News items"),
        "as_of": _("As of"),
        "fingerprint": _("Fingerprint"),
        "corrects_id": _("Corrects the published bulletin"),
        "pdf_sha256": _("PDF (SHA-256)"),
        "file_name": _("File"),
        "sha256": _("File (SHA-256)"),
        "rows": _("Rows"),
        "created": _("Observers added"),
        "with_problems": _("Rows with problems"),
        "already_there": _("Already there"),
        "is_active": _("Active"),
        "expires_at": _("Valid until"),
        "per_mission": _("A sheet per mission"),
        "layout": _("Layout"),
        "cards": _("Cards"),
        "ticked": _("Ticked observers"),
        "reference": _("Decision reference"),
        "decided_on": _("Decision date"),
        "outcome": _("Outcome"),
        "accreditations": _("Accreditations"),
        "selection": _("Chosen"),
        "mission": _("Mission"),
        "q": _("Name or badge number"),
        "all": _("Whole election"),
        "left_out": _("Left out"),
    }


def language_names(codes: set[str], lang: str) -> dict[str, str]:
    """Languages' names as `lang` writes them (CLDR's, through Babel), capitalized as labels; the code itself for
    one CLDR does not name. A news item in another language than the page's is marked with it."""
    names = Locale.parse(lang).languages
    return capitalized({code: names.get(code, code) for code in codes})
