"""Co-ops from the command line: at their host, and joining them from a library."""
