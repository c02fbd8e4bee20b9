"""The weekly snapshot history: pkp's own state between runs (not user input, not output for people).

`store.py` reads and writes the Parquet snapshots (one file per ISO week), `lock.py` keeps two runs apart,
`inputs.py` fingerprints the input files, `job.py` runs one week: the state, the baseline, the comparison.
"""
