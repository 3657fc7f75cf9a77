import { describe, expect, it } from "vitest";
import { BUILTIN_RUNTIMES } from "./builtins";
import { friendlyPackageName, renderRuntimePrompt } from "./prompt";
import { parseRuntimeConfig } from "./schema";

describe("renderRuntimePrompt", () => {
  it("renders the seeds' section with friendly package names", () => {
    const text = renderRuntimePrompt(BUILTIN_RUNTIMES["python-datascience"]);
    expect(text).toBe(
      [
        "## Runtime Environment",
        "",
        "**Name:** python-datascience",
        "**Description:** Python 3.11 with pandas, numpy, matplotlib, scikit-learn, seaborn and openpyxl for Excel files",
        "**Working directory:** /workspace",
        "**Network access:** none (packages cannot be installed; use what is listed here)",
        "",
        "**Pre-installed packages** (use directly without installation):",
        "- pandas",
        "- numpy",
        "- matplotlib",
        "- scikit-learn",
        "- seaborn",
        "- openpyxl",
      ].join("\n"),
    );
    expect(text).not.toContain("python3-");
  });

  it("derives friendly names when a config has no displayPackages", () => {
    const config = parseRuntimeConfig({
      name: "custom",
      description: "Custom",
      workDir: "/data",
      network: true,
      packages: ["python3", "python3-sklearn", "python3-polars=0.1", "jq"],
    });
    const text = renderRuntimePrompt(config);
    expect(text).toContain("**Working directory:** /data");
    expect(text).toContain("**Network access:** available");
    expect(text.split("\n").filter((line) => line.startsWith("- "))).toEqual(["- scikit-learn", "- polars", "- jq"]);
  });

  it("says so when nothing is pre-installed", () => {
    expect(renderRuntimePrompt(BUILTIN_RUNTIMES["python-minimal"])).toContain(
      "**Pre-installed packages:** none beyond the runtime itself",
    );
  });

  it.each([
    ["pip", "pandas[excel]>=2.0", "pandas"],
    ["npm", "@types/react@19", "@types/react"],
    ["npm", "react@^19", "react"],
    ["cargo", "ripgrep@14.1.0", "ripgrep"],
    ["apt", "libc6:amd64", "libc6"],
  ] as const)("%s %s → %s", (manager, name, friendly) => {
    expect(friendlyPackageName(manager, name)).toBe(friendly);
  });
});
