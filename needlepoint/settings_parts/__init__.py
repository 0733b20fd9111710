"""Blocks of `needlepoint.settings`, each read from the environment (star-imported there)."""
