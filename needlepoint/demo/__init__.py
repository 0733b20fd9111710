"""The demo clinic: realistic set-up, obviously fictional people. Idempotent."""
