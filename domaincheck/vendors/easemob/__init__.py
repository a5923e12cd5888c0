"""The Easemob IM SDK: its init options, where to find them, their checks, and its HTTP-DNS.

- `options`: the option schema (names the SDK reads, ignores, demo aliases, booleans, defaults);
- `model` and `locate`: the options object as the app's source writes it, found with the generic
  source readers (`domaincheck.source`);
- `validate/`: the checks of the options, one module per concern (options and types, appKey,
  url/apiUrl and regions, HTTP-DNS, connection behaviour);
- `httpdns`: the HTTP-DNS servers and the answer parser (the fetch is network code and lives in
  `domaincheck.appsetup.httpdns`);
- `registry`: where the SDK's hosts come from (the region registry) and their index.

The facts come from the SDK reference notes (the 4.17.0 constructor, typings, HTTP-DNS code, docs).
Only the commands that check an SDK config import this package, so the parser never slows the
other commands down.
"""
