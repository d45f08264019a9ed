"""Observer accreditation tracker: one figure, from one place, as of any moment."""
