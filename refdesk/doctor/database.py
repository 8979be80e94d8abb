"""The database answers, is at the newest schema, and names the deployment's partners."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from refdesk.db import create_engine
from refdesk.db.migrate import current, head
from refdesk.db.models import Coop, Institution
from refdesk.doctor.context import Deployment
from refdesk.doctor.result import Result

CHECK = "database"


def _reason(error: BaseException) -> str:
    """The first line of a driver's message, without SQLAlchemy's background link."""
    original = getattr(error, "orig", None) or error
    return (str(original).strip().splitlines() or [type(original).__name__])[0]


async def check_revision(deployment: Deployment) -> Result:
    url = deployment.settings.database.url
    upgrade = f"refdesk db upgrade --config {deployment.options.config}"
    try:
        revision = await current(url)
    except (SQLAlchemyError, OSError) as error:
        return Result.fail(CHECK, f"unreachable ({_reason(error)})",
                           "check [database] url, and that the database server runs")
    newest = head()
    if revision == newest:
        return Result.ok(CHECK, f"at revision {newest} (the newest)")
    return Result.fail(CHECK, f"at revision {revision or 'none (empty)'}, the newest is "
                       f"{newest}", f"run `{upgrade}`")


async def partner_domains(url: str) -> list[str]:
    """Every institution's domain and every co-op's host domain the database knows."""
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            institutions = await connection.scalars(select(Institution.domain))
            hosts = await connection.scalars(select(Coop.host_domain))
            return [*institutions, *hosts]
    finally:
        await engine.dispose()
