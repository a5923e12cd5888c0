"""One run: options weighed against the project file, the checklist gathered, live checks run, the gate."""
