"""The clock process (APScheduler 3.11) and the delivery worker. Jobs are thin wrappers
around pure functions of `(session, now)` in `scheduler.jobs`."""
