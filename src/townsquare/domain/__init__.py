"""The rules of the square: every surface writes through these actions."""
