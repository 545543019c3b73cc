"""Which options of common programs take a value in the next word.

Knowing that ``-o`` of apt-get or ``--virtual`` of apk takes a value keeps
``Dpkg::Options::=…`` or ``.build-deps`` out of a command's positional
arguments (its package list). Options written with ``=`` or glued to a short
option (``-ofile``) need no entry. The table covers the programs that rules
look at; anything else falls back to "no option takes a value".
"""

from __future__ import annotations

import re


def _names(spec: str) -> frozenset[str]:
    return frozenset(spec.split())


_APT = _names("-o --option -c --config-file -t --target-release --default-release")
_RPM = _names(
    "-c --config -d --debuglevel -e --errorlevel -R --randomwait -x --exclude --installroot"
    " --releasever --enablerepo --disablerepo --repo --repoid --setopt --forcearch"
    " --disableplugin --enableplugin --rpmverbosity --downloaddir --destdir --comment"
)
_PIP = _names(
    "-r --requirement -c --constraint -e --editable -t --target --prefix --root -i --index-url"
    " --extra-index-url -f --find-links --trusted-host --platform --python-version"
    " --implementation --abi --src --upgrade-strategy --progress-bar --log --proxy --timeout"
    " --retries --cache-dir -C --config-settings --report --no-binary --only-binary --python"
    " --exists-action --cert --client-cert --group"
)
_NPM = _names(
    "--prefix -C --dir -w --workspace --registry --cache --loglevel --omit --include --tag"
    " --filter -F --store-dir"
)
_USER = _names(
    "-u --uid -g --gid -G --groups -d --home --home-dir -s --shell -c --comment -k --skel -K"
    " -e --expiredate -f --inactive -p --password -R --root --ingroup --gecos"
)
_COPY = _names("-t --target-directory -S --suffix")

_TABLE: dict[str, frozenset[str]] = {
    "apt-get": _APT,
    "apt": _APT,
    "aptitude": _APT,
    "apk": _names(
        "-X --repository -p --root --arch --cache-dir --keys-dir --repositories-file -t --virtual"
    ),
    "yum": _RPM,
    "dnf": _RPM,
    "microdnf": _RPM,
    "tdnf": _RPM,
    "zypper": _names("-c --config -R --root -r --repo --from -t --type"),
    "pip": _PIP,
    "uv": _PIP
    | _names(
        "-p --index --default-index --directory --project --extra --group --only-group"
        " --no-group -w --with --python-platform --link-mode"
    ),
    "npm": _NPM,
    "pnpm": _NPM,
    "yarn": _names(
        "--cwd --modules-folder --cache-folder --network-timeout --mutex --registry"
        " --network-concurrency"
    ),
    "poetry": _names("-C --directory -P --project --only --with --without -E --extras"),
    "gem": _names("-v --version -i --install-dir -n --bindir -s --source --platform"),
    "bundle": _names("--path --without --with --jobs -j --retry --gemfile"),
    "composer": _names("-d --working-dir"),
    "go": _names(
        "-o -C -p -ldflags -gcflags -asmflags -tags -mod -modfile -buildmode -overlay -pkgdir"
    ),
    "cargo": _names(
        "--target -p --package --bin --features -F -j --jobs --manifest-path --target-dir"
        " --profile --root --git --branch --tag --rev --path --version"
    ),
    "dotnet": _names(
        "-c --configuration -o --output -r --runtime -f --framework -s --source -p --project"
        " -v --verbosity -a --arch --os"
    ),
    "mvn": _names("-f --file -s --settings -P --activate-profiles -pl --projects -T --threads"),
    "gradle": _names("-p --project-dir -x --exclude-task -g --gradle-user-home -b -c"),
    "curl": _names(
        "-o --output -H --header -d --data --data-raw --data-binary --data-urlencode -u --user"
        " -X --request -A --user-agent -e --referer -x --proxy --retry --retry-delay"
        " --retry-max-time -m --max-time --connect-timeout -T --upload-file -F --form -w"
        " --write-out -b --cookie -c --cookie-jar --cacert --cert -E --key --resolve -r --range"
        " -C --continue-at -K --config --output-dir --proto --proto-redir -z --time-cond"
        " --limit-rate -Y --speed-limit -y --speed-time --url"
    ),
    "wget": _names(
        "-O --output-document -P --directory-prefix -o --output-file -a --append-output -t"
        " --tries -T --timeout -U --user-agent --header -e --execute -i --input-file --user"
        " --password --ca-certificate --certificate --private-key -w --wait -Q --quota -l"
        " --level -A --accept -R --reject -D --domains -B --base"
    ),
    "tar": _names(
        "-f --file -C --directory -T --files-from -X --exclude-from --exclude -b"
        " --blocking-factor --owner --group --mode --transform --strip-components"
    ),
    "git": _names(
        "-C -c --git-dir --work-tree --depth -b --branch --origin -o --config --reference"
        " --template -j --jobs --filter --shallow-since"
    ),
    "useradd": _USER,
    "adduser": _USER,
    "groupadd": _names("-g --gid -K --key -p --password -R --root"),
    "addgroup": _names("-g --gid"),
    "cp": _COPY,
    "mv": _COPY,
    "ln": _COPY,
    "install": _COPY | _names("-m --mode -o --owner -g --group"),
    "mkdir": _names("-m --mode"),
    "python": _names("-m -c -W -X"),
    "node": _names("-e --eval -r --require --input-type"),
    "make": _names("-C --directory -f --file -o -W -I"),
}

# "pip3", "pip3.12", "python3.11", "dnf5", "bundler" name the same program.
_VERSIONED = re.compile(r"^(.*?[a-z])(?:-?\d+(?:\.\d+)*)$")
_ALIASES = {"bundler": "bundle"}


def value_options(program: str) -> frozenset[str]:
    """The options of ``program`` (a base name) whose value may be the next word."""
    found = _TABLE.get(program)
    if found is not None:
        return found
    match = _VERSIONED.match(program)
    base = match.group(1) if match else program
    return _TABLE.get(_ALIASES.get(base, base), frozenset())
