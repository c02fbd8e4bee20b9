"""The Typer layer: options in, library calls, rendered results out. Nothing here decides anything."""
