"""The race harness (`manage.py race`, `make race`): concurrent money mutations over HTTP against the
production server, with a worker killed and PostgreSQL restarted mid-run, then an audit of the totals
and the idempotency keys. The clients run in a process of their own (`clients.py`, standard library
only); the data, the faults and the audit run in the management command's process."""
