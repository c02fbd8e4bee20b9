"""How pkp marks the files it writes, so that a later run never reads its own output back as data."""

from __future__ import annotations

# Stored as the custom document property "generator" of every xlsx pkp writes.
PKP_MARKER = "pkp-cli-output"
# Beside the files pkp writes into a folder: which they are and how pkp left them (render/safe.py), so that pkp
# replaces its own files on the next run and never a file it did not write.
WRITTEN_NAME = ".pkp-written.json"
