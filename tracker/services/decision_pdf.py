"""A decision in words: the translated, formatted content of its annex and of its letters to the missions."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from reports import decision as pdf
from tracker import labels
from tracker import models as m
from tracker.i18n import current_language, format_day, format_instant, in_language, ngettext
from tracker.i18n import gettext as _
from tracker.services.decision_reads import Decided, DecisionDetail


def _in_each(languages: Sequence[str], words: Callable[[], str]) -> str:
    """`words` in every language, each once, joined with a slash: "Аты-жөні / ФИО"."""
    found: list[str] = []
    for lang in languages:
        with in_language(lang):
            said = words()
        if said not in found:
            found.append(said)
    return " / ".join(found)


def _sender(mission: m.Mission, lang: str) -> str:
    sender = mission.country if mission.sender_kind is m.SenderKind.FOREIGN_STATE else mission.organization
    return sender.name(lang) if sender is not None else mission.name


def _role(role: m.Role) -> str:
    return labels.roles().get(role.value, role.value)


def _intro(decision: m.Decision, election: m.Election, count: int, lang: str) -> str:
    when = format_instant(decision.effective_at, election.zone, lang)
    if decision.outcome is m.Status.ACCREDITED:
        text = ngettext(
            "%(num)d observer accredited with effect from %(time)s:",
            "%(num)d observers accredited with effect from %(time)s:",
            count,
        )
    else:
        text = ngettext(
            "%(num)d nomination rejected with effect from %(time)s:",
            "%(num)d nominations rejected with effect from %(time)s:",
            count,
        )
    return text % {"num": count, "time": when}


def annex(detail: DecisionDetail, *, commission: str, languages: Sequence[str]) -> pdf.Annex:
    """The annex in `languages` (the first leads): headings in each, the list's words in all of them."""
    decision, election = detail.decision, detail.election
    first = languages[0]
    accredited = decision.outcome is m.Status.ACCREDITED
    headings = []
    for lang in languages:
        with in_language(lang):
            headings.append(
                pdf.Heading(
                    lang=lang,
                    title=_("Annex to decision No. %(reference)s of %(date)s")
                    % {"reference": decision.reference, "date": format_day(decision.decided_on, lang)},
                    intro=_intro(decision, election, len(detail.decided), lang),
                )
            )
    columns = (
        "№",
        _in_each(languages, lambda: _("Full name")),
        _in_each(languages, lambda: _("Sender")),
        _in_each(languages, lambda: _("Role")),
    )
    if accredited:
        columns += (_in_each(languages, lambda: _("Badge number")),)
    lines = []
    for item in detail.decided:
        cells = (
            _in_each(languages, lambda item=item: _sender(item.mission, current_language.get())),
            _in_each(languages, lambda item=item: _role(item.accreditation.role)),
        )
        if accredited:
            cells += (item.accreditation.badge_number or "",)
        lines.append(pdf.Line(item.person.name_latin, item.person.name_original, cells))
    with in_language(first):
        reason = _("Reason: %(reason)s") % {"reason": decision.reason} if decision.reason else None
        return pdf.Annex(
            commission=_(commission),
            reference=_("Decision No. %(reference)s of %(date)s")
            % {"reference": decision.reference, "date": decision.decided_on.strftime("%d.%m.%Y")},
            headings=tuple(headings),
            columns=columns,
            lines=tuple(lines),
            reason=reason,
            page_label=_("Page {page} of {pages}"),
            footer=_("Annex to decision No. %(reference)s") % {"reference": decision.reference},
            created=decision.created_at,
        )


def letter(detail: DecisionDetail, mission: m.Mission, *, commission: str, lang: str) -> pdf.Letter:
    """The letter telling `mission` what the decision means for its members, in `lang`."""
    decision, election = detail.decision, detail.election
    members: list[Decided] = [item for item in detail.decided if item.mission.id == mission.id]
    accredited = decision.outcome is m.Status.ACCREDITED
    with in_language(lang):
        facts = {
            "reference": decision.reference,
            "date": format_day(decision.decided_on, lang),
            "time": format_instant(decision.effective_at, election.zone, lang),
            "election": election.name(lang),
        }
        if accredited:
            opening = _(
                "By its decision No. %(reference)s of %(date)s, the commission accredited the following members of "
                "your mission as observers, with effect from %(time)s."
            )
        else:
            opening = _(
                "By its decision No. %(reference)s of %(date)s, the commission did not accredit the following "
                "members of your mission as observers."
            )
        paragraphs = [_("Election: %(election)s") % facts, opening % facts]
        if decision.reason:
            paragraphs.append(_("Reason: %(reason)s") % {"reason": decision.reason})
        columns = ("№", _("Full name"), _("Role"), _("Status"))
        status = labels.statuses().get(decision.outcome.value, decision.outcome.value)
        if accredited:
            columns += (_("Badge number"),)
        lines = []
        for item in members:
            cells: tuple[str, ...] = (_role(item.accreditation.role), status)
            if accredited:
                cells += (item.accreditation.badge_number or "",)
            lines.append(pdf.Line(item.person.name_latin, item.person.name_original, cells))
        addressee = [mission.name]
        if mission.head_name:
            addressee.append(_("Head of mission: %(name)s") % {"name": mission.head_name})
        return pdf.Letter(
            commission=_(commission),
            place_and_date=format_day(decision.decided_on, lang),
            addressee=tuple(addressee),
            subject=_("Decision No. %(reference)s of %(date)s") % facts,
            paragraphs=tuple(paragraphs),
            columns=columns,
            lines=tuple(lines),
            closing=(
                ngettext(
                    "This letter concerns %(num)d member of your mission.",
                    "This letter concerns %(num)d members of your mission.",
                    len(lines),
                )
                % {"num": len(lines)},
            ),
            page_label=_("Page {page} of {pages}"),
            footer=_("Decision No. %(reference)s") % facts + f" · {mission.name}",
            created=decision.created_at,
            lang=lang,
        )
