"""The Easemob SDK's init options as the app's source sets them, and their checks.

`extract` reads the options object out of a JavaScript/TypeScript source (with a real parser),
a JSON or a YAML file; `validate` checks it against the reference facts. Only the commands that
check an SDK config import this package, so the parser never slows the other commands down.
"""
