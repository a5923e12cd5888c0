"""SDK vendors: one folder per vendor whose SDK the app embeds (today Easemob's IM SDK).

A vendor folder holds what domaincheck knows of that SDK: its option schema, how to find its
options in the app's source, how to validate them (grouped by concern), its HTTP-DNS servers and
answer format, and a pointer to the registry of its hosts. Adding a vendor is adding a folder.
"""
