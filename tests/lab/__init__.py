"""The loopback lab: DNS, TLS, HTTPS and WebSocket servers on 127.0.0.1 for the live-check tests.

Every server listens on a random port and runs on one event loop in a background thread, so the
tests (and bench/) can drive the checkers with `asyncio.run` in the foreground.
"""
