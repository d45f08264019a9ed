"""Every test that touches the database runs on SQLite and, when TRACKER_TEST_POSTGRES_URL is set,
on PostgreSQL too. Each test gets a database of its own, copied from a template that was migrated
(and seeded, for the demo) once per run."""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pytest

# Settings are read from the environment: make sure nothing a developer has set leaks in.
for name in [key for key in os.environ if key.startswith("TRACKER_") and not key.startswith("TRACKER_TEST_")]:
    del os.environ[name]

from advanced_alchemy.alembic.commands import AlembicCommands  # noqa: E402
from argon2 import PasswordHasher  # noqa: E402
from litestar import Litestar  # noqa: E402
from litestar.testing import TestClient  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from sqlalchemy.ext.asyncio import AsyncSession  # noqa: E402

from seed.loader import SeedReport, load_all, load_countries, load_organizations  # noqa: E402
from tracker import models as m  # noqa: E402
from tracker.app import create_app  # noqa: E402
from tracker.db import alchemy_config  # noqa: E402
from tracker.services.audit import SYSTEM  # noqa: E402
from tracker.services.users import UserService  # noqa: E402
from tracker.settings import Settings  # noqa: E402

pytest_plugins = ["tests.log_scan"]

# Named users, one per role, in every test database (anonymous is simply not signed in).
STAFF = {
    m.UserRole.ADMIN: "ada@cec.example",
    m.UserRole.REGISTRAR: "rita@cec.example",
    m.UserRole.PRESS_OFFICER: "pat@cec.example",
}
ADA, RITA, PAT = STAFF.values()
PASSWORD = "correct horse battery staple"
# The least work argon2 allows: a test signs in in a millisecond instead of a tenth of a second or more.
# Production's parameters are checked in tests/unit/test_passwords.py.
CHEAP_HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)

POSTGRES_URL = os.environ.get("TRACKER_TEST_POSTGRES_URL")
REQUIRE_ALL = os.environ.get("TRACKER_TEST_REQUIRE_ALL") == "1"
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
T = TypeVar("T")


