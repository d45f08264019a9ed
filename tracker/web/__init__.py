"""Controllers: the public site, the staff workspace and the JSON API."""
