"""Every write of the live exchange, each in a transaction with its audit event."""
