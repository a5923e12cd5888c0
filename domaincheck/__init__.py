"""domaincheck: the server-domain whitelist of Easemob IM mini programs, checked before release."""

__version__ = "0.1.0"