def skip_or_fail(reason: str) -> None:
    """A missing system part skips on a developer's machine; in CI nothing may skip."""
    if REQUIRE_ALL:
        pytest.fail(f"required in CI: {reason}")
    pytest.skip(reason)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def in_thread(work: Callable[[], T]) -> T:
    """Run blocking set-up that starts its own event loop (asyncio.run, Alembic's env.py) away from
    whatever loop this thread has running (anyio's, or Playwright's sync API)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(work).result()


def _upgrade(url: str) -> None:
    def upgrade() -> None:
        config = alchemy_config(Settings(database_url=url))
        try:
            AlembicCommands(sqlalchemy_config=config).upgrade("head")
        finally:
            asyncio.run(config.get_engine().dispose())

    in_thread(upgrade)


def _fill(url: str, template: str) -> None:
    async def fill() -> None:
        config = alchemy_config(Settings(database_url=url))
        try:
            async with config.get_session() as session, session.begin():
                if template == "demo":
                    await load_all(session)
                else:
                    report = SeedReport()
                    await load_countries(session, report)
                    await load_organizations(session, report)
                users = UserService(session=session)
                for role, email in STAFF.items():
                    user = await users.create_user(email, PASSWORD, role, SYSTEM, name=email.split("@")[0].title())
                    # argon2 reads its cost from the hash: these users sign in cheaply in every test.
                    user.password_hash = CHEAP_HASHER.hash(PASSWORD)
        finally:
            await config.get_engine().dispose()

    in_thread(lambda: asyncio.run(fill()))


@dataclass
class Backend:
    """Makes databases for tests on one engine: `fresh("demo")` is a URL to a private copy."""

    name: str
    root: Path
    server_url: str | None = None

    def _url(self, database: str) -> str:
        if self.name == "sqlite":
            return f"sqlite+aiosqlite:///{self.root / database}.sqlite3"
        return make_url(self.server_url).set(database=database).render_as_string(hide_password=False)

    def _admin(self, *statements: str) -> None:
        import asyncpg

        async def run() -> None:
            url = make_url(self.server_url)
            connection = await asyncpg.connect(
                user=url.username, password=url.password, host=url.host, port=url.port, database=url.database
            )
            try:
                for statement in statements:
                    # A backend that served the template may take a moment to exit after its client left;
                    # until then CREATE DATABASE ... TEMPLATE says the template is "being accessed".
                    for attempt in range(20):
                        try:
                            await connection.execute(statement)
                            break
                        # DROP ... WITH (FORCE) may meet an autovacuum worker on the database, which a
                        # non-superuser cannot terminate; it finishes within moments.
                        except (asyncpg.exceptions.ObjectInUseError, asyncpg.exceptions.InsufficientPrivilegeError):
                            if attempt == 19:
                                raise
                            await asyncio.sleep(0.2)
            finally:
                await connection.close()

        in_thread(lambda: asyncio.run(run()))

    def empty(self) -> str:
        name = f"tracker_test_{uuid.uuid4().hex[:12]}"
        if self.name == "postgresql":
            self._admin(f'CREATE DATABASE "{name}"')
        return self._url(name)

    def build_templates(self) -> None:
        for template in ("reference", "demo"):
            name = f"tracker_template_{template}_{os.getpid()}"
            if self.name == "postgresql":
                self._admin(f'DROP DATABASE IF EXISTS "{name}"', f'CREATE DATABASE "{name}"')
            url = self._url(name)
            _upgrade(url)
            _fill(url, template)

    def fresh(self, template: str) -> str:
        source = f"tracker_template_{template}_{os.getpid()}"
        name = f"tracker_test_{uuid.uuid4().hex[:12]}"
        if self.name == "sqlite":
            shutil.copyfile(self.root / f"{source}.sqlite3", self.root / f"{name}.sqlite3")
        else:
            self._admin(f'CREATE DATABASE "{name}" TEMPLATE "{source}"')
        return self._url(name)

    def refill(self, name: str, template: str) -> str:
        """The database `name`, made again as a copy of `template`."""
        source = f"tracker_template_{template}_{os.getpid()}"
        if self.name == "sqlite":
            # Unlinked, not overwritten: a connection still open on the old file never sees a half-copied one.
            self.drop(self._url(name))
            shutil.copyfile(self.root / f"{source}.sqlite3", self.root / f"{name}.sqlite3")
        else:
            self._admin(
                f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}" TEMPLATE "{source}"'
            )
        return self._url(name)

    def drop(self, url: str) -> None:
        database = make_url(url).database
        if self.name == "sqlite":
            for suffix in ("", "-wal", "-shm"):
                Path(f"{database}{suffix}").unlink(missing_ok=True)
        else:
            self._admin(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')

    def drop_templates(self) -> None:
        if self.name == "postgresql":
            for name in ("template_reference", "template_demo", "demo"):
                self._admin(f'DROP DATABASE IF EXISTS "tracker_{name}_{os.getpid()}" WITH (FORCE)')


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Backend]:
    if request.param == "postgresql" and not POSTGRES_URL:
        skip_or_fail("PostgreSQL: set TRACKER_TEST_POSTGRES_URL (postgresql+asyncpg://…) to run these on it too")
    built = Backend(request.param, tmp_path_factory.mktemp(request.param), POSTGRES_URL)
    built.build_templates()
    yield built
    built.drop_templates()


def _database(backend: Backend, template: str) -> Iterator[str]:
    url = backend.fresh(template)
    yield url
    backend.drop(url)


@pytest.fixture
def reference_db(backend: Backend) -> Iterator[str]:
    """A database with the schema, the countries and the organizations."""
    yield from _database(backend, "reference")


@pytest.fixture
def demo_db(backend: Backend) -> str:
    """A database with the 2023 Majilis demo loaded: this test worker's demo database, made again from the
    template for each test, so that one app serves every test of a worker (see `demo_app`)."""
    return backend.refill(f"tracker_demo_{os.getpid()}", "demo")


@pytest.fixture
async def session(reference_db: str) -> AsyncIterator[AsyncSession]:
    config = alchemy_config(Settings(database_url=reference_db))
    async with config.get_session() as db_session:
        yield db_session
    await config.get_engine().dispose()


@pytest.fixture
async def demo_session(demo_db: str) -> AsyncIterator[AsyncSession]:
    config = alchemy_config(Settings(database_url=demo_db))
    async with config.get_session() as db_session:
        yield db_session
    await config.get_engine().dispose()


@pytest.fixture(scope="session")
def demo_apps() -> dict[str, Litestar]:
    return {}


@pytest.fixture
def demo_app(demo_db: str, demo_apps: dict[str, Litestar]) -> Litestar:
    """The app on the demo database, made once per worker and database engine: building one takes longer
    than most tests. Each test's client starts it again, and a start begins what the app keeps in memory
    (its cached answers, its rate counts) afresh, so nothing of one test reaches the next."""
    app = demo_apps.get(demo_db)
    if app is None:
        app = demo_apps[demo_db] = create_app(Settings(database_url=demo_db))
    return app


@pytest.fixture
def client(demo_app: Litestar) -> Iterator[TestClient[Litestar]]:
    with TestClient(app=demo_app) as test_client:
        yield test_client


def csrf_headers(client: TestClient[Litestar]) -> dict[str, str]:
    """The header a browser's page would send: the csrftoken cookie, echoed."""
    if "csrftoken" not in client.cookies:
        # The public site sets no cookie at all; the sign-in page, like every staff page, does.
        client.get("/staff/sign-in")
    return {"x-csrftoken": client.cookies["csrftoken"]}


