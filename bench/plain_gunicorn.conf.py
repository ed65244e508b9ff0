"""gunicorn settings for the benchmark's helper servers (the fake LINE API, the bare endpoint):
none."""
