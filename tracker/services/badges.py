"""Accreditation cards and the public check of a card: is it genuine, and is it still valid?

A card's QR code opens /verify with the badge number and a signature: an HMAC of the election and the
number under the server's secret key. A card also prints a check code, derived from that signature, for
whoever types the number in instead of scanning. Nobody without the key can make a signature or a code
for a number, and badge numbers run in sequence: so a check without the card's signature or code answers
exactly as for a number no card has, and tells nothing about who holds it. The answer for a genuine card
is read from the accreditation's current status, so a card revoked after printing says so at once.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import anyio.to_thread
from sqlalchemy import Row, and_, select
from sqlalchemy.ext.asyncio import AsyncSession

from reports.badges import Card, CardText, Layout, build_cards
from tracker import labels as names
from tracker import models as m
from tracker.errors import InvalidInput
from tracker.i18n import gettext as _
from tracker.i18n import in_language
from tracker.instants import end_of_day, utc_now
from tracker.phrases import LANGUAGES
from tracker.records import status_at
from tracker.services.audit import Actor, record
from tracker.services.missions import MissionService
from tracker.settings import Settings

# 80 bits: far beyond guessing through a rate-limited form, short enough for a QR code that scans from print.
SIGNATURE_CHARS = 20
# Typed from the card: no 0/O, no 1/I/L. Eight of these 31 characters are 39.6 bits, out of reach of
# guessing at the rate limit: at 600 a minute, one address would need 1,350 years on average for one card.
CHECK_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CHECK_CODE_LENGTH = 8
# Checked when no card has the number, so that a missing number costs the same work as a wrong code.
STAND_IN_ELECTION = "no-such-election"
CARD_LANGUAGES = ("kk", "en")
MAX_SELECTED = 1000


def signature(secret: str, election_slug: str, badge_number: str) -> str:
    message = f"{election_slug}/{badge_number}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()[:SIGNATURE_CHARS]


def check_code(secret: str, election_slug: str, badge_number: str) -> str:
    """The code printed on the card for a typed check, in two groups of four: `K7QM-3XWP`."""
    return _grouped(_check_code(secret, signature(secret, election_slug, badge_number)))


def _check_code(secret: str, card_signature: str) -> str:
    digest = hmac.new(secret.encode(), f"check code/{card_signature}".encode(), hashlib.sha256).digest()
    # 256 bits read as digits in base 31: the first eight are as good as uniform.
    value, characters = int.from_bytes(digest), []
    while len(characters) < CHECK_CODE_LENGTH:
        value, digit = divmod(value, len(CHECK_CODE_ALPHABET))
        characters.append(CHECK_CODE_ALPHABET[digit])
    return "".join(characters)


def _grouped(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"


def typed_check_code(typed: str) -> str:
    """A code as typed, in the form it is compared in: `k7qm 3xwp`, `K7QM3XWP` and `K7QM-3XWP` are the same."""
    return "".join(character for character in typed.upper() if character.isalnum())


def verify_url(public_url: str, secret: str, election_slug: str, badge_number: str) -> str:
    query = urlencode({"badge": badge_number, "sig": signature(secret, election_slug, badge_number)})
    return f"{public_url.rstrip('/')}/verify?{query}"


def valid_until(election: m.Election) -> dt.datetime:
    """Observation ends with voting day: a card is valid to its last minute in the election's zone."""
    return end_of_day(election.voting_day, election.zone)


def check_languages(value: str | Sequence[str]) -> tuple[str, ...]:
    chosen = tuple(lang.strip() for lang in (value.split(",") if isinstance(value, str) else value) if lang.strip())
    if not 1 <= len(chosen) <= 2 or any(lang not in LANGUAGES for lang in chosen) or len(set(chosen)) != len(chosen):
        raise InvalidInput(
            f"lang: {','.join(chosen) or 'nothing'!r} is not one or two of {', '.join(LANGUAGES)}, e.g. kk,en",
            field="lang",
        )
    return chosen


@dataclass(frozen=True)
class CardsRequest:
    """Which cards to print, as the command line, the API and the staff page ask for them."""

    mission: str | None = None
    accreditation_ids: tuple[int, ...] = ()
    layout: str = Layout.SHEET.value
    languages: str | Sequence[str] = CARD_LANGUAGES


@dataclass(frozen=True)
class CardsFile:
    content: bytes
    filename: str
    cards: int


@dataclass(frozen=True)
class Verdict:
    """What /verify says: the outcome, and for a genuine card what is printed on it anyway."""

    outcome: m.CheckOutcome
    badge_number: str
    election: m.Election | None = None
    name_original: str | None = None
    name_latin: str | None = None
    sender: dict[str, str] | None = None
    role: m.Role | None = None
    since: dt.datetime | None = None
    """When the current status began: the day a card was revoked or withdrawn."""
    valid_until: dt.datetime | None = None


