"""Reading the lists missions send: finding the header in their own layouts, reading their values, and refusing
broken or hostile files with a message that says what to send instead. Every input file is built here."""

from __future__ import annotations

import datetime as dt
import io
import random
import re
import time
import tracemalloc
import zipfile
from collections.abc import Iterable

import openpyxl
import pytest

from seed.loader import country_rows
from tracker.errors import InvalidInput
from tracker.models import Gender, Role
from tracker.spreadsheets import (
    FIELDS,
    UNSAVED_FORMULA,
    CountryNames,
    Limits,
    SpreadsheetError,
    find_header,
    open_table,
    parse_date,
    parse_gender,
    parse_role,
)

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


CIS_LIST = [
    ["Список наблюдателей Миссии наблюдателей от СНГ"],
    ["на выборах депутатов Мажилиса Парламента Республики Казахстан 19 марта 2023 года"],
    [],
    ["№ п/п", "Ф.И.О.", "ФИО латиницей", "Гражданство", "Дата рождения", "Пол", "№ паспорта", "Должность", "Телефон",
     "E-mail"],
    [1, "Иванов Иван Иванович", "IVANOV IVAN", "Россия", "05.03.1971", "М", "75 1234567", "Краткосрочный наблюдатель",
     "+7 916 123 45 67", "ivanov@example.ru"],
]  # fmt: skip
ODIHR_LIST = [
    ["OSCE/ODIHR Election Observation Mission, Republic of Kazakhstan, Early Parliamentary Elections"],
    ["Observers submitted for accreditation, 10 February 2023"],
    ["No.", "Surname", "Given name(s)", "Nationality", "Date of birth", "Gender", "Passport No.", "Country of issue",
     "Role", "E-mail", "Phone"],
    [1, "Müller", "Anna Maria", "Germany", dt.datetime(1980, 7, 14), "F", "C01X00T47", "DEU", "Long-term observer",
     "a.mueller@example.org", "+49 30 1234567"],
]  # fmt: skip
KAZAKH_LIST = [
    ["Халықаралық байқаушылар тізімі"],
    ["Аты-жөні", "Латын әрпімен", "Азаматтығы", "Туған күні", "Жынысы", "Төлқұжат нөмірі", "Лауазымы", "Телефон",
     "Электрондық пошта"],
    ["Сейітов Арман", "SEITOV ARMAN", "Қырғызстан", "12.11.1975", "Ер", "AC1234567", "Байқаушы", "+996 555 123 456",
     "seitov@example.kg"],
]  # fmt: skip


