"""A checked row as the import's review page shows it: as it will be stored, or, with problems, as the file
has it, the cells at fault named."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from tracker import models as m
from tracker.services.import_check import CheckedRow, Problem
from tracker.spreadsheets import Header


@dataclass(frozen=True)
class PreviewRow:
    """A row as the review page shows it: as it will be stored, or, with problems, as the file has it."""

    row: int
    name_original: str
    name_latin: str
    latin_proposed: bool
    nationality: str
    birth_date: str
    document_number: str
    role: str
    problems: tuple[Problem, ...]
    problem_fields: frozenset[str]
    already_there: bool


def preview_row(
    checked: CheckedRow, header: Header, role_names: Mapping[m.Role, str], country_name: Callable[[str], str]
) -> PreviewRow:
    observer = checked.observer
    if observer is not None:
        return PreviewRow(
            row=checked.row,
            name_original=observer.name_original,
            name_latin=observer.name_latin,
            latin_proposed=observer.latin_proposed,
            nationality=country_name(observer.nationality),
            birth_date=observer.birth_date.strftime("%d.%m.%Y") if observer.birth_date else "",
            document_number=observer.document_number or "",
            role=role_names.get(observer.role, observer.role.value),
            problems=checked.problems,
            problem_fields=frozenset(),
            already_there=checked.already_there,
        )

    def cell(*fields: str) -> str:
        found = []
        for name in fields:
            column = header.mapping.get(name)
            if column is not None and column < len(checked.values) and checked.values[column] not in (None, ""):
                value = checked.values[column]
                found.append(value.strftime("%d.%m.%Y") if isinstance(value, dt.date) else str(value))
        return " ".join(found)

    return PreviewRow(
        row=checked.row,
        name_original=cell("name_original") or cell("surname", "given_names", "patronymic"),
        # The Latin name the row would get (a proposal too), for the registrar to see or correct now.
        name_latin=checked.name_latin or "",
        latin_proposed=checked.latin_proposed,
        nationality=cell("nationality"),
        birth_date=cell("birth_date"),
        document_number=cell("document_number"),
        role=cell("role"),
        problems=checked.problems,
        problem_fields=frozenset(problem.field for problem in checked.problems),
        already_there=False,
    )