class BadgeService:
    """Cards and their checks, under the settings' secret key, public address and commission name."""

    def __init__(self, session: AsyncSession, settings: Settings) -> None:
        self.session = session
        self.settings = settings

    async def cards(self, election: m.Election, wanted: CardsRequest, actor: Actor) -> CardsFile:
        """Cards for the election's accredited observers (of one mission, or a selection)."""
        languages = check_languages(wanted.languages)
        try:
            layout = Layout(wanted.layout)
        except ValueError:
            raise InvalidInput(f"layout: {wanted.layout!r} is not sheet or single", field="layout") from None
        if len(wanted.accreditation_ids) > MAX_SELECTED:
            message = _("at most %(most)d cards at once") % {"most": MAX_SELECTED}
            raise InvalidInput(f"accreditation: {message}", field="accreditation")
        mission = (
            await MissionService(session=self.session).by_slug(election, wanted.mission) if wanted.mission else None
        )
        rows = await self._accredited(election, mission, wanted.accreditation_ids)
        if not rows:
            raise InvalidInput(
                _("no accredited observer with a badge matches: there is no card to print"), field="mission"
            )
        secret, public_url = self.settings.secret_key, self.settings.public_url
        text = card_text(election, languages, self.settings.commission_name)
        until = valid_until(election).astimezone(election.zone).strftime("%d.%m.%Y")

        def cards() -> Iterator[Card]:
            for row in rows:
                yield Card(
                    badge_number=row.badge_number,
                    name_original=row.name_original,
                    name_latin=row.name_latin,
                    sender=_joined(_sender(row), languages),
                    role=_joined({lang: _role(row.role, lang) for lang in languages}, languages),
                    valid_until=until,
                    verify_url=verify_url(public_url, secret, election.slug, row.badge_number),
                    check_code=check_code(secret, election.slug, row.badge_number),
                    photo=row.photo,
                )

        content = await anyio.to_thread.run_sync(
            lambda: build_cards(cards(), text, layout=layout, created=election.window_opens_at)
        )
        parts = [election.slug, "cards", mission.slug if mission else None, layout.value]
        filename = "-".join(part for part in parts if part) + ".pdf"
        # What was printed and with which choices, not the election it came from.
        exported = {
            "export": "cards",
            "file_name": filename,
            "cards": len(rows),
            "mission_id": mission.id if mission else None,
            "ticked": len(wanted.accreditation_ids) or None,
            "layout": layout.value,
            "languages": ",".join(languages),
        }
        await record(self.session, actor, "export", election, after=exported)
        return CardsFile(content, filename, len(rows))

    async def verify(self, badge: str, *, sig: str | None = None, code: str | None = None) -> Verdict:
        """The answer for a badge number with the signature from its QR code or the check code typed from it; counted.

        Without either, or with a wrong one, the answer is *not genuine* whether or not a card has the
        number, and it costs the same: one small query, and the signature and code of one card worked out
        (of a stand-in when no card has the number). What a card prints is read only for a genuine one.
        """
        secret = self.settings.secret_key
        number = badge.strip().upper()
        now = utc_now()
        candidates = await self._numbered(number) if 0 < len(number) <= 32 else []
        # Bytes, so that whatever was typed into the address is compared, never rejected with an error.
        given_sig = (sig or "").strip().lower().encode()
        given_code = typed_check_code(code or "").encode()
        genuine = None
        for row in candidates or [None]:
            expected_sig = signature(secret, row.slug if row else STAND_IN_ELECTION, number)
            expected_code = _check_code(secret, expected_sig)
            # Both compared every time (no `or`): a wrong signature costs what a wrong code costs.
            matches = [
                hmac.compare_digest(expected_sig.encode(), given_sig),
                hmac.compare_digest(expected_code.encode(), given_code),
            ]
            if row is not None and genuine is None and any(matches):
                genuine = row
        verdict = (
            Verdict(m.CheckOutcome.NOT_GENUINE, number)
            if genuine is None
            else _status(await self._card(genuine.id, now), number, now)
        )
        self.session.add(
            m.BadgeCheck(
                checked_at=now,
                election_id=verdict.election.id if verdict.election else None,
                outcome=verdict.outcome,
            )
        )
        return verdict

    async def _numbered(self, number: str) -> list[Row[Any]]:
        """The cards with this number (one per election at most): only what their signatures need, so that a
        number on record is read as quickly as one that is not."""
        query = (
            select(m.Accreditation.id, m.Election.slug)
            .join(m.Election, m.Election.id == m.Accreditation.election_id)
            .where(m.Accreditation.badge_number == number)
            .order_by(m.Accreditation.id)
        )
        return list(await self.session.execute(query))

    async def _card(self, accreditation_id: int, now: dt.datetime) -> Row[Any]:
        """A genuine card's record: what it prints, its election, and its status at `now`."""
        event = m.StatusEvent
        query = (
            _card_rows()
            .add_columns(m.Election, event.status, event.effective_at)
            .outerjoin(event, and_(event.accreditation_id == m.Accreditation.id, status_at(now)))
            .where(m.Accreditation.id == accreditation_id)
        )
        return (await self.session.execute(query)).one()

    async def _accredited(self, election: m.Election, mission: m.Mission | None, ids: Sequence[int]) -> list[Any]:
        event = m.StatusEvent
        query = (
            # Only printing needs the photo; a public check never reads its bytes.
            _card_rows()
            .add_columns(m.Person.photo)
            .join(event, event.accreditation_id == m.Accreditation.id)
            .where(
                m.Accreditation.election_id == election.id,
                m.Accreditation.badge_number.is_not(None),
                event.status == m.Status.ACCREDITED,
                event.current(),
            )
            .order_by(m.Mission.name, m.Accreditation.badge_number)
        )
        if mission is not None:
            query = query.where(m.Accreditation.mission_id == mission.id)
        if ids:
            query = query.where(m.Accreditation.id.in_(ids))
        return list(await self.session.execute(query))


