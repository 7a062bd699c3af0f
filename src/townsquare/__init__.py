"""townsquare: a self-hostable micro-blogging server."""

__version__ = "0.1.0"
