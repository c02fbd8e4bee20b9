"""From files to validated frames: discover, read, header and contract, parse, checks, load, cache."""
