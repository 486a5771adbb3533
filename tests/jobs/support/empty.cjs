// Intentionally empty: stands in for the server-only package outside Next (see server-only-off.cjs).
