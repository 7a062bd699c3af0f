"""Hashtags an account chooses: followed ones (on its home) and featured ones (on its
profile)."""