def sign_in(client: TestClient[Litestar], email: str, password: str = PASSWORD) -> None:
    response = client.post("/api/session", json={"email": email, "password": password}, headers=csrf_headers(client))
    assert response.status_code == 200, response.text


@pytest.fixture
def as_ada(client: TestClient[Litestar]) -> TestClient[Litestar]:
    """Signed in as Ada, the admin."""
    sign_in(client, ADA)
    return client


@pytest.fixture
def as_rita(client: TestClient[Litestar]) -> TestClient[Litestar]:
    """Signed in as Rita, a registrar."""
    sign_in(client, RITA)
    return client


@pytest.fixture
def as_pat(client: TestClient[Litestar]) -> TestClient[Litestar]:
    """Signed in as Pat, a press officer."""
    sign_in(client, PAT)
    return client


def form_token(client: TestClient[Litestar], path: str) -> str:
    """The CSRF token a page's forms carry, as a browser would submit it."""
    page = client.get(path)
    assert page.status_code == 200, f"{path}: {page.status_code} {page.text[:200]}"
    found = re.search(r'name="_csrf_token" value="([^"]+)"', page.text)
    assert found, f"{path} has no form with a CSRF token"
    return found.group(1)


def submit(client: TestClient[Litestar], page: str, action: str | None = None, **fields: str):  # type: ignore[no-untyped-def]
    """Open `page`, then post its form (to `action`, by default the page itself) with `fields`."""
    token = form_token(client, page)
    return client.post(action or page, data={"_csrf_token": token, **fields}, follow_redirects=False)


def read(database_url: str, statement: Any) -> list[Any]:
    """Rows of a query, read straight from the database (not through the app)."""
    from sqlalchemy.ext.asyncio import create_async_engine

    async def run() -> list[Any]:
        engine = create_async_engine(database_url)
        try:
            async with engine.connect() as connection:
                return list(await connection.execute(statement))
        finally:
            await engine.dispose()

    return in_thread(lambda: asyncio.run(run()))


def write(database_url: str, statement: Any) -> None:
    """Change rows straight in the database (not through the app): a record as an older version left it."""
    from sqlalchemy.ext.asyncio import create_async_engine

    async def run() -> None:
        engine = create_async_engine(database_url)
        try:
            async with engine.begin() as connection:
                await connection.execute(statement)
        finally:
            await engine.dispose()

    in_thread(lambda: asyncio.run(run()))


def count_rows(database_url: str, model: type, *where: object) -> int:
    from sqlalchemy import func, select

    return int(read(database_url, select(func.count()).select_from(model).where(*where))[0][0])
