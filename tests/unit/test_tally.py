"""The tally engine's counting rules, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tests.factories import at, make_accreditation, make_election, make_mission
from tracker import models as m
from tracker.tally import tally_as_of

pytestmark = pytest.mark.anyio
S = m.Status
ACCREDITED_9_FEB = [(S.NOMINATED, at("2023-02-06T10:00")), (S.ACCREDITED, at("2023-02-09T11:00"))]


async def test_it_counts_only_what_is_accredited_at_the_instant(session: AsyncSession) -> None:
    election = await make_election(session)
    germany = await make_mission(session, election, country="DE")
    await make_accreditation(session, germany, ACCREDITED_9_FEB)
    await make_accreditation(session, germany, [(S.NOMINATED, at("2023-02-06T10:00"))])
    await make_accreditation(
        session, germany, [(S.NOMINATED, at("2023-02-06T10:00")), (S.REJECTED, at("2023-02-08T10:00"))]
    )

    tally = await tally_as_of(session, election, at("2023-02-10T00:00"))

    assert (tally.observers, tally.countries, tally.organizations, tally.nominated) == (1, 1, 0, 1)


async def test_a_later_event_does_not_change_an_earlier_tally(session: AsyncSession) -> None:
    election = await make_election(session)
    odihr = await make_mission(session, election, organization_slug="osce-odihr")
    await make_accreditation(session, odihr, [*ACCREDITED_9_FEB, (S.WITHDRAWN, at("2023-02-13T11:30"))])

    before = await tally_as_of(session, election, at("2023-02-13T11:29"))
    after = await tally_as_of(session, election, at("2023-02-13T11:30"))

    assert (before.observers, before.organizations) == (1, 1)
    assert (after.observers, after.organizations) == (0, 0)


async def test_an_event_counts_from_its_effective_instant(session: AsyncSession) -> None:
    election = await make_election(session)
    mission = await make_mission(session, election, country="PS")
    await make_accreditation(session, mission, ACCREDITED_9_FEB)

    assert (await tally_as_of(session, election, at("2023-02-09T10:59:59"))).observers == 0
    assert (await tally_as_of(session, election, at("2023-02-09T11:00"))).observers == 1


async def test_nationality_does_not_make_a_country(session: AsyncSession) -> None:
    election = await make_election(session)
    odihr = await make_mission(session, election, organization_slug="osce-odihr")
    for nationality in ("PL", "DE", "GB", "FR", "SE"):
        await make_accreditation(session, odihr, ACCREDITED_9_FEB, nationality=nationality)

    tally = await tally_as_of(session, election, at("2023-03-01T00:00"))

    assert (tally.observers, tally.countries, tally.organizations) == (5, 0, 1)
    assert sorted(n.code for n in tally.by_nationality) == ["DE", "FR", "GB", "PL", "SE"]


async def test_it_leaves_out_test_data(session: AsyncSession) -> None:
    election = await make_election(session)
    mission = await make_mission(session, election, country="KG")
    await make_accreditation(session, mission, ACCREDITED_9_FEB, is_test=True)

    tally = await tally_as_of(session, election, at("2023-03-01T00:00"))

    assert (tally.observers, tally.countries) == (0, 0)


async def test_domestic_observers_are_counted_apart(session: AsyncSession) -> None:
    election = await make_election(session)
    domestic = await make_mission(session, election, domestic=True)
    foreign = await make_mission(session, election, country="TR")
    await make_accreditation(session, domestic, ACCREDITED_9_FEB, nationality="KZ")
    await make_accreditation(session, domestic, ACCREDITED_9_FEB, nationality="KZ")
    await make_accreditation(session, foreign, ACCREDITED_9_FEB, nationality="TR")

    tally = await tally_as_of(session, election, at("2023-03-01T00:00"))

    assert (tally.observers, tally.countries, tally.organizations, tally.domestic_observers) == (1, 1, 0, 2)
    assert tally.by_sender_kind[m.SenderKind.DOMESTIC_ORGANIZATION] == 2
    assert [n.code for n in tally.by_nationality] == ["TR"]


async def test_it_counts_one_election_only(session: AsyncSession) -> None:
    counted, other = await make_election(session), await make_election(session)
    await make_accreditation(session, await make_mission(session, other, country="DE"), ACCREDITED_9_FEB)

    assert (await tally_as_of(session, counted, at("2023-03-01T00:00"))).observers == 0


async def test_it_breaks_the_figures_down_by_sender_and_role(session: AsyncSession) -> None:
    election = await make_election(session)
    cis_ipa = await make_mission(session, election, organization_slug="cis-ipa")
    palestine = await make_mission(session, election, country="PS")
    await make_accreditation(session, cis_ipa, ACCREDITED_9_FEB, role=m.Role.HEAD_OF_MISSION, nationality="RU")
    await make_accreditation(session, cis_ipa, ACCREDITED_9_FEB, role=m.Role.PARLIAMENTARIAN, nationality="BY")
    await make_accreditation(session, palestine, ACCREDITED_9_FEB, role=m.Role.HEAD_OF_MISSION, nationality="PS")
    await make_accreditation(session, palestine, [(S.NOMINATED, at("2023-02-08T10:00"))], nationality="PS")

    tally = await tally_as_of(session, election, at("2023-02-10T00:00"))

    senders = {(s.kind, s.code): (s.observers, s.nominated) for s in tally.by_sender}
    assert senders == {
        (m.SenderKind.INTERNATIONAL_ORGANIZATION, "cis-ipa"): (2, 0),
        (m.SenderKind.FOREIGN_STATE, "PS"): (1, 1),
    }
    assert tally.by_role == {m.Role.HEAD_OF_MISSION: 2, m.Role.PARLIAMENTARIAN: 1}
    palestine_row = next(s for s in tally.by_sender if s.code == "PS")
    assert palestine_row.name("ru") == "Палестина"


async def test_senders_come_with_most_observers_first_then_by_kind_and_english_name(session: AsyncSession) -> None:
    election = await make_election(session)
    missions = {code: await make_mission(session, election, country=code) for code in ("AX", "ZM", "DE", "PS", "CI")}
    domestic = await make_mission(session, election, domestic=True)
    for code in ("AX", "ZM", "DE", "DE", "PS"):
        await make_accreditation(session, missions[code], ACCREDITED_9_FEB)
    await make_accreditation(session, domestic, ACCREDITED_9_FEB)
    await make_accreditation(session, missions["PS"], [(S.NOMINATED, at("2023-02-08T10:00"))])
    withdrawn = [*ACCREDITED_9_FEB, (S.WITHDRAWN, at("2023-02-09T12:00"))]
    await make_accreditation(session, missions["CI"], withdrawn)

    tally = await tally_as_of(session, election, at("2023-02-10T00:00"))

    # Ties by kind (domestic first, as the kinds' values sort), then by the English name letter by letter: "Zambia"
    # before "Åland Islands", whatever the database's collation says. Côte d'Ivoire has nobody left: not listed.
    organization = await session.get(m.Organization, domestic.organization_id)
    assert organization is not None
    assert [sender.code for sender in tally.by_sender] == ["DE", "PS", organization.slug, "ZM", "AX"]


async def test_a_name_or_acronym_left_empty_in_a_language_is_the_english_one(session: AsyncSession) -> None:
    election = await make_election(session)
    mission = await make_mission(session, election, domestic=True)
    await make_accreditation(session, mission, ACCREDITED_9_FEB)
    organization = await session.get(m.Organization, mission.organization_id)
    assert organization is not None
    organization.name_kk, organization.acronym_ru = "", ""
    await session.flush()

    [sender] = (await tally_as_of(session, election, at("2023-02-10T00:00"))).by_sender

    assert sender.name("kk") == organization.name_en
    assert sender.name("ru") == organization.name_ru
    assert sender.short_names == {"en": "DOM", "ru": "DOM", "kk": "ДОМ"}


async def test_an_instant_before_the_window_gives_zeros(session: AsyncSession) -> None:
    election = await make_election(session)
    await make_accreditation(session, await make_mission(session, election, country="DE"), ACCREDITED_9_FEB)

    tally = await tally_as_of(session, election, at("2022-12-31T00:00"))

    assert (tally.observers, tally.countries, tally.organizations, tally.nominated) == (0, 0, 0, 0)
    assert tally.by_sender == ()


async def test_the_headline_alone_skips_the_breakdowns_but_not_the_counts(session: AsyncSession) -> None:
    election = await make_election(session)
    mission = await make_mission(session, election, organization_slug="osce-odihr")
    await make_accreditation(session, mission, ACCREDITED_9_FEB, nationality="PL")

    full = await tally_as_of(session, election, at("2023-03-01T00:00"))
    headline = await tally_as_of(session, election, at("2023-03-01T00:00"), breakdowns=False)

    assert (headline.observers, headline.countries, headline.organizations) == (full.observers, 0, 1)
    assert headline.by_sender == full.by_sender
    assert (headline.by_role, headline.by_nationality) == ({}, ())
    assert full.by_role == {m.Role.SHORT_TERM_OBSERVER: 1}
