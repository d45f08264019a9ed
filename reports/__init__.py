"""Documents people carry away: pure builders, plain data in, bytes out. No database, no HTTP."""
