"""The commented `domaincheck.yaml` that `domaincheck init` writes, and writing it.

Kept apart from the project file's reader (`files.project`): the template is prose for people, the
reader is a schema; they change for different reasons. A test reads the template back with the
reader, so the two cannot drift apart.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Sequence
from pathlib import Path

from domaincheck.core.errors import UsageError
from domaincheck.core.platforms import Platform


def render_project_template(
    platform: Platform,
    regions: Sequence[str],
    compact_because: str | None = None,
    scanned: Sequence[tuple[str, str]] = (),
    compact: bool | None = None,
) -> str:
    """The commented `domaincheck.yaml` that `domaincheck init` writes.

    `compact_because` says why the whitelist must be compacted (its hosts are over the console's
    limit); then the file turns `compact` on, so `check` passes on it, and says why. `compact`
    (`init --compact/--no-compact`) decides instead when given. `scanned` are
    the hosts the scan of the app's source found, as extra domains each with where it was found;
    then the file also names the source folder, so every command scans it again.
    """
    region_lines = "\n".join(f"  - {json.dumps(r, ensure_ascii=False)}" for r in regions)
    if compact is False or (compact is None and compact_because is None):
        compact_text = _COMPACT_OFF
    elif compact_because is None:
        compact_text = f"# {_COMPACT_WHAT_ON}\n" + _COMPACT_ON
    else:
        wrapped = textwrap.wrap(f"{compact_because}, so {_COMPACT_WHAT}", width=97)
        compact_text = "".join(f"# {line}\n" for line in wrapped) + _COMPACT_ON
    text = _TEMPLATE.format(platform=platform.value, regions=region_lines, compact=compact_text)
    if scanned:
        found = "".join(
            f"  - {json.dumps(entry, ensure_ascii=False)}  # {where}\n" for entry, where in scanned
        )
        text = text.replace(
            "extra_domains: []\n",
            "# Found in the app's source by `domaincheck scan`; the comment says where.\n"
            f"extra_domains:\n{found}\n"
            "# The app's source: scanned by whitelist, check, diff and sync, so a host the code\n"
            "# contacts is never missing from the list (and never pruned from the console).\n"
            "source: .\n",
        )
    return text


def write_project_file(path: Path, text: str, force: bool) -> None:
    """Writes `text` to `path` atomically; an existing file is kept unless `force` is set.

    Written as reports are (`files.output`): a symbolic link's target is replaced and the link
    kept, a FIFO or device is written through, never replaced by a regular file.
    """
    from domaincheck.files.output import check_destination, write_destinations

    if path.exists() and not force:
        raise UsageError(f"{path}: already exists; use --force to overwrite it")
    write_destinations([(check_destination(path, "init"), text)])


_COMPACT_WHAT = (
    "the whitelist lists registrable domains (一级域名), the fewest entries that cover the same "
    "hosts (Alipay matches the whitelist by registrable domain; each entry also admits every "
    "other subdomain of it)."
)
_COMPACT_WHAT_ON = "Alipay: the whitelist lists registrable domains (一级域名) (init --compact)."
_COMPACT_ON = "# `--no-compact` lists every host for one run.\ncompact: true\n"
_COMPACT_OFF = """\
# Alipay only: true lists registrable domains (一级域名), the fewest entries that cover the same
# hosts, as --compact does; for when the hosts are over the console's entry limit.
compact: false
"""

_TEMPLATE = """\
# domaincheck project file. `domaincheck check`, `diff` and `whitelist` read it from the current
# folder (or from --project FILE); command-line options override every value here.
version: 1

# Mini-program platform: alipay, wechat, douyin, baidu or qq.
platform: {platform}

# The app's Easemob data centre(s): console > 即时通讯 > 服务概览.
# Ids: cn1 cn2 sgp1 sgp2 use1 de2 (Chinese and English names work too; `domaincheck regions`).
regions:
{regions}

# The app's appKey, "orgname#appname" (console > 应用详情). Compared with the SDK config's appKey.
# app_key: "your-org#your-app"

# The file that creates the SDK connection (`new WebIM.connection({{...}})`), or a module exporting
# the options (like the demos' WebIMConfig.js), or a JSON or YAML file. Relative to this file.
# sdk_config: utils/WebIM.js

# The SDK version the app ships, e.g. "4.17.0". It decides the isHttpDNS and https defaults;
# when it is not given domaincheck assumes 4.12 or later.
# sdk_version: "4.17.0"

# The app's own servers (API, file storage), as https:// or wss:// URLs or bare hosts.
extra_domains: []

{compact}
# What the console holds now, to compare with what is needed (`domaincheck diff`): a file with
# the text copied from the console, and/or the entries inline (WeChat-style platforms: per list,
# with keys request, socket, uploadFile, downloadFile).
# console:
#   file: console-whitelist.txt
#   entries:
#     - a1.easemob.com

# Limits used by the checks; leave out a key for the tool's default.
# thresholds:
#   timeout: 10                 # seconds per network step
#   cert_expiry_warn_days: 30   # warn when a certificate expires sooner
#   max_entries: 50             # console entry limit (Alipay ISV apps: 50)
#   heartbeat_min_ms: 5000      # sane range for heartBeatWait
#   heartbeat_max_ms: 300000

# Findings the project accepts: the check id (globs like sdk.option.* work) and why.
ignore: []
#  - check: sdk.httpdns.enabled
#    reason: rs.easemob.com and rs.chat.agora.io are in the whitelist

# Alipay Open API credentials, for `domaincheck sync` (optional; paths relative to this file).
# alipay:
#   app_id: "2021000000000000"          # or DOMAINCHECK_ALIPAY_APP_ID
#   private_key_file: keys/app_private_key.pem
#   alipay_public_key_file: keys/alipay_public_key.pem
#   app_auth_token: ""          # only for ISV apps acting for a merchant
#   gateway: https://openapi.alipay.com/gateway.do
"""
