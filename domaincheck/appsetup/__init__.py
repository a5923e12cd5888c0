"""The app's own setup held against the whitelist: SDK init options, the console's list, HTTP-DNS."""
