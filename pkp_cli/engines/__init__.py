"""Engines: plain DataFrames in, plain DataFrames (codes and numbers, never sentences) out."""
