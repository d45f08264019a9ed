"""The `tracker` command: the Litestar CLI with this app preset, plus the project's own commands."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

import click

APP = "tracker.app:create_app"


def run(args: Sequence[str] | None = None) -> int:
    """Run one command line; its exit code. Bad input is one line on stderr and code 2."""
    os.environ.setdefault("LITESTAR_APP", APP)
    from litestar.cli.main import litestar_group

    try:
        code = litestar_group.main(
            args=list(args) if args is not None else None, prog_name="tracker", standalone_mode=False
        )
    except click.exceptions.Abort:
        click.echo("tracker: aborted", err=True)
        return 1
    except click.ClickException as error:
        # One line, whatever went wrong with the input: scripts read it, people read it.
        click.echo(f"tracker: {error.format_message()}", err=True)
        return 2
    return code if isinstance(code, int) else 0


def main() -> None:
    sys.exit(run())


if __name__ == "__main__":
    main()
