"""Lists: named groups of followed accounts, each with a timeline of their posts."""
