"""The workbook a mission can fill in: the columns the import reads, an example row and notes, in the
current language (reports/import_template.py draws it from plain data)."""

from __future__ import annotations

from reports.import_template import TemplateColumn, build_import_template
from tracker import labels
from tracker.i18n import current_language
from tracker.i18n import gettext as _

# The template's example row: what a mission copies. Names and numbers are the same in every language.
TEMPLATE_EXAMPLES = {
    "name_original": "Анна Пример",
    "name_latin": "Anna Primer",
    "nationality": "DE",
    "birth_date": "05.03.1971",
    "gender": "F",
    "document_number": "C01X00T47",
    "role": None,
    "email": "anna@example.org",
    "phone": "+49 30 0000000",
}
TEMPLATE_REQUIRED = ("name_original", "nationality")


def import_template() -> tuple[bytes, str]:
    """The workbook a mission can fill in, in the current language: the columns, an example row, notes."""
    names = labels.import_fields()
    notes = {
        "name_original": _("As in the passport, in the original script."),
        "name_latin": _(
            "As in the passport's machine-readable zone. Left empty, it is proposed from the original script as "
            "passports write it, for the commission to confirm."
        ),
        "nationality": _("Country name in English, Russian or Kazakh, or its ISO code (DE, DEU)."),
        "birth_date": _("DD.MM.YYYY, or a date cell."),
        "gender": _("M or F."),
        "document_number": _("Letters and digits, as in the passport."),
        "role": _("Head of mission, coordinator, long-term or short-term observer, expert, interpreter, staff."),
        "email": _("Optional."),
        "phone": _("Optional."),
    }
    columns = [
        TemplateColumn(names[key], key in TEMPLATE_REQUIRED, note, TEMPLATE_EXAMPLES[key] or _("short-term observer"))
        for key, note in notes.items()
    ]
    content = build_import_template(
        columns, notes_title=_("Notes"), heading=_("One observer a row; columns marked * are required.")
    )
    return content, f"observers-{current_language.get()}.xlsx"
