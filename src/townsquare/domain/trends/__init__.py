"""Trends: hashtags, posts and links that more people than usual are using right now."""
