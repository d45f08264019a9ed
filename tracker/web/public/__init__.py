"""The public site and its open data: no sign-in, no personal data."""
