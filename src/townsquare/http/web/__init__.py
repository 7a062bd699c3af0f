"""The web app: server-rendered pages on the same domain actions as the API."""
