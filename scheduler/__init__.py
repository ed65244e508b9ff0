"""The clock process (APScheduler 3.11), the delivery worker, and `make run`'s launcher, which
puts them in one process with the web app. Jobs are thin wrappers around pure functions of
`(session, now)` in `scheduler.jobs`, given the clock process's settings."""
