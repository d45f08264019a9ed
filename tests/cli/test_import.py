"""`tracker import`: a mission's list from the command line, checked, then all or nothing."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from tests.cli.runner import tracker
from tests.conftest import count_rows, read
from tests.lists import observers, xlsx
from tracker import models as m


def kg_accreditations(database_url: str) -> int:
    [(mission_id,)] = read(database_url, select(m.Mission.id).where(m.Mission.slug == "kg"))
    return count_rows(database_url, m.Accreditation, m.Accreditation.mission_id == mission_id)


def test_a_dry_run_checks_and_writes_nothing(demo_db: str, tmp_path: Path) -> None:
    listing = tmp_path / "kg.xlsx"
    listing.write_bytes(xlsx(observers(4)))
    before = kg_accreditations(demo_db)

    result = tracker(demo_db, "import", "majilis-2023", "--mission", "kg", str(listing), "--dry-run")

    assert result.returncode == 0, result.stderr
    assert result.stdout == "kg.xlsx: 4 rows, all correct; --dry-run, so nothing was imported\n"
    assert kg_accreditations(demo_db) == before
    assert count_rows(demo_db, m.ImportBatch) == 0


def test_it_imports_then_says_the_same_file_was_imported_already(demo_db: str, tmp_path: Path) -> None:
    listing = tmp_path / "kg.xlsx"
    listing.write_bytes(xlsx(observers(4)))
    before = kg_accreditations(demo_db)

    first = tracker(demo_db, "import", "majilis-2023", "--mission", "kg", str(listing))
    again = tracker(demo_db, "import", "majilis-2023", "--mission", "kg", str(listing))

    assert first.returncode == 0, first.stderr
    assert first.stdout == "kg.xlsx: imported 4 observers into kg (nominated)\n"
    assert "importing" in first.stderr
    assert again.returncode == 0, again.stderr
    assert "already imported" in again.stdout
    assert "nothing new was created" in again.stdout
    assert kg_accreditations(demo_db) == before + 4


def test_problems_are_listed_by_row_and_nothing_is_imported(demo_db: str, tmp_path: Path) -> None:
    rows = observers(3)
    rows[2] = (*rows[2][:3], "31.02.1970", *rows[2][4:])
    listing = tmp_path / "kg.xlsx"
    listing.write_bytes(xlsx(rows))
    before = kg_accreditations(demo_db)

    result = tracker(demo_db, "import", "majilis-2023", "--mission", "kg", str(listing))

    assert result.returncode == 2
    assert "row 6, Дата рождения:" in result.stderr
    assert result.stderr.rstrip().endswith(
        "kg.xlsx: 1 problem in 1 of 3 rows; nothing was imported (--only-valid imports the others)"
    )
    assert kg_accreditations(demo_db) == before


def test_a_file_that_is_not_a_spreadsheet_is_one_line_and_exit_code_2(demo_db: str, tmp_path: Path) -> None:
    listing = tmp_path / "list.xls"
    listing.write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 600)

    result = tracker(demo_db, "import", "majilis-2023", "--mission", "kg", str(listing))

    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert ".xlsx" in result.stderr
    assert "Traceback" not in result.stderr


def test_only_valid_imports_the_good_rows_and_the_corrected_file_adds_only_who_is_new(
    demo_db: str, tmp_path: Path
) -> None:
    rows = observers(3)
    rows[1] = (*rows[1][:3], "31.02.1970", *rows[1][4:])
    listing = tmp_path / "Список КР.xlsx"
    listing.write_bytes(xlsx(rows))
    before = kg_accreditations(demo_db)

    first = tracker(demo_db, "import", "majilis-2023", "--mission", "kg", str(listing), "--only-valid", "--lang", "ru")
    again = tracker(demo_db, "import", "majilis-2023", "--mission", "kg", str(listing), "--only-valid")

    assert first.returncode == 0, first.stderr
    assert "row 5, Дата рождения: '31.02.1970' — такой даты в календаре нет" in first.stderr
    assert first.stdout.endswith("в kg импортированы 2 наблюдателя (выдвинуты); 1 строка с ошибками пропущена\n")
    assert again.returncode == 0, again.stderr
    assert "already imported" in again.stdout
    assert kg_accreditations(demo_db) == before + 2

    corrected = tmp_path / "Список КР исправленный.xlsx"
    corrected.write_bytes(xlsx(observers(3)))
    third = tracker(demo_db, "import", "majilis-2023", "--mission", "kg", str(corrected), "--only-valid")

    assert third.returncode == 0, third.stderr
    assert third.stdout.endswith("imported 1 observer into kg (nominated); 2 already in the election\n")
    assert kg_accreditations(demo_db) == before + 3


def test_problems_are_listed_in_the_language_asked_for(demo_db: str, tmp_path: Path) -> None:
    rows = observers(1)
    rows[0] = (*rows[0][:4], "Атлантида", *rows[0][5:])
    listing = tmp_path / "kg.xlsx"
    listing.write_bytes(xlsx(rows))

    said = {
        lang: tracker(demo_db, "import", "majilis-2023", "--mission", "kg", str(listing), "--lang", lang).stderr
        for lang in ("en", "ru", "kk")
    }

    assert "row 4, Гражданство: unknown country 'Атлантида'" in said["en"]
    assert "row 4, Гражданство: неизвестная страна 'Атлантида'" in said["ru"]
    assert "row 4, Гражданство: белгісіз ел 'Атлантида'" in said["kk"]
