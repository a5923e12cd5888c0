"""The live checks: DNS, TLS, HTTPS and WebSocket probes of the whitelist hosts.

One module per checker; each returns `CheckResult`s and turns exceptions into results in one place.
`domaincheck.run.runner` runs them concurrently. Nothing here is imported by the offline commands.
"""