def xlsx(rows: Iterable[Iterable[object]]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def with_sheet_xml(content: bytes, change: object) -> bytes:
    """The same workbook with its first sheet's XML passed through `change`."""
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = change(data.decode()).encode()  # type: ignore[operator]
            target.writestr(info.filename, data)
    return out.getvalue()


def refusal(content: bytes, filename: str = "observers.xlsx", limits: Limits = Limits()) -> str:  # noqa: B008
    with pytest.raises(SpreadsheetError) as raised:
        list(open_table(content, filename, limits).rows())
    assert raised.value.field == "file"
    return raised.value.message


# --- finding the header ------------------------------------------------------------------------------------------


def test_it_finds_a_russian_header_under_two_title_rows_and_a_blank_row() -> None:
    table = open_table(xlsx(CIS_LIST), "наблюдатели СНГ.xlsx")

    header = find_header(table.rows())

    assert header.row_index == 3
    assert header.labels[1] == "Ф.И.О."
    assert header.mapping == {
        "name_original": 1,
        "name_latin": 2,
        "nationality": 3,
        "birth_date": 4,
        "gender": 5,
        "document_number": 6,
        "role": 7,
        "email": 9,
        "phone": 8,
    }


def test_it_finds_an_english_header_with_split_names_under_two_title_rows() -> None:
    table = open_table(xlsx(ODIHR_LIST), "ODIHR LTOs.xlsx")

    header = find_header(table.rows())

    assert header.row_index == 2
    assert header.mapping == {
        "surname": 1,
        "given_names": 2,
        "nationality": 3,
        "birth_date": 4,
        "gender": 5,
        "document_number": 6,
        "document_country": 7,
        "role": 8,
        "email": 9,
        "phone": 10,
    }


def test_it_finds_a_kazakh_header_under_a_title_row() -> None:
    table = open_table(xlsx(KAZAKH_LIST), "тізім.xlsx")

    header = find_header(table.rows())

    assert header.row_index == 1
    assert header.mapping == {
        "name_original": 0,
        "name_latin": 1,
        "nationality": 2,
        "birth_date": 3,
        "gender": 4,
        "document_number": 5,
        "role": 6,
        "email": 8,
        "phone": 7,
    }


def test_it_maps_split_surname_given_name_and_patronymic_columns_in_both_scripts() -> None:
    header = find_header([("Фамилия", "Имя", "Отчество", "Фамилия (лат.)", "Имя (лат.)", "Дата рождения", "Пол")])

    assert header.mapping == {
        "surname": 0,
        "given_names": 1,
        "patronymic": 2,
        "surname_latin": 3,
        "given_names_latin": 4,
        "birth_date": 5,
        "gender": 6,
    }


def test_it_reads_name_as_the_given_name_next_to_a_surname_and_as_the_full_name_alone() -> None:
    assert find_header([("Surname", "Name", "Date of birth")]).mapping == {
        "surname": 0,
        "given_names": 1,
        "birth_date": 2,
    }
    assert find_header([("Name", "Name (Latin)", "Nationality")]).mapping == {
        "name_original": 0,
        "name_latin": 1,
        "nationality": 2,
    }


def test_it_recognizes_bilingual_headers_and_headers_with_notes() -> None:
    header = find_header(
        [
            ("№", "Ф.И.О. / Full name", "Дата рождения (дд/мм/гггг)", "Гражданство / Citizenship", "Passport number*"),
        ]
    )

    assert header.mapping == {"name_original": 1, "nationality": 3, "birth_date": 2, "document_number": 4}


def test_it_never_maps_two_fields_to_one_column_nor_one_field_to_two_columns() -> None:
    header = find_header([("ФИО", "Телефон", "Phone", "Mobile phone", "Фамилия, имя / Full name")])

    assert header.mapping == {"name_original": 0, "phone": 1}
    assert len(set(header.mapping.values())) == len(header.mapping)
    assert set(header.mapping) <= set(FIELDS)


def test_it_says_what_header_is_needed_when_there_is_none() -> None:
    rows = [("Иванов Иван", "Россия", "05.03.1971"), ("Петров Пётр", "Россия", "06.04.1972")]

    with pytest.raises(SpreadsheetError) as raised:
        find_header(rows)

    assert raised.value.field == "file"
    assert "no recognizable header" in raised.value.message
    assert '"ФИО" / "Full name"' in raised.value.message
    assert isinstance(raised.value, InvalidInput)


def test_it_wants_a_name_column_in_the_header() -> None:
    with pytest.raises(SpreadsheetError, match="no recognizable header"):
        find_header([("Date of birth", "Nationality", "Gender", "Passport No.")])


def test_it_looks_for_the_header_only_in_the_first_rows() -> None:
    rows = [("title",)] * 20 + [("ФИО", "Дата рождения")]

    with pytest.raises(SpreadsheetError, match="in the first 20 rows"):
        find_header(rows)
    assert find_header(rows, scan=21).row_index == 20


# --- values -----------------------------------------------------------------------------------------------------


def test_it_reads_excel_dates_as_dates_and_text_dates_as_text_and_parses_both() -> None:
    table = open_table(xlsx([["ФИО", "Дата рождения"], ["Иванов", dt.date(1971, 3, 5)], ["Петров", "05.03.1971"]]), "")

    rows = list(table.rows())

    assert rows[1] == ("Иванов", dt.datetime(1971, 3, 5))
    assert rows[2] == ("Петров", "05.03.1971")
    assert parse_date(rows[1][1]) == parse_date(rows[2][1]) == dt.date(1971, 3, 5)


@pytest.mark.parametrize(
    "value",
    ["05.03.1971", "5.3.1971", "05/03/1971", "05-03-1971", "1971-03-05", " 05.03.1971 г.", "05.03.1971 0:00:00",
     dt.date(1971, 3, 5), dt.datetime(1971, 3, 5, 0, 0)],
)  # fmt: skip
def test_it_parses_dates_day_first(value: object) -> None:
    assert parse_date(value) == dt.date(1971, 3, 5)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("31.02.1970", "'31.02.1970' is not a date in the calendar"),
        ("12/31/1970", "'12/31/1970' has no month 31; dates are read day first: DD.MM.YYYY"),
        ("05.03.1899", "05.03.1899 is before 1900; check the year"),
        ("05.03.71", "'05.03.71': write the year with four digits, e.g. 05.03.1971"),
        ("March 1971", "'March 1971' is not a date; write it as DD.MM.YYYY, e.g. 05.03.1971"),
        (26000, "26000 is a number, not a date; format the cell as a date or write it as DD.MM.YYYY"),
    ],
)
def test_it_refuses_what_is_not_a_real_date(value: object, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        parse_date(value)


@pytest.mark.parametrize(
    ("text", "code"),
    [("Германия", "DE"), ("Germany", "DE"), ("germany ", "DE"), ("Ресей", "RU"), ("Россия", "RU"),
     ("Российская Федерация", "RU"), ("Russian Federation", "RU"), ("DEU", "DE"), ("de", "DE"), ("rus", "RU"),
     ("США", "US"), ("Америка Құрама Штаттары", "US"), ("Қазақстан", "KZ"), ("Казахстан", "KZ"),
     ("Republic of Kazakhstan", "KZ"), ("Кыргызстан", "KG"), ("Қырғызстан", "KG"), ("Palestine", "PS"),
     ("Палестина", "PS"), ("Korea, Republic of", "KR"), ("South Korea", "KR"), ("the Netherlands", "NL"),
     ("Türkiye", "TR"), ("Turkey", "TR")],
)  # fmt: skip
def test_it_resolves_country_names_in_three_languages_and_iso_codes(text: str, code: str) -> None:
    countries = CountryNames(
        (row["code"], row["alpha_3"], row["name_en"], row["name_ru"], row["name_kk"]) for row in country_rows()
    )

    assert countries.code(text) == code


def test_it_resolves_only_countries_of_the_table_and_nothing_it_does_not_know() -> None:
    countries = CountryNames([("DE", "DEU", "Germany", "Германия", "Германия")])

    assert countries.code("Deutschland") is None
    assert countries.code("Россия") is None
    assert countries.code("Atlantis") is None
    assert countries.code(None) is None
    assert countries.code("Federal Republic of Germany") == "DE"


@pytest.mark.parametrize(
    ("text", "gender"),
    [("M", Gender.MALE), ("male", Gender.MALE), ("М", Gender.MALE), ("муж.", Gender.MALE), ("Мужской", Gender.MALE),
     ("Ер", Gender.MALE), ("F", Gender.FEMALE), ("Female", Gender.FEMALE), ("Ж", Gender.FEMALE),
     ("женский", Gender.FEMALE), ("Әйел", Gender.FEMALE), ("әйел", Gender.FEMALE), ("X", Gender.UNSPECIFIED)],
)  # fmt: skip
def test_it_reads_gender_in_three_languages(text: str, gender: Gender) -> None:
    assert parse_gender(text) is gender


def test_it_refuses_an_unknown_gender() -> None:
    with pytest.raises(ValueError, match=re.escape("'Q' is not a gender; write M or F (М/Ж, Е/Ә)")):
        parse_gender("Q")


@pytest.mark.parametrize(
    ("text", "role"),
    [("Head of Mission", Role.HEAD_OF_MISSION), ("Глава миссии", Role.HEAD_OF_MISSION),
     ("Миссия басшысы", Role.HEAD_OF_MISSION), ("Coordinator", Role.COORDINATOR), ("координатор", Role.COORDINATOR),
     ("Үйлестіруші", Role.COORDINATOR), ("Long-term observer", Role.LONG_TERM_OBSERVER),
     ("Долгосрочный наблюдатель", Role.LONG_TERM_OBSERVER), ("Ұзақ мерзімді байқаушы", Role.LONG_TERM_OBSERVER),
     ("short-term observer", Role.SHORT_TERM_OBSERVER), ("Краткосрочный наблюдатель", Role.SHORT_TERM_OBSERVER),
     ("Қысқа мерзімді байқаушы", Role.SHORT_TERM_OBSERVER), ("Observer", Role.SHORT_TERM_OBSERVER),
     ("наблюдатель", Role.SHORT_TERM_OBSERVER), ("Байқаушы", Role.SHORT_TERM_OBSERVER),
     ("Parliamentarian", Role.PARLIAMENTARIAN), ("Депутат", Role.PARLIAMENTARIAN),
     ("Парламентарий", Role.PARLIAMENTARIAN), ("Expert", Role.EXPERT), ("Эксперт", Role.EXPERT),
     ("Сарапшы", Role.EXPERT), ("Interpreter", Role.INTERPRETER), ("Переводчик", Role.INTERPRETER),
     ("Аудармашы", Role.INTERPRETER), ("Staff", Role.STAFF), ("Сотрудник", Role.STAFF), ("Қызметкер", Role.STAFF),
     ("Legal analyst", Role.EXPERT), ("short_term_observer", Role.SHORT_TERM_OBSERVER)],
)  # fmt: skip
def test_it_reads_roles_in_three_languages(text: str, role: Role) -> None:
    assert parse_role(text) is role


def test_it_refuses_an_unknown_role_and_lists_the_known_ones() -> None:
    with pytest.raises(ValueError, match=r"'Driver' is not a role; use head of mission, coordinator, .* or staff"):
        parse_role("Driver")


def test_it_strips_text_reads_empty_cells_as_none_and_trims_trailing_empty_cells() -> None:
    table = open_table(xlsx([["  Иванов Иван ", "", None, 42, 1.5, True, "   ", None], [None, "  "]]), "list.xlsx")

    assert list(table.rows()) == [("Иванов Иван", None, None, 42, 1.5, True), ()]


def test_it_streams_the_rows_again_from_the_start_each_time() -> None:
    table = open_table(xlsx([["ФИО", "Пол"], ["Иванов", "М"], ["Петрова", "Ж"]]), "list.xlsx")

    header = find_header(table.rows())

    assert header.row_index == 0
    assert list(table.rows()) == list(table.rows()) == [("ФИО", "Пол"), ("Иванов", "М"), ("Петрова", "Ж")]
    assert table.file_format == "xlsx"


# --- formulas -------------------------------------------------------------------------------------------------


def test_it_never_evaluates_a_formula_and_marks_one_without_a_saved_value() -> None:
    table = open_table(xlsx([["=1+1", "Иванов", '=HYPERLINK("http://example.org")']]), "list.xlsx")

    assert list(table.rows()) == [(UNSAVED_FORMULA, "Иванов", UNSAVED_FORMULA)]


def test_it_reads_the_value_excel_saved_for_a_formula() -> None:
    content = with_sheet_xml(
        xlsx([["=1+1", "Иванов"]]), lambda xml: xml.replace("<f>1+1</f><v />", "<f>1+1</f><v>2</v>")
    )

    assert list(open_table(content, "list.xlsx").rows()) == [(2, "Иванов")]


def test_it_keeps_a_csv_cell_that_starts_with_an_equals_sign_as_text() -> None:
    table = open_table("ФИО;Примечание\nИванов;=1+1\n".encode(), "list.csv")

    assert list(table.rows()) == [("ФИО", "Примечание"), ("Иванов", "=1+1")]


# --- CSV --------------------------------------------------------------------------------------------------------


def test_it_reads_csv_utf8_with_a_bom_and_semicolons_as_russian_excel_saves_it() -> None:
    content = "\ufeffФ.И.О.;Гражданство;Дата рождения\r\nИванов Иван;Россия;05.03.1971\r\n".encode()

    table = open_table(content, "список.csv")

    assert table.file_format == "csv"
    assert list(table.rows()) == [("Ф.И.О.", "Гражданство", "Дата рождения"), ("Иванов Иван", "Россия", "05.03.1971")]


def test_it_reads_csv_in_windows_cyrillic() -> None:
    content = "ФИО;Гражданство\r\nСейітов Арман;Кыргызстан\r\n".replace("і", "i").encode("cp1251")

    assert list(open_table(content, "список.csv").rows()) == [("ФИО", "Гражданство"), ("Сейiтов Арман", "Кыргызстан")]


def test_it_reads_tab_separated_text() -> None:
    content = "Full name\tNationality\nAnna Müller\tGermany\n".encode()

    assert list(open_table(content, "list.txt").rows()) == [("Full name", "Nationality"), ("Anna Müller", "Germany")]


def test_it_reads_commas_with_quoted_fields_and_keeps_empty_lines_as_empty_rows() -> None:
    content = b'Full name,Role\n\n"Smith, John","Head of mission; core team"\n\n"Doe, Jane","Expert\nlegal"\n\n'

    assert list(open_table(content, "list.csv").rows()) == [
        ("Full name", "Role"),
        (),
        ("Smith, John", "Head of mission; core team"),
        (),
        ("Doe, Jane", "Expert\nlegal"),
        (),
    ]


# --- files that cannot be used --------------------------------------------------------------------------------


def test_it_refuses_a_file_over_the_size_limit_before_reading_it() -> None:
    message = refusal(b"%PDF" + bytes(10 * 1024 * 1024), "scan.pdf")

    assert message == (
        'file: "scan.pdf" is 10.1 MB; files up to 10 MB are accepted. Remove pictures and other sheets, or split '
        "the list into several files, and send it again."
    )


def test_it_names_the_size_of_a_file_that_is_too_big() -> None:
    message = refusal(bytes(1536 * 1024), "list.xlsx", Limits(max_bytes=1024 * 1024))

    assert message.startswith('file: "list.xlsx" is 1.5 MB; files up to 1 MB are accepted.')


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", "is a PDF document"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01", "is a PNG image"),
        (random.Random(7).randbytes(4096), "is not a spreadsheet this service can read"),
        (random.Random(8).randbytes(64), "is not a spreadsheet this service can read"),
    ],
    ids=["pdf", "png", "random", "random-short"],
)
def test_it_refuses_what_is_not_a_spreadsheet_and_asks_for_xlsx_or_csv(content: bytes, kind: str) -> None:
    message = refusal(content, "observers.xlsx")

    assert f'"observers.xlsx" {kind}' in message
    assert message.endswith('Send the list as an Excel workbook (.xlsx) or as "CSV UTF-8" (.csv).')


