"""The data model on a migrated database: what it stores, what it reads back, what it refuses."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import delete, func, select, text
from sqlalchemy.exc import IntegrityError, StatementError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import selectinload

from refdesk.db.models import (
    Base,
    Chat,
    ChatState,
    Coop,
    CoopAccount,
    CoopKind,
    CoopLevel,
    Department,
    Institution,
    InstitutionKind,
    Membership,
    Sender,
    TargetKind,
    TranscriptLine,
    User,
    Widget,
    WidgetTarget,
)

Sessions = async_sessionmaker[AsyncSession]


@dataclass(frozen=True)
class World:
    """Ids of a small federation: Alpha and Beta in the 24/7 co-op hosted at coop.test."""

    alpha: int
    beta: int
    reference: int
    ann: int
    coop: str = "coop-247"
    widget: str = "alpha-main"


async def _commit(sessions: Sessions, *objects: Base) -> None:
    async with sessions() as session, session.begin():
        session.add_all(objects)


async def _commit_each(sessions: Sessions, objects: list[Base]) -> None:
    """Store each object in a transaction of its own, in the order given."""
    for obj in objects:
        await _commit(sessions, obj)


@pytest.fixture
async def world(sessions: Sessions) -> World:
    alpha = Institution(domain="alpha.test", name="Alpha Library", kind=InstitutionKind.ACADEMIC)
    beta = Institution(domain="beta.test", name="Beta Public", kind=InstitutionKind.PUBLIC)
    host = Institution(domain="coop.test", name="24/7 host", kind=InstitutionKind.COORDINATING)
    coop = Coop(id="coop-247", name="24/7 Reference", kind=CoopKind.GLOBAL,
                host_domain="coop.test", room="coop-247@conference.coop.test",
                component="coop.coop.test")
    coop.memberships = [Membership(institution=alpha, contributing=True),
                        Membership(institution=beta, contributing=False)]
    ann = User(jid="ann@alpha.test", name="Ann Archer", nick="Ann", institution=alpha,
               local_admin=True)
    ann.coop_accounts = [CoopAccount(coop=coop, level=CoopLevel.INSTITUTION_ADMIN)]
    bob = User(jid="bob@beta.test", name="Bob Baker", nick="Bob", institution=beta)
    bob.coop_accounts = [CoopAccount(coop=coop)]
    sam = User(jid="sam@coop.test", name="Sam Springy", nick="Sam", institution=host)
    sam.coop_accounts = [CoopAccount(coop=coop, level=CoopLevel.COOP_ADMIN)]
    reference = Department(institution=alpha, name="Reference",
                           room="reference@conference.alpha.test")
    widget = Widget(id="alpha-main", institution=alpha, name="Ask Alpha")
    await _commit(sessions, alpha, beta, host, coop, ann, bob, sam, reference, widget)
    return World(alpha=alpha.id, beta=beta.id, reference=reference.id, ann=ann.id)


def _chat(world: World, **fields: object) -> Chat:
    return Chat(widget_id=world.widget, institution_id=world.alpha,
                patron_jid="x1@guest.alpha.test/widget", question="Where are the theses?",
                **fields)


async def test_coop_memberships_and_account_levels_read_back(
    sessions: Sessions, world: World
) -> None:
    async with sessions() as session:
        members = (await session.execute(
            select(Institution.domain, Membership.contributing).join(Membership.institution)
            .where(Membership.coop_id == world.coop)
        )).all()
        levels = dict((await session.execute(
            select(User.jid, CoopAccount.level).join(CoopAccount.user)
        )).all())
        stored = await session.scalar(text(
            "SELECT level FROM coop_account WHERE user_id = :ann"), {"ann": world.ann})
        bob = await session.scalar(select(User).where(User.jid == "bob@beta.test"))
        host = await session.scalar(select(Institution).where(Institution.domain == "coop.test"))

    assert sorted(members) == [("alpha.test", True), ("beta.test", False)]
    assert levels == {"ann@alpha.test": CoopLevel.INSTITUTION_ADMIN,
                      "bob@beta.test": CoopLevel.REGULAR,
                      "sam@coop.test": CoopLevel.COOP_ADMIN}
    assert all(isinstance(level, CoopLevel) for level in levels.values())
    assert stored == "institution-admin", "the database holds enum values, not member names"
    assert bob is not None and (bob.local_admin, bob.chat_enabled) == (False, True)
    assert host is not None and host.kind is InstitutionKind.COORDINATING


async def test_widget_routing_list_reads_back_in_position_order(
    sessions: Sessions, world: World
) -> None:
    widget = Widget(id="alpha-late", institution_id=world.alpha, name="Ask Alpha late",
                    allowed_origins=["https://alpha.test", "http://127.0.0.1:8101"])
    await _commit(sessions, widget)
    # Stored last step first, one transaction each: the list must come back by position,
    # not in the order the rows were written.
    await _commit_each(sessions, [
        WidgetTarget(widget_id=widget.id, position=2, kind=TargetKind.COOP, coop_id=world.coop),
        WidgetTarget(widget_id=widget.id, position=1, kind=TargetKind.OPERATOR,
                     operator_jid="Bob@Beta.TEST"),
        WidgetTarget(widget_id=widget.id, position=0, kind=TargetKind.DEPARTMENT,
                     department_id=world.reference),
    ])

    async with sessions() as session:
        loaded = await session.get_one(Widget, "alpha-late")

    assert [(t.position, t.kind) for t in loaded.routing] == [
        (0, TargetKind.DEPARTMENT), (1, TargetKind.OPERATOR), (2, TargetKind.COOP)]
    assert [t.department_id for t in loaded.routing] == [world.reference, None, None]
    assert loaded.routing[1].operator_jid == "bob@beta.test"
    assert loaded.routing[2].coop_id == world.coop
    assert loaded.fallback_s == 30
    assert loaded.allowed_origins == ["https://alpha.test", "http://127.0.0.1:8101"]


async def test_transcript_reads_back_in_seq_order(sessions: Sessions, world: World) -> None:
    chat = _chat(world, patron_name="Pat")
    await _commit(sessions, chat)
    await _commit_each(sessions, [
        TranscriptLine(chat_id=chat.id, seq=2, sender=Sender.PATRON, nick="Pat", body="Thanks!"),
        TranscriptLine(chat_id=chat.id, seq=0, sender=Sender.SYSTEM, body="Ann joined the chat."),
        TranscriptLine(chat_id=chat.id, seq=1, sender=Sender.OPERATOR, sender_jid="ann@alpha.test",
                       nick="Ann", body="Theses are on level 2."),
    ])

    async with sessions() as session:
        loaded = await session.get_one(Chat, chat.id, options=[selectinload(Chat.transcript)])

    assert [line.seq for line in loaded.transcript] == [0, 1, 2]
    assert [line.sender for line in loaded.transcript] == [
        Sender.SYSTEM, Sender.OPERATOR, Sender.PATRON]
    assert loaded.transcript[1].body == "Theses are on level 2."
    assert len(chat.id) == 16 and int(chat.id, 16) >= 0
    assert (loaded.state, loaded.followup, loaded.rating) == (ChatState.WAITING, False, None)
    assert loaded.created_at.tzinfo is UTC
    assert all(line.at.tzinfo is UTC for line in loaded.transcript)


async def test_deleting_a_chat_deletes_its_transcript_in_the_database(
    sessions: Sessions, world: World
) -> None:
    chat = _chat(world)
    chat.transcript = [TranscriptLine(seq=0, sender=Sender.PATRON, body="Hello?")]
    await _commit(sessions, chat)

    async with sessions() as session, session.begin():
        # A bulk delete bypasses the ORM: only ON DELETE CASCADE (and, on SQLite, the
        # foreign_keys pragma) can remove the lines.
        await session.execute(delete(Chat).where(Chat.id == chat.id))

    async with sessions() as session:
        assert await session.scalar(select(func.count()).select_from(TranscriptLine)) == 0


def _same_jid(world: World) -> Base:
    return User(jid="ann@alpha.test", name="Ann again", nick="Ann", institution_id=world.alpha)


def _same_jid_other_case(world: World) -> Base:
    return User(jid="ANN@Alpha.Test", name="Ann again", nick="Ann", institution_id=world.beta)


def _same_membership(world: World) -> Base:
    return Membership(coop_id=world.coop, institution_id=world.alpha, contributing=False)


def _same_coop_account(world: World) -> Base:
    return CoopAccount(coop_id=world.coop, user_id=world.ann, level=CoopLevel.REGULAR)


def _same_department_name(world: World) -> Base:
    return Department(institution_id=world.alpha, name="Reference",
                      room="reference2@conference.alpha.test")


@pytest.mark.parametrize("duplicate", [
    _same_jid, _same_jid_other_case, _same_membership, _same_coop_account, _same_department_name,
])
async def test_duplicates_are_refused(
    sessions: Sessions, world: World, duplicate: Callable[[World], Base]
) -> None:
    with pytest.raises(IntegrityError):
        await _commit(sessions, duplicate(world))


async def test_two_routing_steps_at_one_position_are_refused(
    sessions: Sessions, world: World
) -> None:
    widget = Widget(id="alpha-dup", institution_id=world.alpha, name="Duplicate steps")
    widget.routing = [
        WidgetTarget(position=0, kind=TargetKind.COOP, coop_id=world.coop),
        WidgetTarget(position=0, kind=TargetKind.DEPARTMENT, department_id=world.reference),
    ]
    with pytest.raises(IntegrityError):
        await _commit(sessions, widget)


@pytest.mark.parametrize("step", [
    {"kind": TargetKind.DEPARTMENT},
    {"kind": TargetKind.DEPARTMENT, "coop_id": "coop-247"},
    {"kind": TargetKind.OPERATOR},
    {"kind": TargetKind.COOP, "operator_jid": "ann@alpha.test"},
], ids=["department-without-id", "department-with-coop", "operator-without-jid",
        "coop-with-operator"])
async def test_routing_step_must_set_exactly_the_column_of_its_kind(
    sessions: Sessions, world: World, step: dict[str, object]
) -> None:
    target = WidgetTarget(widget_id=world.widget, position=0, **step)

    with pytest.raises(IntegrityError, match=r"matches_kind|CHECK constraint failed"):
        await _commit(sessions, target)


@pytest.mark.parametrize("rating", [0, 6])
async def test_rating_outside_one_to_five_is_refused(
    sessions: Sessions, world: World, rating: int
) -> None:
    with pytest.raises(IntegrityError, match=r"rating_range|CHECK constraint failed"):
        await _commit(sessions, _chat(world, rating=rating))


async def test_rating_one_to_five_is_stored(sessions: Sessions, world: World) -> None:
    chats = [_chat(world, rating=rating) for rating in (1, 5)]
    await _commit(sessions, *chats)

    async with sessions() as session:
        assert (await session.scalars(select(Chat.rating).order_by(Chat.rating))).all() == [1, 5]


async def test_instants_are_stored_in_utc_and_read_back_aware(
    sessions: Sessions, world: World
) -> None:
    new_york = timezone(timedelta(hours=-5))
    early = _chat(world, created_at=datetime(2026, 3, 2, 9, 30, 15, 123456, tzinfo=new_york))
    late = _chat(world, created_at=datetime(2026, 3, 2, 14, 45, tzinfo=UTC))
    await _commit(sessions, early, late)

    async with sessions() as session:
        loaded = await session.get_one(Chat, early.id)
        # 09:30-05:00 is 14:30 UTC: only a UTC-normalised column orders it before 14:45 UTC.
        after = (await session.scalars(
            select(Chat.id).where(Chat.created_at > datetime(2026, 3, 2, 14, 40, tzinfo=UTC))
        )).all()

    assert loaded.created_at == datetime(2026, 3, 2, 14, 30, 15, 123456, tzinfo=UTC)
    assert loaded.created_at.tzinfo is UTC
    assert after == [late.id]


async def test_naive_datetime_is_refused(sessions: Sessions, world: World) -> None:
    with pytest.raises(StatementError, match="naive") as raised:
        await _commit(sessions, _chat(world, created_at=datetime(2026, 3, 2, 9, 30)))

    assert isinstance(raised.value.orig, ValueError)


@pytest.mark.parametrize("make", [
    lambda world: User(jid="not a jid@@", name="X", nick="X", institution_id=world.alpha),
    lambda world: User(jid="", name="X", nick="X", institution_id=world.alpha),
    lambda world: Institution(domain="ann@alpha.test", name="X", kind=InstitutionKind.PUBLIC),
], ids=["invalid-jid", "empty-jid", "jid-as-domain"])
async def test_invalid_addresses_are_refused(
    sessions: Sessions, world: World, make: Callable[[World], Base]
) -> None:
    with pytest.raises(StatementError) as raised:
        await _commit(sessions, make(world))

    assert isinstance(raised.value.orig, ValueError)


async def test_unknown_enum_value_is_refused(sessions: Sessions, world: World) -> None:
    with pytest.raises(StatementError, match="lost"):
        await _commit(sessions, _chat(world, state="lost"))


async def test_foreign_keys_are_enforced(sessions: Sessions, world: World) -> None:
    with pytest.raises(IntegrityError):
        await _commit(sessions, Widget(id="orphan", institution_id=world.alpha + 1000, name="X"))
