"""Importing a 10,000-row list as CIS missions send it (one ФИО column with patronymics, no Latin names, so every
Latin name is proposed by transliteration; checks and database writes included) against reading the same file
with raw openpyxl in read-only mode.

    python -m bench.bench_import [--rows 10000] [--repetitions 5]
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import tempfile
from io import BytesIO
from pathlib import Path

from advanced_alchemy.alembic.commands import AlembicCommands
from openpyxl import Workbook, load_workbook

from bench.timing import HEADER, Measurement, compare
from seed.loader import load_all
from tracker.db import alchemy_config
from tracker.services.audit import SYSTEM
from tracker.services.elections import ElectionService
from tracker.services.imports import ImportService
from tracker.services.missions import MissionService
from tracker.settings import Settings

COUNTRIES = ("Германия", "Польша", "France", "DEU", "Norway", "Қырғызстан", "SE", "Италия")
# 20 × 20 × 25 names, Russian and Kazakh, every Kazakh letter among them: 10,000 different people.
SURNAMES = (
    "Иванов",
    "Сейітов",
    "Щеглов",
    "Әбішев",
    "Құрманғалиев",
    "Жұмабаев",
    "Өтегенов",
    "Үсенов",
    "Ілиясов",
    "Хасенов",
    "Петров",
    "Нұрпейісов",
    "Ғабдуллин",
    "Шаһимарданов",
    "Юсупов",
    "Ершов",
    "Тәжібаев",
    "Қоңыратбаев",
    "Смирнов",
    "Ёлкин",
)
GIVEN = (
    "Иван",
    "Арман",
    "Әсел",
    "Ғалым",
    "Қуаныш",
    "Нұрлан",
    "Өмір",
    "Ұлан",
    "Үміт",
    "Іңкәр",
    "Мария",
    "Сергей",
    "Дәурен",
    "Жанар",
    "Айгүл",
    "Ерлан",
    "Юлия",
    "Тимур",
    "Һадия",
    "Анна",
)
PATRONYMICS = (
    *(f"{name}ұлы" for name in ("Болат", "Серік", "Қайрат", "Марат", "Ерлан")),
    *("Иванович", "Сергеевич", "Петрович", "Павлович", "Олегович", "Андреевич", "Николаевич", "Викторович"),
    *("Юрьевич", "Борисович", "Алексеевич", "Дмитриевич", "Михайлович", "Фёдорович", "Ильич", "Романович"),
    *("Григорьевич", "Степанович", "Тарасович", "Львович"),
)


# First parts of double-barrelled surnames: lists of different `batch` share nobody.
BATCHES = (
    *("", "Абаев", "Бекмұхамбетов", "Волков", "Дәулетов", "Жанкин", "Зайцев", "Исаев", "Кенжебаев", "Лебедев"),
    *("Мамаев", "Нұрғалиев", "Орлов", "Попов", "Рахимов", "Соколов", "Төлеуов", "Уәлиев", "Фёдоров", "Шәкенов"),
)


def make_list(rows: int, batch: int = 0) -> bytes:
    """A list of `rows` different people (up to 16,800); lists of different `batch` numbers share nobody."""
    prefix = f"{BATCHES[batch % len(BATCHES)]}-" if batch % len(BATCHES) else ""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("List")
    sheet.append(["Список наблюдателей"])
    sheet.append(["№", "ФИО", "Дата рождения", "Гражданство", "№ паспорта", "Должность"])
    for n in range(1, rows + 1):
        name = (prefix + SURNAMES[n % 20], GIVEN[n // 20 % 20], PATRONYMICS[n // 400 % 25])
        sheet.append(
            [
                n,
                " ".join(name),
                f"{1 + n % 28:02d}.{1 + n // 28 % 12:02d}.{1950 + n // 336 % 50}",
                COUNTRIES[n % len(COUNTRIES)],
                f"BX{batch * 100_000 + n:08d}",
                "краткосрочный наблюдатель",
            ]
        )
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def raw_read(content: bytes) -> int:
    book = load_workbook(BytesIO(content), read_only=True, data_only=True)
    count = sum(1 for _ in book.worksheets[0].iter_rows(values_only=True))
    book.close()
    return count


def prepare_database(directory: Path) -> Path:
    template = directory / "template.sqlite3"
    config = alchemy_config(Settings(database_url=f"sqlite+aiosqlite:///{template}"))
    AlembicCommands(sqlalchemy_config=config).upgrade("head")

    async def seed() -> None:
        async with config.get_session() as session, session.begin():
            await load_all(session)
        await config.get_engine().dispose()

    asyncio.run(seed())
    return template


def import_once(database: Path, content: bytes) -> int:
    async def run() -> int:
        config = alchemy_config(Settings(database_url=f"sqlite+aiosqlite:///{database}"))
        try:
            async with config.get_session() as session, session.begin():
                election = await ElectionService(session=session).get_by_slug("majilis-2023")
                mission = await MissionService(session=session).by_slug(election, "odihr")
                imports = ImportService(session)
                batch = await imports.upload(election, mission, "list.xlsx", content, SYSTEM)
                batch = await imports.commit(batch, SYSTEM)
                return batch.rows_created
        finally:
            await config.get_engine().dispose()

    return asyncio.run(run())


def measure(rows: int, repetitions: int) -> Measurement:
    content = make_list(rows)
    with tempfile.TemporaryDirectory() as folder:
        directory = Path(folder)
        template = prepare_database(directory)
        database = directory / "bench.sqlite3"

        def fresh() -> None:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{database}{suffix}").unlink(missing_ok=True)
            shutil.copyfile(template, database)

        created = []
        project, baseline, peak = compare(
            lambda: created.append(import_once(database, content)),
            lambda: raw_read(content),
            repetitions=repetitions,
            prepare=fresh,
        )
        if not created or any(n != rows for n in created):
            raise SystemExit(f"expected {rows} rows imported each time, got {created}")
    return Measurement(
        name=f"import, {rows:,} rows, Latin names proposed (SQLite)",
        baseline="raw openpyxl read-only, same file",
        project_seconds=project,
        baseline_seconds=baseline,
        project_peak_mb=peak,
        goal="≤ 3×",
    )


def main(argv: list[str] | None = None) -> Measurement:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--repetitions", type=int, default=5)
    arguments = parser.parse_args(argv)
    result = measure(arguments.rows, arguments.repetitions)
    print(HEADER)
    print(result.line())
    return result


if __name__ == "__main__":
    main()
