"""Hash-chained, append-only audit log: pure chain functions (chain) and the database
side (log)."""
