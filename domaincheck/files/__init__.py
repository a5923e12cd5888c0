"""The user's files: atomic writes, size-capped reads, YAML with line numbers, the project file."""
