"""A bare two-command Typer app: the yardstick for `pkp --help` start-up time (see bench/bench.py)."""

from __future__ import annotations

import typer

app = typer.Typer(add_completion=False, pretty_exceptions_enable=False, rich_markup_mode=None)


@app.command()
def hello(name: str = typer.Option("dunia", help="Who to greet.")) -> None:
    """Say hello."""
    print(f"halo {name}")


@app.command()
def goodbye(name: str = typer.Option("dunia", help="Who to see off.")) -> None:
    """Say goodbye."""
    print(f"sampai jumpa {name}")


if __name__ == "__main__":
    app()
