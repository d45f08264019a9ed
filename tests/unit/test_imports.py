"""Importing a mission's list: every problem found before anything is written; all or nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.lists import ENGLISH_HEADER, KAZAKH_HEADER, csv_bytes, observers, with_dates, xlsx
from tracker import models as m
from tracker.errors import InvalidInput
from tracker.services.audit import Actor
from tracker.services.elections import ElectionService
from tracker.services.imports import AlreadyImported, ImportService
from tracker.services.missions import MissionService

pytestmark = pytest.mark.anyio
RITA = Actor("rita@cec.example", m.UserRole.REGISTRAR)


async def target(session: AsyncSession, mission: str = "kg") -> tuple[m.Election, m.Mission]:
    election = await ElectionService(session=session).get_by_slug("majilis-2023")
    return election, await MissionService(session=session).by_slug(election, mission)


async def accreditations_of(session: AsyncSession, mission: m.Mission) -> int:
    return int(await session.scalar(select(func.count()).where(m.Accreditation.mission_id == mission.id)) or 0)


async def test_it_imports_a_russian_list_under_a_title_row(demo_session: AsyncSession) -> None:
    election, mission = await target(demo_session)
    before = await accreditations_of(demo_session, mission)
    imports = ImportService(demo_session)

    batch = await imports.upload(election, mission, "kg.xlsx", xlsx(observers(3)), RITA)
    check = await imports.check(batch)
    await imports.commit(batch, RITA)

    assert check.header.row_index == 2
    assert (check.rows_total, len(check.problems)) == (3, 0)
    assert await accreditations_of(demo_session, mission) == before + 3
    assert batch.status is m.ImportStatus.COMMITTED
    assert (batch.rows_created, batch.committed_by, len(batch.sha256)) == (3, RITA.name, 64)
    assert batch.content is None
    person = await demo_session.scalar(select(m.Person).where(m.Person.document_number == "ID0000002"))
    assert person is not None
    assert (person.name_original, person.name_latin, person.nationality_code) == (
        "Азамат Тестов 2",
        "Azamat Testov 2",
        "KG",
    )
    status = await demo_session.scalar(
        select(m.StatusEvent.status)
        .join(m.Accreditation, m.Accreditation.id == m.StatusEvent.accreditation_id)
        .where(m.Accreditation.person_id == person.id)
    )
    assert status is m.Status.NOMINATED
    entry = await demo_session.scalar(select(m.AuditEntry).where(m.AuditEntry.action == "import"))
    assert entry is not None
    assert entry.after is not None
    assert entry.after["created"] == 3


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (xlsx(with_dates(observers(2)), header=ENGLISH_HEADER, titles=()), "en.xlsx"),
        (xlsx(observers(2), header=KAZAKH_HEADER, titles=("Байқаушылар тізімі",)), "kk.xlsx"),
        (csv_bytes(observers(2)), "en.csv"),
    ],
)
async def test_it_reads_english_kazakh_and_csv_layouts(demo_session: AsyncSession, content: bytes, name: str) -> None:
    election, mission = await target(demo_session)
    imports = ImportService(demo_session)

    check = await imports.check(await imports.upload(election, mission, name, content, RITA))

    assert check.problems == []
    assert [o.document_number for o in check.observers] == ["ID0000001", "ID0000002"]
    assert [o.birth_date.isoformat() for o in check.observers if o.birth_date] == ["1961-02-02", "1962-03-03"]


async def test_each_person_gets_their_own_accreditation(demo_session: AsyncSession) -> None:
    election, mission = await target(demo_session, "odihr")
    roles = ["глава миссии", "эксперт", "переводчик", "координатор", "долгосрочный наблюдатель"]
    rows = [(*row[:6], roles[i % len(roles)]) for i, row in enumerate(observers(2500, nationality="Германия"))]
    imports = ImportService(demo_session)

    await imports.commit(await imports.upload(election, mission, "odihr.xlsx", xlsx(rows), RITA), RITA)

    stored = dict(
        (
            await demo_session.execute(
                select(m.Person.document_number, m.Accreditation.role)
                .join(m.Accreditation, m.Accreditation.person_id == m.Person.id)
                .where(m.Accreditation.mission_id == mission.id, m.Accreditation.import_batch_id.is_not(None))
            )
        ).all()
    )
    expected_roles = [
        m.Role.HEAD_OF_MISSION,
        m.Role.EXPERT,
        m.Role.INTERPRETER,
        m.Role.COORDINATOR,
        m.Role.LONG_TERM_OBSERVER,
    ]
    assert len(stored) == 2500
    assert all(stored[row[5]] is expected_roles[i % 5] for i, row in enumerate(rows))


async def test_an_error_in_the_last_row_means_nothing_is_imported(demo_session: AsyncSession) -> None:
    election, mission = await target(demo_session)
    rows = observers(5)
    rows[-1] = (*rows[-1][:3], "31.02.1970", *rows[-1][4:])
    before = await accreditations_of(demo_session, mission)
    imports = ImportService(demo_session)
    batch = await imports.upload(election, mission, "kg.xlsx", xlsx(rows), RITA)

    with pytest.raises(InvalidInput, match="nothing was imported"):
        await imports.commit(batch, RITA)

    assert await accreditations_of(demo_session, mission) == before
    assert batch.status is m.ImportStatus.PENDING


async def test_every_problem_is_reported_by_row_and_column(demo_session: AsyncSession) -> None:
    election, mission = await target(demo_session, "odihr")
    demo_document = await demo_session.scalar(
        select(m.Person.document_number)
        .join(m.Accreditation, m.Accreditation.person_id == m.Person.id)
        .where(m.Accreditation.badge_number == "M23-00005")
    )
    rows = observers(7, nationality="Германия")
    rows[0] = (*rows[0][:4], "Атлантида", *rows[0][5:])
    rows[1] = (*rows[1][:3], "вчера", *rows[1][4:])
    rows[2] = (rows[2][0], "", "", *rows[2][3:])
    rows[3] = (*rows[3][:5], "№ 12!", rows[3][6])
    rows[5] = (*rows[5][:5], rows[4][5], rows[5][6])
    rows[6] = (*rows[6][:5], demo_document, rows[6][6])
    imports = ImportService(demo_session)

    check = await imports.check(await imports.upload(election, mission, "odihr.xlsx", xlsx(rows), RITA))

    found = {(p.row, p.label): p.message for p in check.problems}
    assert found[(4, "Гражданство")] == "unknown country 'Атлантида'"
    assert (5, "Дата рождения") in found
    assert (6, "ФИО") in found
    assert (7, "№ паспорта") in found
    assert found[(9, "№ паспорта")] == "the same document as row 8"
    assert "already nominated or accredited in this election" in found[(10, "№ паспорта")]
    assert [o.row for o in check.observers] == [8]


async def test_a_duplicate_inside_the_file_names_the_first_row(demo_session: AsyncSession) -> None:
    election, mission = await target(demo_session)
    rows = observers(2)
    rows[1] = (*rows[1][:5], rows[0][5], rows[1][6])
    imports = ImportService(demo_session)

    check = await imports.check(await imports.upload(election, mission, "kg.xlsx", xlsx(rows), RITA))

    assert [(p.row, p.message) for p in check.problems] == [(5, "the same document as row 4")]


async def test_importing_the_same_file_again_creates_nothing(demo_session: AsyncSession) -> None:
    election, mission = await target(demo_session)
    content = xlsx(observers(2))
    imports = ImportService(demo_session)
    await imports.commit(await imports.upload(election, mission, "kg.xlsx", content, RITA), RITA)
    after_first = await accreditations_of(demo_session, mission)

    with pytest.raises(AlreadyImported, match="already imported"):
        await imports.upload(election, mission, "kg-again.xlsx", content, RITA)

    assert await accreditations_of(demo_session, mission) == after_first
