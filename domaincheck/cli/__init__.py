"""The command line: options in, a report out, an exit code (see `domaincheck.cli.app`)."""

from domaincheck.cli.app import _app_for as _app_for
from domaincheck.cli.app import app as app
from domaincheck.cli.app import main as main
