"""The `storage.base.Transaction` protocol, one concern per module: intake bookkeeping
(`updates`), reports and routing (`reports`), officers' work (`casework`), residents'
data (`residents`), leases and the outbox (`delivery`). Import from `storage.base`."""
