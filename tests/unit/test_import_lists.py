"""Lists as missions really send them: Cyrillic only (Latin names proposed), surname / given names /
patronymic in columns of their own, formulas, every problem of every row at once in the registrar's
language, the good rows imported now and the corrected file adding only who is new."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.lists import xlsx
from tests.unit.test_imports import RITA, accreditations_of, target
from tracker import models as m
from tracker.i18n import in_language
from tracker.services.imports import ImportService

pytestmark = pytest.mark.anyio
CIS_HEADER = ("№ п/п", "ФИО", "Дата рождения", "Гражданство", "№ паспорта", "Должность")
KAZAKH_HEADER = ("№", "Тегі", "Аты", "Әкесінің аты", "Туған күні", "Азаматтығы", "Төлқұжат нөмірі")


def cis_list(rows: list[tuple[Any, ...]]) -> bytes:
    return xlsx(rows, header=CIS_HEADER, titles=("Список наблюдателей Миссии наблюдателей от СНГ", ""))


async def person(session: AsyncSession, document: str) -> m.Person:
    found = await session.scalar(select(m.Person).where(m.Person.document_number == document))
    assert found is not None
    return found


async def test_a_cyrillic_only_list_gets_latin_names_proposed_without_the_patronymic(
    demo_session: AsyncSession,
) -> None:
    election, mission = await target(demo_session)
    rows = [
        (1, "Иванов Иван Иванович", "05.03.1971", "Россия", "751234567", "Краткосрочный наблюдатель"),
        (2, "Щеглова Юлия Сергеевна", "12.11.1975", "Россия", "751234568", "Наблюдатель"),
        (3, "Сейітов Арман Болатұлы", "01.01.1980", "Кыргызстан", "AC1234567", "Наблюдатель"),
    ]
    imports = ImportService(demo_session)

    batch = await imports.upload(election, mission, "СНГ.xlsx", cis_list(rows), RITA)
    check = await imports.check(batch)
    await imports.commit(batch, RITA)

    assert check.problems == []
    assert [(o.name_latin, o.latin_proposed) for o in check.observers] == [
        ("IVANOV IVAN", True),
        ("SHCHEGLOVA IULIIA", True),
        ("SEIITOV ARMAN", True),
    ]
    stored = await person(demo_session, "751234567")
    assert (stored.name_original, stored.name_latin, stored.latin_proposed) == (
        "Иванов Иван Иванович",
        "IVANOV IVAN",
        True,
    )


async def test_every_kazakh_letter_is_written_as_kazakhstan_s_passports_write_it(demo_session: AsyncSession) -> None:
    election, mission = await target(demo_session)
    rows = [
        (1, "Әлиева", "Ғалия", "Қайратқызы", "10.10.1990", "Қазақстан", "N1234567"),
        (2, "Нұрмағамбетов", "Өмірзақ", "Үсенұлы", "11.11.1991", "Қазақстан", "N1234568"),
        (3, "Шаңғытбаев", "Іңкәр", "", "12.12.1992", "Қазақстан", "N1234569"),
        (4, "Һашимов", "Ұлан", "", "13.12.1993", "Қазақстан", "N1234570"),
    ]
    imports = ImportService(demo_session)

    check = await imports.check(
        await imports.upload(election, mission, "kz.xlsx", xlsx(rows, header=KAZAKH_HEADER), RITA)
    )

    assert check.problems == []
    assert [(o.name_original, o.name_latin) for o in check.observers] == [
        ("Әлиева Ғалия Қайратқызы", "ALIEVA GALIIA"),
        ("Нұрмағамбетов Өмірзақ Үсенұлы", "NURMAGAMBETOV OMIRZAK"),
        ("Шаңғытбаев Іңкәр", "SHANGYTBAEV INKAR"),
        ("Һашимов Ұлан", "HASHIMOV ULAN"),
    ]


async def test_a_latin_column_wins_over_the_proposal(demo_session: AsyncSession) -> None:
    election, mission = await target(demo_session)
    header = ("№", "ФИО", "ФИО латиницей", "Дата рождения", "Гражданство", "№ паспорта")
    rows = [(1, "Иванов Иван Иванович", "IVANOV IVAN", "05.03.1971", "Россия", "751234567")]
    rows.append((2, "Пётр Ёлкин", "PYOTR YOLKIN", "06.03.1971", "Россия", "751234568"))
    imports = ImportService(demo_session)

    check = await imports.check(await imports.upload(election, mission, "l.xlsx", xlsx(rows, header=header), RITA))

    assert [(o.name_latin, o.latin_proposed) for o in check.observers] == [
        ("IVANOV IVAN", False),
        ("PYOTR YOLKIN", False),
    ]


async def test_a_name_of_two_alphabets_or_of_no_letters_is_flagged_in_its_column(demo_session: AsyncSession) -> None:
    election, mission = await target(demo_session)
    rows = [
        (1, "Ивaнов Иван", "05.03.1971", "Россия", "751234567", "Наблюдатель"),  # a Latin "a" among Cyrillic
        (2, "*** ***", "06.03.1971", "Россия", "751234568", "Наблюдатель"),
        (3, "王小明", "07.03.1971", "Китай", "E12345678", "Наблюдатель"),
    ]
    imports = ImportService(demo_session)

    check = await imports.check(await imports.upload(election, mission, "l.xlsx", cis_list(rows), RITA))

    found = {(p.row, p.label): p.message for p in check.problems}
    assert "two alphabets" in found[(4, "ФИО")]
    assert "nothing in the name can be written in Latin letters" in found[(5, "ФИО")]
    assert "no standard rule writes this script" in found[(6, "ФИО")]
    assert {p.column for p in check.problems} == {1}  # highlighted where the name is: ФИО


async def test_a_duplicate_is_reported_on_a_row_that_also_has_a_bad_date(demo_session: AsyncSession) -> None:
    election, mission = await target(demo_session)
    rows = [
        (1, "Иванов Иван", "05.03.1971", "Россия", "751234567", "Наблюдатель"),
        (2, "Петров Пётр", "31.02.1970", "Россия", "751234567", "Наблюдатель"),
    ]
    imports = ImportService(demo_session)

    check = await imports.check(await imports.upload(election, mission, "l.xlsx", cis_list(rows), RITA))

    found = {(p.row, p.label): p.message for p in check.problems}
    assert found[(5, "Дата рождения")] == "'31.02.1970' is not a date in the calendar"
    assert found[(5, "№ паспорта")] == "the same document as row 4"
    assert [o.row for o in check.observers] == [4]


async def test_problems_are_told_in_the_registrar_s_language(demo_session: AsyncSession) -> None:
    election, mission = await target(demo_session)
    rows = [(1, "Иванов Иван", "31.02.1970", "Атлантида", "751234567", "Наблюдатель")]
    imports = ImportService(demo_session)
    batch = await imports.upload(election, mission, "l.xlsx", cis_list(rows), RITA)

    messages = {}
    for lang in ("en", "ru", "kk"):
        with in_language(lang):
            messages[lang] = sorted(p.message for p in (await imports.check(batch)).problems)

    assert messages["en"] == ["'31.02.1970' is not a date in the calendar", "unknown country 'Атлантида'"]
    assert messages["ru"] == ["'31.02.1970' — такой даты в календаре нет", "неизвестная страна 'Атлантида'"]
    assert messages["kk"] == ["'31.02.1970' — күнтізбеде мұндай күн жоқ", "белгісіз ел 'Атлантида'"]


async def test_a_formula_is_read_by_its_saved_value_or_flagged_without_one(demo_session: AsyncSession) -> None:
    election, mission = await target(demo_session)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(CIS_HEADER))
    sheet.append([1, '="Иванов"&" Иван"', "05.03.1971", "Россия", "751234567", "Наблюдатель"])
    sheet.append([2, "Петров Пётр", "06.03.1971", "Россия", "751234568", "Наблюдатель"])
    out = io.BytesIO()
    book.save(out)
    imports = ImportService(demo_session)

    check = await imports.check(await imports.upload(election, mission, "script.xlsx", out.getvalue(), RITA))

    [problem] = check.problems
    assert (problem.row, problem.label) == (2, "ФИО")
    assert problem.message == "a formula without a saved value: type the value instead"
    assert [o.row for o in check.observers] == [3]


async def test_only_the_good_rows_go_in_and_the_corrected_file_adds_only_who_is_new(demo_session: AsyncSession) -> None:
    election, mission = await target(demo_session)
    rows = [
        (1, "Иванов Иван", "05.03.1971", "Россия", "751234567", "Наблюдатель"),
        (2, "Петров Пётр", "31.02.1970", "Россия", "751234568", "Наблюдатель"),
        (3, "Сидоров Сидор", "07.03.1971", "Россия", "751234569", "Наблюдатель"),
    ]
    before = await accreditations_of(demo_session, mission)
    imports = ImportService(demo_session)

    first = await imports.upload(election, mission, "list.xlsx", cis_list(rows), RITA)
    await imports.commit(first, RITA, only_valid=True)
    rows[1] = (2, "Петров Пётр", "28.02.1970", "Россия", "751234568", "Наблюдатель")
    corrected = await imports.upload(election, mission, "list-corrected.xlsx", cis_list(rows), RITA)
    await imports.commit(corrected, RITA)

    assert (first.rows_created, first.rows_with_problems, first.rows_already_there) == (2, 1, 0)
    assert (corrected.rows_created, corrected.rows_with_problems, corrected.rows_already_there) == (1, 0, 2)
    assert await accreditations_of(demo_session, mission) == before + 3


async def test_someone_in_another_mission_is_a_problem_not_someone_already_there(demo_session: AsyncSession) -> None:
    election, kg = await target(demo_session)
    _, odihr = await target(demo_session, "odihr")
    rows = [(1, "Иванов Иван", "05.03.1971", "Россия", "751234567", "Наблюдатель")]
    imports = ImportService(demo_session)
    await imports.commit(await imports.upload(election, kg, "kg.xlsx", cis_list(rows), RITA), RITA)

    check = await imports.check(await imports.upload(election, odihr, "odihr.xlsx", cis_list(rows), RITA))

    [problem] = check.problems
    assert problem.label == "№ паспорта"
    assert problem.message.startswith("this person is already nominated or accredited in this election, through")


async def test_a_refused_file_stays_in_the_history_with_its_reason(demo_session: AsyncSession) -> None:
    election, mission = await target(demo_session)
    imports = ImportService(demo_session)

    with pytest.raises(Exception, match="old Excel 97-2003 workbook"):
        await imports.upload(election, mission, "Список.xls", bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 600, RITA)

    [refused] = (await imports.upload_form(election, mission.slug)).recent
    assert (refused.status, refused.file_name, refused.content) == (m.ImportStatus.REFUSED, "Список.xls", None)
    assert refused.refusal is not None
    assert "old Excel 97-2003 workbook" in refused.refusal


async def test_two_people_told_apart_only_by_the_patronymic_are_not_duplicates(demo_session: AsyncSession) -> None:
    election, mission = await target(demo_session)
    rows = [
        (1, "Иванов Иван Петрович", "05.03.1971", "Россия", "751234567", "Наблюдатель"),
        (2, "Иванов Иван Сергеевич", "05.03.1971", "Россия", "751234568", "Наблюдатель"),
        (3, "Иванов Иван Петрович", "05.03.1971", "Россия", "751234569", "Наблюдатель"),
    ]
    imports = ImportService(demo_session)

    check = await imports.check(await imports.upload(election, mission, "l.xlsx", cis_list(rows), RITA))

    assert [(p.row, p.label, p.message) for p in check.problems] == [
        (6, "ФИО", "the same name and birth date as row 4")
    ]
    assert [o.name_latin for o in check.observers] == ["IVANOV IVAN", "IVANOV IVAN"]
