"""`tracker decide`: a mission's nominated list accredited under one decision, with its annex."""

from __future__ import annotations

import io
import re
from pathlib import Path

from pypdf import PdfReader
from sqlalchemy import select

from tests.cli.runner import tracker
from tests.conftest import count_rows
from tests.lists import observers, xlsx
from tracker import models as m


def test_a_mission_s_list_is_accredited_from_the_command_line_with_its_annex(demo_db: str, tmp_path: Path) -> None:
    listing = tmp_path / "kg.xlsx"
    listing.write_bytes(xlsx(observers(3)))
    assert tracker(demo_db, "import", "majilis-2023", "--mission", "kg", str(listing)).returncode == 0
    annex = tmp_path / "Решение 12-345.pdf"

    late = tracker(
        demo_db,
        "decide",
        "majilis-2023",
        "--decision",
        "12/345",
        "--date",
        "22.02.2023",
        "--accredit",
        "--mission",
        "kg",
    )
    done = tracker(
        demo_db,
        "decide",
        "majilis-2023",
        "--decision",
        "12/345",
        "--date",
        "22.02.2023",
        "--accredit",
        "--mission",
        "kg",
        "--override-reason",
        "the court's ruling of 21.02.2023",
        "-o",
        str(annex),
    )

    assert late.returncode == 2
    assert late.stderr.count("\n") == 1
    assert "--override-reason: the window closed at 13 March 2023, 18:00" in late.stderr
    assert done.returncode == 0, done.stderr
    assert re.match(r"decision 12/345 \(#\d+\): 3 accredited\n", done.stdout)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(annex.read_bytes())).pages)
    assert "AZAMAT TESTOV 1" in text.upper()
    assert "12/345" in text
    in_2023 = (
        m.StatusEvent.election_id == select(m.Election.id).where(m.Election.slug == "majilis-2023").scalar_subquery()
    )
    assert count_rows(demo_db, m.StatusEvent, m.StatusEvent.decision_id.is_not(None), in_2023) == 3


def test_a_decision_without_its_outcome_or_with_a_bad_date_is_one_line_and_exit_code_2(demo_db: str) -> None:
    no_outcome = tracker(demo_db, "decide", "majilis-2023", "--decision", "1", "--date", "22.02.2023", "--all")
    bad_date = tracker(
        demo_db, "decide", "majilis-2023", "--decision", "1", "--date", "31.02.2023", "--reject", "--all"
    )

    assert (no_outcome.returncode, bad_date.returncode) == (2, 2)
    assert "--accredit or --reject" in no_outcome.stderr
    assert bad_date.stderr.startswith("tracker: --date: '31.02.2023' is not a date")
    assert "Traceback" not in no_outcome.stderr + bad_date.stderr
