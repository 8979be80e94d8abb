"""Seeds one lab site's database with its share of the sample federation (DESIGN.md, Data
ownership): a library keeps its own operators, departments and widgets and a row for each
co-op it joined; a co-op's host alone keeps the members and the users' co-op account levels,
which the members learn from its registry."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from refdesk.db import create_engine, create_sessionmaker
from refdesk.db.models import (
    Coop,
    CoopAccount,
    CoopKind,
    CoopLevel,
    Department,
    Institution,
    InstitutionKind,
    Membership,
    TargetKind,
    User,
    Widget,
    WidgetTarget,
)
from refdesk.lab import sample, sample_history
from refdesk.lab.sample import Federation, Site
from refdesk.lab.sample_faqs import add_sample_faqs
from refdesk.lab.sample_policies import sample_policy
from refdesk.lab.sample_schedule import add_sample_schedule
from refdesk.lab.sample_scripts import sample_scripts


def _institutions(federation: Federation, site: Site) -> dict[str, Institution]:
    """The site itself and every institution that shares a co-op with it."""
    domains = {site.domain}
    for coop in federation.coops_of(site.domain):
        domains |= {coop.host, *(member for member, _ in coop.members)}
    return {
        domain: Institution(domain=domain, name=federation.site(domain).name,
                            kind=InstitutionKind(federation.site(domain).kind))
        for domain in sorted(domains)
    }


def _coop(coop: sample.Coop, institutions: dict[str, Institution], hosted: bool) -> Coop:
    return Coop(
        id=coop.id, name=coop.name, kind=CoopKind(coop.kind), host_domain=coop.host,
        room=coop.room, component=coop.component,
        memberships=[
            Membership(institution=institutions[domain], contributing=contributing)
            for domain, contributing in coop.members
        ] if hosted else [],
    )


def _user(site: Site, operator: sample.Operator, institution: Institution,
          coops: dict[str, Coop], with_levels: bool) -> User:
    return User(
        jid=site.jid(operator), name=operator.name, nick=operator.name.split()[0],
        institution=institution, local_admin=operator.local_admin,
        coop_accounts=[
            CoopAccount(coop_id=coop_id, level=CoopLevel(level),
                        quality=coop_id in operator.quality)
            for coop_id, level in operator.coops.items() if with_levels and coop_id in coops
        ],
    )


def _widget(widget: sample.Widget, institution: Institution,
            departments: dict[str, Department], origin: str) -> Widget:
    def target(position: int, kind: str, value: str) -> WidgetTarget:
        step = WidgetTarget(position=position, kind=TargetKind(kind))
        if kind == "department":
            step.department_id = departments[value].id
        elif kind == "operator":
            step.operator_jid = value
        else:
            step.coop_id = value
        return step

    return Widget(
        id=widget.id, institution_id=institution.id, name=widget.name,
        fallback_s=widget.fallback_s, allowed_origins=[origin],
        keep_transcript=widget.keep_transcript,
        routing=[target(i, kind, value) for i, (kind, value) in enumerate(widget.routing)],
    )


async def _seed(session: AsyncSession, federation: Federation, site: Site,
                history: History | None) -> None:
    institutions = _institutions(federation, site)
    coops = {c.id: _coop(c, institutions, c.id in site.hosts_coops)
             for c in federation.coops_of(site.domain)}
    session.add_all([*institutions.values(), *coops.values()])
    home = institutions[site.domain]
    departments = {
        d.name: Department(institution=home, name=d.name, room=f"{d.slug}@{site.muc}")
        for d in site.departments
    }
    session.add_all(departments.values())
    hosted = {coop_id: coops[coop_id] for coop_id in site.hosts_coops}
    session.add_all(_user(site, op, home, hosted, True) for op in site.operators)
    # Operators of other libraries hold co-op accounts at the co-ops this site hosts.
    for other in federation.sites:
        if other is not site and hosted:
            session.add_all(
                _user(other, op, institutions[other.domain], hosted, True)
                for op in other.operators if set(op.coops) & set(hosted)
            )
    await session.flush()
    # The lab's sample pages are served by the library's own gateway.
    origin = f"http://{site.address}:{site.gateway_port}"
    session.add_all(_widget(w, home, departments, origin) for w in site.widgets)
    add_sample_faqs(session, home)
    session.add_all(sample_policy(site.domain, home.id))
    session.add_all(sample_scripts(site.domain, home.id))
    add_sample_schedule(session, hosted, institutions)
    if history is not None:
        await session.flush()  # the widgets the past chats came from
        _add_history(session, federation, site, home.id, history)


@dataclass(frozen=True)
class History:
    """How many days of past chats the demo gets, up to which midnight (one for every site,
    so that a chat and its co-op's summary tell the same times)."""

    days: int
    until: datetime


def _add_history(session: AsyncSession, federation: Federation, site: Site,
                 home_id: int, history: History) -> None:
    chats = sample_history.history(federation, history.days, history.until)
    session.add_all(sample_history.chat_rows(site, home_id, chats))
    session.add_all(sample_history.summary_rows(site, chats))
    session.add_all(sample_history.monitoring_rows(federation, site, history.days,
                                                   history.until))


async def seed_site(url: str, federation: Federation, site: Site,
                    history: History | None = None) -> None:
    """Fill a freshly migrated database with the site's sample data (and, for the demo,
    its share of the federation's past chats)."""
    engine = create_engine(url)
    try:
        async with create_sessionmaker(engine)() as session, session.begin():
            await _seed(session, federation, site, history)
    finally:
        await engine.dispose()
