"""Views: plain DataFrames shaped for what a screen or report shows (no printing, no colour, no labels)."""
