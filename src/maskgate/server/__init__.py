"""The HTTP proxy: Starlette app (`app.create_app`) and the `maskgate serve` command."""
