"""The staff JSON API under /api: signed-in, by role."""
