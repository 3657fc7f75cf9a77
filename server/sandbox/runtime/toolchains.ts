import type { PackageManager } from "./package-names";

// Fixed shell scripts for each package manager. They never contain user data:
// package names arrive as "$@" (argv), so no name is ever parsed by a shell.
// Each script keeps its layer small (no recommends, no caches, no apt lists).

/** Node.js comes from npm (the `node` package ships the official binary); Debian's nodejs is only the bootstrap. */
export const NODE_MAJOR = 24;
export const NPM_MAJOR = 11;

const APT_CLEAN = "apt-get clean; rm -rf /var/lib/apt/lists/*";
const NEED_APT = (tool: string) =>
  `command -v apt-get >/dev/null || { echo "The base image has no ${tool} and no apt-get to install it; use a Debian-based base image" >&2; exit 1; }`;

export type Toolchain = {
  /** Installs the manager's tool when the base image lacks it; absent for apt. */
  ensure?: { title: string; script: string };
  /** Installs the packages given as "$@". */
  install: string;
};

export const TOOLCHAINS: Record<PackageManager, Toolchain> = {
  apt: {
    install: `set -e; export DEBIAN_FRONTEND=noninteractive; apt-get update; apt-get install -y --no-install-recommends -- "$@"; ${APT_CLEAN}`,
  },
  pip: {
    ensure: {
      title: "Install Python and pip if missing",
      script: [
        "set -e",
        "if python3 -m pip --version >/dev/null 2>&1; then exit 0; fi",
        NEED_APT("pip"),
        "export DEBIAN_FRONTEND=noninteractive",
        "apt-get update",
        "apt-get install -y --no-install-recommends ca-certificates python3 python3-pip python3-venv",
        APT_CLEAN,
      ].join("; "),
    },
    // Debian marks its Python as externally managed (PEP 668); inside an image
    // that is ours to shape, installing into it is the point.
    install:
      'set -e; export PIP_BREAK_SYSTEM_PACKAGES=1 PIP_ROOT_USER_ACTION=ignore PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1; python3 -m pip install -- "$@"',
  },
  npm: {
    ensure: {
      title: `Install Node.js ${NODE_MAJOR} and npm ${NPM_MAJOR} if missing`,
      script: [
        "set -e",
        "if command -v npm >/dev/null 2>&1; then exit 0; fi",
        NEED_APT("npm"),
        "export DEBIAN_FRONTEND=noninteractive",
        "apt-get update",
        // Debian's Node 18 + npm 9 only fetch the current LTS from npm, then go.
        "apt-get install -y --no-install-recommends ca-certificates nodejs npm",
        `npm install -g --no-fund --no-audit --loglevel=warn node@${NODE_MAJOR}`,
        "hash -r",
        `npm install -g --no-fund --no-audit --loglevel=warn npm@${NPM_MAJOR}`,
        "apt-get purge -y --auto-remove nodejs npm",
        APT_CLEAN,
        "rm -rf /root/.npm",
        "hash -r",
        'echo "node $(node --version), npm $(npm --version)"',
      ].join("; "),
    },
    install: 'set -e; npm install -g --no-fund --no-audit --loglevel=warn -- "$@"; rm -rf /root/.npm',
  },
  cargo: {
    ensure: {
      title: "Install Rust and cargo if missing",
      script: [
        "set -e",
        "if command -v cargo >/dev/null 2>&1; then exit 0; fi",
        NEED_APT("cargo"),
        "export DEBIAN_FRONTEND=noninteractive",
        "apt-get update",
        "apt-get install -y --no-install-recommends ca-certificates cargo",
        APT_CLEAN,
      ].join("; "),
    },
    // --root puts binaries in /usr/local/bin, on every user's PATH (not root's ~/.cargo).
    install:
      'set -e; export CARGO_HOME=/tmp/cargo-home; cargo install --root /usr/local -- "$@"; rm -rf /tmp/cargo-home',
  },
};

/** Creates the sandbox user and group (unless the ids exist) and its home and work dir. Args: uid gid name workDir. */
export const CREATE_USER_SCRIPT = [
  "set -e",
  "uid=$1; gid=$2; name=$3; work=$4; home=/home/$name",
  'getent group "$gid" >/dev/null || groupadd --gid "$gid" "$name"',
  "shell=/bin/sh; [ -x /bin/bash ] && shell=/bin/bash",
  'getent passwd "$uid" >/dev/null || useradd --uid "$uid" --gid "$gid" --home-dir "$home" --shell "$shell" "$name"',
  'mkdir -p "$home" "$work"',
  'chown "$uid:$gid" "$home" "$work"',
].join("; ");

/** When the build trusts extra CA certificates, refreshes the system store if the base has one. */
export const REFRESH_CA_SCRIPT =
  "if command -v update-ca-certificates >/dev/null 2>&1; then update-ca-certificates; fi";
