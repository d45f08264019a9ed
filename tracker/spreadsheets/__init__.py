"""Reading the lists of observers that missions send: checking the file, streaming its rows, proposing which
column holds which field, and reading the values people write (dates, genders, roles, countries) in English,
Russian and Kazakh. Pure: bytes in, values out; no database, no HTTP."""

from tracker.spreadsheets.files import open_table
from tracker.spreadsheets.headers import FIELDS, Header, find_header
from tracker.spreadsheets.table import UNSAVED_FORMULA, Limits, SpreadsheetError, Table
from tracker.spreadsheets.values import CountryNames, parse_date, parse_gender, parse_role

__all__ = [
    "FIELDS",
    "UNSAVED_FORMULA",
    "CountryNames",
    "Header",
    "Limits",
    "SpreadsheetError",
    "Table",
    "find_header",
    "open_table",
    "parse_date",
    "parse_gender",
    "parse_role",
]
