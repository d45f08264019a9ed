"""Business rules, one module per aggregate."""
