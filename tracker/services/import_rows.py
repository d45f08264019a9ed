"""Writing an imported list's rows: a person, an accreditation and its nomination per observer, in a few
bulk statements rather than an object per row (10,000 rows in a few statements, all in one transaction)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

from tracker import models as m
from tracker.cleaning import search_key
from tracker.errors import InvalidInput
from tracker.services.audit import Actor
from tracker.services.import_check import Observer, Progress
from tracker.services.transitions import record_nominations

# Core tables, not ORM entities: the ORM's bulk path costs several times more per row.
PERSON = m.Person.__table__
ACCREDITATION = m.Accreditation.__table__


async def insert_observers(
    session: AsyncSession,
    batch: m.ImportBatch,
    observers: list[Observer],
    actor: Actor,
    now: dt.datetime,
    progress: Progress | None,
) -> None:
    # Bulk statements, not an object per row: 10,000 rows in a few statements, all in one transaction.
    for start in range(0, len(observers), 1000):
        chunk = observers[start : start + 1000]
        person_ids = await _ids_of_new_rows(
            session,
            PERSON,
            [
                {
                    "name_original": o.name_original,
                    "name_latin": o.name_latin,
                    "latin_proposed": o.latin_proposed,
                    "search_name": search_key(o.name_original, o.name_latin),
                    "nationality_code": o.nationality,
                    "birth_date": o.birth_date,
                    "gender": o.gender,
                    "document_number": o.document_number,
                    "document_country_code": o.document_country,
                    "email": o.email,
                    "phone": o.phone,
                    "created_at": now,
                    "updated_at": now,
                }
                for o in chunk
            ],
        )
        accreditation_ids = await _ids_of_new_rows(
            session,
            ACCREDITATION,
            [
                {
                    "election_id": batch.election_id,
                    "mission_id": batch.mission_id,
                    "person_id": person_id,
                    "role": o.role,
                    "import_batch_id": batch.id,
                    "is_test": False,
                    "created_at": now,
                    "updated_at": now,
                }
                for o, person_id in zip(chunk, person_ids, strict=True)
            ],
        )
        await record_nominations(
            session,
            accreditation_ids,
            election_id=batch.election_id,
            mission_id=batch.mission_id,
            effective_at=now,
            actor=actor.name,
            actor_role=actor.role.value,
            reason=f"imported from {batch.file_name}",
        )
        if progress:
            progress(len(chunk))


async def _ids_of_new_rows(session: AsyncSession, table: Any, rows: list[dict[str, Any]]) -> list[int]:
    """Insert `rows`; their new ids, in the order of `rows`.

    RETURNING may list the ids in any order, but one statement assigns them in the order of its rows,
    on SQLite and PostgreSQL alike, so sorted they line up. (Asking SQLAlchemy to keep the order makes
    it send one statement per row on SQLite: 10,000 round trips instead of ten.)
    """
    result = await session.execute(insert(table).returning(table.c.id), rows)
    ids = sorted(result.scalars().all())
    if len(ids) != len(rows):
        raise InvalidInput(f"file: {len(rows)} rows sent, {len(ids)} stored; nothing was imported", field="file")
    return ids
