"""Moderation as policy: designated entities, the matcher, policies, stance, decisions."""
