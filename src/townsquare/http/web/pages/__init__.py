"""One module per page concept; each has its own router."""
