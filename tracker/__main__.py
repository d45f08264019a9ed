"""The `tracker` command: the Litestar CLI with this app preset, plus the project's own commands."""

from __future__ import annotations

import os
import sys

import click


def main() -> None:
    os.environ.setdefault("LITESTAR_APP", "tracker.app:create_app")
    from litestar.cli.main import litestar_group

    try:
        code = litestar_group.main(prog_name="tracker", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("tracker: aborted", err=True)
        sys.exit(1)
    except click.ClickException as error:
        # One line, whatever went wrong with the input: scripts read it, people read it.
        click.echo(f"tracker: {error.format_message()}", err=True)
        sys.exit(2)
    sys.exit(code if isinstance(code, int) else 0)


if __name__ == "__main__":
    main()
