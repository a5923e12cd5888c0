"""The region registry: Easemob data centres, their hosts per role and platform family, and where each host comes from."""
