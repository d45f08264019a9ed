"""Staff forms take dates as people write them in Kazakhstan and Russia, and say in the page's language what
they take when a date cannot be read."""

from __future__ import annotations

import datetime as dt

from litestar import Litestar
from litestar.testing import TestClient
from sqlalchemy import select

from tests.conftest import read, submit
from tests.web.test_staff_accreditations import NEW, OBSERVER, accreditation_id, status_of
from tracker import models as m


def test_a_transition_takes_its_effective_time_day_first(as_rita: TestClient[Litestar], demo_db: str) -> None:
    nominated = submit(as_rita, NEW, **OBSERVER | {"birth_date": "04.05.1980", "effective_at": "08.03.2023 10:00"})
    new = accreditation_id(nominated.headers["location"])
    page = f"/staff/accreditations/{new}"
    decide = {"status": "accredited", "version": "1"}

    refused = submit(as_rita, page, action=f"{page}/transition?lang=ru", **decide, effective_at="31.02.2023 10:00")

    assert refused.status_code == 400
    assert (
        "&#39;31.02.2023 10:00&#39; — не дата со временем: пишите 22.02.2023 21:13 или 2023-02-22T21:13" in refused.text
    )
    assert status_of(demo_db, new) == "nominated"

    accredited = submit(as_rita, page, action=f"{page}/transition", **decide, effective_at="09.03.2023 10:00:30")

    assert accredited.status_code in (302, 303), accredited.text
    [(birth_date,)] = read(demo_db, select(m.Person.birth_date).join(m.Accreditation).where(m.Accreditation.id == new))
    events = read(
        demo_db,
        select(m.StatusEvent.effective_at).where(m.StatusEvent.accreditation_id == new).order_by(m.StatusEvent.id),
    )
    # Astana time then: UTC+6.
    assert [at.replace(tzinfo=dt.UTC) if at.tzinfo is None else at for (at,) in events] == [
        dt.datetime(2023, 3, 8, 4, 0, tzinfo=dt.UTC),
        dt.datetime(2023, 3, 9, 4, 0, 30, tzinfo=dt.UTC),
    ]
    assert birth_date == dt.date(1980, 5, 4)
