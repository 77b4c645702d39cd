"""Background work: enqueue on commit, run once per task id, retry transient errors."""
