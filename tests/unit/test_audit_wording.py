"""An entry of a kind the audit page has no words for is still shown readably, never hidden or raw."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from tracker import models as m
from tracker.audit_wording import Named, RecordNames, word_entries


def test_an_unknown_action_and_field_are_made_readable() -> None:
    entry = m.AuditEntry(
        id=7,
        at=dt.datetime(2023, 2, 22, 15, 13, tzinfo=dt.UTC),
        actor="rita@cec.example",
        action="renumber_badges",
        entity="badge_counter",
        entity_id="3",
        election_id=None,
        before={"issued": 12, "decision_id": None},
        after={"issued": 14, "decision_id": 5},
        note=None,
    )
    names = RecordNames(records={("decision", "5"): Named("No. 45/312")})

    [worded] = word_entries([entry], names, ZoneInfo("Asia/Almaty"))

    assert (worded.action, worded.record_type, worded.record) == ("renumber badges", "badge counter", Named("#3"))
    assert worded.when == "22 February 2023, 21:13"  # the commission's zone: UTC+6 then
    assert [(c.label, c.before, c.after) for c in worded.changes] == [
        ("Issued", Named("12"), Named("14")),
        ("Decision", Named("—"), Named("No. 45/312")),
    ]
