"""`tracker check`: the demo's published bulletins and timeline agree both ways; a record changed behind the
services' back is found, named, and fails the command."""

from __future__ import annotations

from sqlalchemy import select, update

from tests.cli.runner import tracker
from tests.conftest import read, write
from tests.published import in_2023
from tracker import models as m
from tracker.summaries import LATEST


def test_the_demo_agrees_and_a_planted_difference_is_found(demo_db: str) -> None:
    fine = tracker(demo_db, "check", "majilis-2023")
    fictional = tracker(demo_db, "check", "demo-fictional")
    unknown = tracker(demo_db, "check", "senate-2099")

    assert (fine.returncode, fine.stdout) == (0, "checked 5 bulletins and 60 days: no disagreement\n")
    assert fictional.returncode == 0, fictional.stdout
    assert fictional.stdout.endswith(": no disagreement\n")
    assert (unknown.returncode, unknown.stderr) == (2, "tracker: unknown election 'senate-2099'\n")

    # The one observer from a state in bulletin No. 1 (Palestine's head of mission) rejected instead, in place;
    # and the Mongolian mission's country changed on the mission alone, its sender's history left as it was.
    event = m.StatusEvent
    [(palestine,)] = read(
        demo_db,
        select(event.id)
        .join(m.Mission, m.Mission.id == event.mission_id)
        .where(in_2023(event.election_id), m.Mission.slug == "ps", event.status == m.Status.ACCREDITED),
    )
    write(demo_db, update(event).where(event.id == palestine).values(status=m.Status.REJECTED))
    write(
        demo_db,
        update(m.Mission).where(in_2023(m.Mission.election_id), m.Mission.slug == "mn").values(country_code="NZ"),
    )
    planted = tracker(demo_db, "check", "majilis-2023")
    in_russian = tracker(demo_db, "check", "majilis-2023", "--lang", "ru")

    assert planted.returncode == 1
    lines = planted.stdout.splitlines()
    assert "bulletin No. 1: countries: published 1, counted as known at its publication 0" in lines
    assert "bulletin No. 1: observers: published 25, counted as known at its publication 24" in lines
    assert any(line.startswith("bulletin No. 5: observers of MN: tally engine 0, plain replay ") for line in lines)
    assert lines[-1].startswith("checked 5 bulletins and 60 days: ")
    assert lines[-1].endswith(" disagreements")
    assert in_russian.returncode == 1
    assert "бюллетень № 1" in in_russian.stdout


def test_a_summary_changed_by_hand_is_named_and_fails_the_check(demo_db: str) -> None:
    """The tally reads its summaries: one sum off by one, behind the services' back, is named with both its values."""
    summed = m.MissionSlot
    # Palestine's first slot with an observer accredited (its head of mission, 9 February 2023).
    [(slot, mission_id, n)] = read(
        demo_db,
        select(summed.slot, summed.mission_id, summed.accredited_change)
        .join(m.Mission, m.Mission.id == summed.mission_id)
        .where(in_2023(summed.election_id), m.Mission.slug == "ps", summed.accredited_change != 0)
        .order_by(summed.slot)
        .limit(1),
    )
    write(
        demo_db,
        update(summed)
        .where(in_2023(summed.election_id), summed.slot == slot, summed.mission_id == mission_id)
        .values(accredited_change=summed.accredited_change + 1),
    )

    planted = tracker(demo_db, "check", "majilis-2023")

    assert planted.returncode == 1
    lines = planted.stdout.splitlines()
    changed = "summary tally_mission_slot, 5 minutes from 9 February 2023, 11:00, ps accredited_change"
    assert f"{changed}: stored {n + 1}, made from the events {n}" in lines
    # Every count after it is now one short of the changes' running sum, the counts after every change too.
    [(latest,)] = read(
        demo_db,
        select(summed.accredited).where(
            in_2023(summed.election_id), summed.mission_id == mission_id, summed.slot == LATEST
        ),
    )
    after = "summary tally_mission_slot, the key's counts after every change, ps accredited"
    assert f"{after}: stored {latest}, made from the events {latest + 1}" in lines
    assert lines[-1].startswith("checked 5 bulletins and 60 days: ")
    assert lines[-1].endswith(" disagreements")
