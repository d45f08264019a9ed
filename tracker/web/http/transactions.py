"""One transaction per request, finished before the response starts.

advanced-alchemy's autocommit hook runs at the outermost edge of the app, after every middleware has
seen the response; the session middleware writes its row at that same moment, in a connection of
its own. On SQLite the two would wait for each other. Finishing the request's transaction here,
inside the session middleware, puts the commit first.

The request's session is found with advanced-alchemy's own scope helper, a private one: its public hook
(`async_autocommit_handler_maker`) does the same commit but catches a failed commit and lets the success
answer go out, acknowledging a write that was lost. Here a failed commit fails the request.
"""

from __future__ import annotations

from typing import cast

from advanced_alchemy.extensions.litestar import SQLAlchemyAsyncConfig
from advanced_alchemy.extensions.litestar._utils import get_aa_scope_state
from litestar.types import ASGIApp, Message, Receive, Scope, Send
from sqlalchemy.ext.asyncio import AsyncSession


def finish_transaction_first(alchemy: SQLAlchemyAsyncConfig) -> type:
    class FinishTransaction:
        def __init__(self, app: ASGIApp) -> None:
            self.app = app

        async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] != "http":
                await self.app(scope, receive, send)
                return

            async def send_after_commit(message: Message) -> None:
                if message["type"] == "http.response.start":
                    session = cast("AsyncSession | None", get_aa_scope_state(scope, alchemy.session_scope_key))
                    if session is not None:
                        if 200 <= message["status"] < 400:
                            await session.commit()
                        else:
                            await session.rollback()
                await send(message)

            await self.app(scope, receive, send_after_commit)

    return FinishTransaction