def _card_rows() -> Any:
    """An accreditation with what its card prints: names, sender in every language, role."""
    return (
        select(
            m.Accreditation.id,
            m.Accreditation.election_id,
            m.Accreditation.badge_number,
            m.Accreditation.role,
            m.Election.slug,
            m.Person.name_original,
            m.Person.name_latin,
            m.Country,
            m.Organization,
        )
        .join(m.Election, m.Election.id == m.Accreditation.election_id)
        .join(m.Person, m.Person.id == m.Accreditation.person_id)
        .join(m.Mission, m.Mission.id == m.Accreditation.mission_id)
        .outerjoin(m.Country, m.Country.code == m.Mission.country_code)
        .outerjoin(m.Organization, m.Organization.id == m.Mission.organization_id)
    )


def _status(row: Row[Any], number: str, now: dt.datetime) -> Verdict:
    until = valid_until(row.Election)
    if row.status is m.Status.ACCREDITED:
        outcome = m.CheckOutcome.VALID if now <= until else m.CheckOutcome.EXPIRED
    elif row.status is m.Status.REVOKED:
        outcome = m.CheckOutcome.REVOKED
    elif row.status is m.Status.WITHDRAWN:
        outcome = m.CheckOutcome.WITHDRAWN
    else:
        # A badge is only issued on accreditation; a record now in any other state is no valid card.
        outcome = m.CheckOutcome.NOT_YET_VALID
    return Verdict(
        outcome,
        number,
        election=row.Election,
        name_original=row.name_original,
        name_latin=row.name_latin,
        sender=_sender(row),
        role=row.role,
        since=row.effective_at,
        valid_until=until,
    )


def card_text(election: m.Election, languages: Sequence[str], commission: str) -> CardText:
    def each(make: Any) -> str:
        texts = []
        for lang in languages:
            with in_language(lang):
                texts.append(make(lang))
        return " / ".join(dict.fromkeys(texts))

    return CardText(
        commission=each(lambda _lang: _(commission)),
        election=each(lambda lang: election.name(lang)),
        title=each(lambda _lang: _("International observer")),
        badge_label=each(lambda _lang: _("Badge No.")),
        sender_label=each(lambda _lang: _("Sender")),
        role_label=each(lambda _lang: _("Role")),
        valid_until_label=each(lambda _lang: _("Valid until")),
        verify_hint=each(lambda _lang: _("Scan to check that this card is genuine and valid")),
        check_code_label=each(lambda _lang: _("Check code")),
    )


def _sender(row: Any) -> dict[str, str]:
    """A country by its name; an organization by the acronym its observers are known by (OSCE/ODIHR)."""
    if row.Organization is not None:
        return {lang: row.Organization.acronym(lang) for lang in LANGUAGES}
    return {lang: row.Country.name(lang) for lang in LANGUAGES}


def _role(role: m.Role, lang: str) -> str:
    with in_language(lang):
        return names.capitalized(names.roles())[role]


def _joined(texts: dict[str, str], languages: Sequence[str]) -> str:
    return " / ".join(dict.fromkeys(texts[lang] for lang in languages))
