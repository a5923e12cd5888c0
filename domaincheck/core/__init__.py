"""The vocabulary every layer shares: results and reports, errors and exit codes, platforms, host names."""
