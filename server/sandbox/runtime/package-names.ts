// Package names end up as arguments of pip/npm/apt-get/cargo at build time.
// They are passed as argv (never through a shell), and are also held to each
// ecosystem's own naming rules so that an entry can only ever mean "this
// package from the configured index": no options, URLs, paths or VCS specs.

export const PACKAGE_MANAGERS = ["apt", "pip", "npm", "cargo"] as const;
export type PackageManager = (typeof PACKAGE_MANAGERS)[number];

const MAX_LENGTH = 214; // npm's limit, the longest of the four

// Characters a shell would interpret. `<`, `>`, `=`, `!`, `~`, `^` and `*` are
// left to the per-ecosystem rules: they are legal in version specifiers
// ("numpy>=1.26", "react@^19"), as are pip's "[extras]", and harmless as argv.
const SHELL_METACHARACTERS = /[;&|$`(){}'"\\?#%]/;

// Specs that make a package manager fetch from somewhere other than its index.
const URL_SCHEME =
  /^(?:https?|ftp|ssh|file|git|git\+[a-z]+|link|workspace|npm|github|gitlab|bitbucket|gist|portal|patch|path):/i;

const RULES: Record<PackageManager, { pattern: RegExp; expected: string }> = {
  // Debian policy: lowercase letters, digits, + - . ; optional :arch and =version.
  apt: {
    pattern: /^[a-z0-9][a-z0-9+.-]+(?::[a-z0-9-]+)?(?:=[0-9][A-Za-z0-9.+~:-]*)?$/,
    expected: 'a Debian package name such as "python3-pandas", optionally "=version"',
  },
  // PEP 508 name, optional [extras], optional comma-separated version specifiers.
  pip: {
    pattern:
      /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?(?:\[[A-Za-z0-9._-]+(?:,[A-Za-z0-9._-]+)*\])?(?:(?:===|==|!=|~=|>=|<=|>|<)[0-9][A-Za-z0-9.*+!_-]*(?:,(?:===|==|!=|~=|>=|<=|>|<)[0-9][A-Za-z0-9.*+!_-]*)*)?$/,
    expected: 'a PyPI project name such as "pandas", optionally "[extra]" and a version like ">=2.0"',
  },
  // npm name (optionally @scope/), optional @version-or-tag.
  npm: {
    pattern: /^(?:@[a-z0-9~][a-z0-9._~-]*\/)?[a-z0-9~][a-z0-9._~-]*(?:@[A-Za-z0-9.^~*+_-]+)?$/,
    expected: 'an npm package name such as "typescript" or "@types/react", optionally "@version"',
  },
  // crates.io name, optional @version.
  cargo: {
    pattern: /^[A-Za-z][A-Za-z0-9_-]{0,63}(?:@[0-9^~=*][A-Za-z0-9.^~=*+-]*)?$/,
    expected: 'a crate name such as "ripgrep", optionally "@version"',
  },
};

/** Returns why `name` is not acceptable for `manager`, or undefined when it is. */
export function packageNameProblem(manager: PackageManager, name: string): string | undefined {
  if (name.length === 0) return "is empty";
  if (name.length > MAX_LENGTH) return `is longer than ${MAX_LENGTH} characters`;
  if (/[\u0000-\u001f\u007f]/.test(name)) return "contains a control character (newline, CR, NUL, …)";
  if (/\s/.test(name)) return "contains whitespace; give one package per entry";
  if (name.startsWith("-")) return "starts with '-': options are not allowed, only package names";
  if (name.includes("://") || URL_SCHEME.test(name))
    return "looks like a URL or a file: spec; only registry packages are allowed";
  if (name.startsWith(".") || name.startsWith("/") || name.startsWith("~/") || name.includes("..")) {
    return "looks like a path; only registry packages are allowed";
  }
  const meta = SHELL_METACHARACTERS.exec(name);
  if (meta) return `contains the character '${meta[0]}', which is not allowed in a package name`;
  const rule = RULES[manager];
  if (!rule.pattern.test(name)) return `is not ${rule.expected}`;
  return undefined;
}
