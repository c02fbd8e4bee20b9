"""The domain's shapes: loaded frames, issues, the schedule and rules, the region reference."""
