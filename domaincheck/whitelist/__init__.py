"""From registry to console: the platform rules, the whitelist built from them, its static checks."""
