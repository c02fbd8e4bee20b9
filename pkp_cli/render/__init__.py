"""Renderers: terminal tables, JSON, CSV, markdown and xlsx. A renderer never decides anything."""
