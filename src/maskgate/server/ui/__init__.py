"""The admin web UI (`/ui`): server-rendered pages over the REST API's logic (see server.py)."""
