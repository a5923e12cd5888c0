"""The app's own hosts: a static scan of a mini program's source for every host it contacts.

`project.scan_project(root)` walks the source (`walk`), detects the framework (`framework`),
reads each module (`module`), follows values across modules, `.env` files and build-time defines
(`resolve`) and returns a `model.SourceScan`; `findings` holds it against a whitelist. Nothing here
runs the app's code, prints or exits. Import the submodules directly: this face stays empty so the
parser loads only for commands that scan.
"""
