import type { RuntimeConfig } from "./schema";

// The seeds' "## Runtime Environment" system-prompt section, so the agent uses
// what is installed instead of trying to install it.

// Debian names whose import/CLI name differs from the package name.
const DEBIAN_FRIENDLY_NAMES: Record<string, string> = {
  "python3-sklearn": "scikit-learn",
  "python3-bs4": "beautifulsoup4",
  "python3-yaml": "pyyaml",
  "python3-dateutil": "python-dateutil",
  "python3-pil": "pillow",
};

export function renderRuntimePrompt(config: RuntimeConfig): string {
  const packages =
    config.displayPackages ??
    config.packages.map((name) => friendlyPackageName(config.packageManager, name)).filter(Boolean);
  const lines = [
    "## Runtime Environment",
    "",
    `**Name:** ${config.name}`,
    `**Description:** ${config.description || "(none)"}`,
    `**Working directory:** ${config.workDir}`,
    `**Network access:** ${config.network ? "available" : "none (packages cannot be installed; use what is listed here)"}`,
    "",
  ];
  if (packages.length === 0) {
    lines.push("**Pre-installed packages:** none beyond the runtime itself");
  } else {
    lines.push(
      "**Pre-installed packages** (use directly without installation):",
      ...packages.map((name) => `- ${name}`),
    );
  }
  return lines.join("\n");
}

/** "python3-pandas" → "pandas", "numpy>=1.26" → "numpy", "@types/react@19" → "@types/react". */
export function friendlyPackageName(manager: RuntimeConfig["packageManager"], name: string): string {
  switch (manager) {
    case "apt": {
      const bare = name.split(/[=:]/)[0] ?? name;
      if (bare === "python3") return "";
      return DEBIAN_FRIENDLY_NAMES[bare] ?? bare.replace(/^python3-/, "");
    }
    case "pip":
      return name.split(/[[<>=!~]/)[0] ?? name;
    case "npm":
    case "cargo":
      return name.replace(/(.)@.*$/, "$1");
  }
}
