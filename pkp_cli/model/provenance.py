"""How pkp marks the files it writes, so that a later run never reads its own output back as data."""

from __future__ import annotations

# Stored as the custom document property "generator" of every xlsx pkp writes.
PKP_MARKER = "pkp-cli-output"
