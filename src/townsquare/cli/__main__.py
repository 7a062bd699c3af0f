"""``python -m townsquare.cli``: the same as the ``townsquare`` command."""

from townsquare.cli.main import app

app()
