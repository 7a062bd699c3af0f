"""Leaf utilities shared by every layer: ids, clock, errors, text primitives."""
