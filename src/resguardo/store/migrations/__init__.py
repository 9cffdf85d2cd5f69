"""Alembic migrations of the Resguardo schema (a package so installs ship them)."""