def test_it_refuses_an_old_xls_workbook_and_says_how_to_save_it() -> None:
    body = b"\x00" * 512 + "Workbook".encode("utf-16-le") + b"\x00" * 1024

    message = refusal(OLE2 + body, "observers.xls")

    assert "is an old Excel 97-2003 workbook (.xls), which is not accepted" in message
    assert '"Excel Workbook (.xlsx)"' in message
    assert "CSV UTF-8" in message


def test_it_refuses_a_password_protected_workbook_and_says_to_save_it_without_the_password() -> None:
    body = b"\x00" * 512 + "EncryptionInfo".encode("utf-16-le") + b"\x00" * 64 + "EncryptedPackage".encode("utf-16-le")

    message = refusal(OLE2 + body + b"\x00" * 1024, "observers.xlsx")

    assert "is password-protected" in message
    assert "must be saved without a password" in message


def test_it_refuses_a_truncated_workbook_as_damaged() -> None:
    content = xlsx([["ФИО", "Дата рождения"]] + [[f"Наблюдатель {n}", "05.03.1971"] for n in range(200)])

    message = refusal(content[: len(content) // 2])

    assert message.startswith('file: "observers.xlsx" is damaged or incomplete and cannot be read')
    assert 'save it again as "Excel Workbook (.xlsx)"' in message


def test_it_refuses_a_zip_that_is_not_a_workbook() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("observers.txt", "Иванов Иван")

    assert "is a ZIP archive, not an Excel workbook" in refusal(out.getvalue(), "observers.zip")


def test_it_refuses_an_opendocument_spreadsheet_and_says_how_to_save_it() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<office:document-content/>")

    assert 'is an OpenDocument spreadsheet (.ods). Save it as "Excel 2007-365 (.xlsx)"' in refusal(out.getvalue())


def test_it_refuses_a_workbook_whose_sheet_is_damaged_naming_the_row() -> None:
    content = with_sheet_xml(
        xlsx([["ФИО"]] + [[f"Наблюдатель {n}"] for n in range(10)]),
        lambda xml: xml[: xml.index('<row r="6"')] + '<row r="6"><c r="A6" t="inlineStr"><is><t>Обрыв',
    )
    table = open_table(content, "observers.xlsx")
    rows = table.rows()

    assert [next(rows) for _ in range(5)] == [("ФИО",)] + [(f"Наблюдатель {n}",) for n in range(4)]
    with pytest.raises(SpreadsheetError, match=r"row 6 of the first sheet of \"observers.xlsx\" could not be read"):
        next(rows)


def test_it_refuses_a_zip_bomb_before_unpacking_it() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            zeros = bytes(1024 * 1024)
            for _ in range(300):
                member.write(zeros)
    assert len(out.getvalue()) < 1024 * 1024

    message = refusal(out.getvalue(), "observers.xlsx")

    assert message.startswith('file: "observers.xlsx" would unpack to 300.1 MB, more than the 200 MB accepted')


def test_it_reads_only_the_real_cells_of_a_sheet_that_declares_a_huge_size() -> None:
    content = with_sheet_xml(
        xlsx([["ФИО", "Пол"], ["Иванов", "М"], ["Петрова", "Ж"]]),
        lambda xml: re.sub(r'<dimension ref="[^"]*"\s*/>', '<dimension ref="A1:XFD1048576"/>', xml),
    )
    started = time.perf_counter()

    rows = list(open_table(content, "observers.xlsx").rows())

    assert rows == [("ФИО", "Пол"), ("Иванов", "М"), ("Петрова", "Ж")]
    print(f"declared A1:XFD1048576, read {len(rows)} rows in {time.perf_counter() - started:.3f} s")


def test_it_ignores_cells_past_the_column_limit() -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet["A1"], sheet["B1"] = "ФИО", "Пол"
    sheet.cell(row=1, column=16384, value="far away")
    out = io.BytesIO()
    workbook.save(out)

    assert list(open_table(out.getvalue(), "observers.xlsx").rows()) == [("ФИО", "Пол")]


def test_it_refuses_a_sheet_with_more_rows_than_the_limit() -> None:
    content = xlsx([["ФИО"]] + [[f"Наблюдатель {n}"] for n in range(60)])

    message = refusal(content, "observers.xlsx", Limits(max_rows=50))

    assert message.startswith('file: the first sheet of "observers.xlsx" has more than 50 rows')
    assert "split it into several files" in message


def test_it_refuses_a_sheet_whose_rows_reach_far_down_at_the_limit() -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet["A1"] = "ФИО"
    sheet["A1048576"] = "last"
    out = io.BytesIO()
    workbook.save(out)

    message = refusal(out.getvalue(), "observers.xlsx")

    assert "has more than 200,000 rows (empty rows that are formatted count too)" in message


def test_it_refuses_a_csv_file_with_more_rows_than_the_limit_and_counts_them() -> None:
    content = "\n".join(["ФИО"] + [f"Наблюдатель {n}" for n in range(60)]).encode()

    message = refusal(content, "observers.csv", Limits(max_rows=50))

    assert message.startswith('file: "observers.csv" has 61 rows; at most 50 rows are accepted in one file.')


def test_it_refuses_an_empty_file() -> None:
    assert refusal(b"", "observers.csv").startswith('file: "observers.csv" is empty. Send the list as')


def test_it_refuses_a_web_page_saved_with_an_xls_name() -> None:
    content = b"<html><body><table><tr><td>\xd0\xa4\xd0\x98\xd0\x9e</td></tr></table></body></html>"

    assert "is a web page or an XML file, not a workbook (some programs give these an .xls name)" in refusal(
        content, "observers.xls"
    )


# --- scale ------------------------------------------------------------------------------------------------------


def test_it_streams_a_sheet_of_100_000_rows() -> None:
    # One column keeps the test short: openpyxl parses every cell in Python, and tracemalloc slows that fourfold.
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(["ФИО"])
    for n in range(100_000):
        sheet.append([f"Наблюдатель {n}"])
    out = io.BytesIO()
    workbook.save(out)
    content = out.getvalue()

    tracemalloc.start()
    started = time.perf_counter()
    count = sum(1 for _ in open_table(content, "observers.xlsx").rows())
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    assert count == 100_001
    print(
        f"100,000 rows: a {len(content) / 2**20:.1f} MB file read in {elapsed:.1f} s under tracemalloc, "
        f"peak traced memory {peak / 2**20:.1f} MB"
    )


def test_it_refuses_a_workbook_whose_table_of_text_is_oversized() -> None:
    # As Excel writes text: a shared table of strings, here padded far past what a list needs.
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/sharedStrings.xml", "<sst>" + "<si><t>a</t></si>" * 1000 + "</sst>")

    with pytest.raises(SpreadsheetError, match="MB of text"):
        open_table(buffer.getvalue(), "list.xlsx", Limits(max_shared_strings_bytes=100))


def test_it_numbers_csv_rows_as_a_spreadsheet_shows_them_blank_lines_included() -> None:
    content = "ФИО;Гражданство\r\n\r\nАнна Пример;Германия\r\n".encode()

    rows = list(open_table(content, "list.csv").rows())

    assert rows == [("ФИО", "Гражданство"), (), ("Анна Пример", "Германия")]
