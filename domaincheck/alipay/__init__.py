"""Alipay Open Platform: keep a mini program's server-domain whitelist in step with what it needs.

The submodules split the job: `protocol` (the gateway's wire format, pure), `plan` (what to add and
remove, pure), `credentials` (where the app id and keys come from), `settings` (a sync's credentials
and entry limit from options, environment and project file), `keys` and `gateway` (signing,
verifying and calling, the only ones that import `cryptography` and httpx), `sync` (read, plan,
apply), `render` and `formats` (the output), `errors` (what stops a run). Nothing is imported here,
so offline commands never pay for the network libraries.
"""
