"""Versioned clinic data (screening policy, protocol table, page copy).

The files here are YAML so a clinic can edit them by hand. They are parsed with line
tracking so that a malformed file is refused at start-up with the file, the line and the
problem, instead of a stack trace or, worse, a silently wrong rule.
"""
