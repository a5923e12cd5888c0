"""domaincheck: the server-domain whitelist of Easemob IM mini programs, checked before release."""

__version__ = "0.1.0"

# Where domaincheck is published (its repository's web address), for reports that link to the tool
# and its check catalog (SARIF's informationUri and each rule's helpUri). None while the project
# has no public home; set it (and [project.urls] in pyproject.toml) when it gets one.
HOMEPAGE: str | None = None
