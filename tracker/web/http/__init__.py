"""The HTTP plumbing every route passes through: caching, the data version, rate limits, language,
security headers, errors, files."""
