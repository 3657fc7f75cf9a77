import { RuntimeNotFoundError } from "./errors";
import { parseRuntimeConfig, type RuntimeConfig, type RuntimeConfigInput } from "./schema";
import { NODE_MAJOR } from "./toolchains";

// The seeds' built-in runtimes, made to build without Docker Hub or PyPI:
// Python from Debian bookworm's packages (3.11), Node.js from npm. They build on
// the builder's default base image (a Debian bookworm image).

const HEADLESS_MATPLOTLIB = {
  MPLBACKEND: "Agg",
  // The sandbox's root filesystem is read-only; /tmp is its writable tmpfs.
  MPLCONFIGDIR: "/tmp/matplotlib",
};

// Bookworm's python3-scipy depends on python3-pythran, a build-time compiler
// that drags in g++, Boost and Python headers (~650 MB) and is never imported at
// run time. A placeholder package satisfies the dependency instead.
const PYTHRAN_PLACEHOLDER = [
  "set -e",
  "d=$(mktemp -d)",
  'mkdir "$d/DEBIAN"',
  `printf 'Package: python3-pythran\\nVersion: 99:0-tidepool\\nArchitecture: all\\nMaintainer: Tidepool <root@localhost>\\nDescription: placeholder: scipy does not need pythran at run time\\n' > "$d/DEBIAN/control"`,
  'dpkg-deb --build "$d" /tmp/pythran-placeholder.deb',
  "dpkg -i /tmp/pythran-placeholder.deb",
  'rm -rf "$d" /tmp/pythran-placeholder.deb',
].join("; ");

const definitions = {
  "python-minimal": {
    name: "python-minimal",
    description: "Python 3.11 (Debian bookworm), standard library only",
    packageManager: "apt",
    packages: ["python3"],
    displayPackages: [],
    envVars: { PYTHONUNBUFFERED: "1" },
    smokeCheck: 'python3 -c "import sys, json, sqlite3, csv; assert sys.version_info >= (3, 11)"',
  },
  "python-datascience": {
    name: "python-datascience",
    description: "Python 3.11 with pandas, numpy, matplotlib, scikit-learn, seaborn and openpyxl for Excel files",
    packageManager: "apt",
    setupCommands: [PYTHRAN_PLACEHOLDER],
    // No parquet reader: bookworm packages neither pyarrow nor fastparquet.
    packages: [
      "python3",
      "python3-pandas",
      "python3-numpy",
      "python3-matplotlib",
      "python3-sklearn",
      "python3-seaborn",
      "python3-openpyxl",
    ],
    displayPackages: ["pandas", "numpy", "matplotlib", "scikit-learn", "seaborn", "openpyxl"],
    envVars: { PYTHONUNBUFFERED: "1", ...HEADLESS_MATPLOTLIB },
    smokeCheck:
      "python3 -c \"import pandas, numpy, sklearn, seaborn, openpyxl, matplotlib.pyplot as plt; plt.plot([1, 2]); pandas.DataFrame({'a': [1]}).to_excel('/tmp/smoke.xlsx'); assert pandas.read_excel('/tmp/smoke.xlsx')['a'][0] == 1\"",
  },
  "python-web": {
    name: "python-web",
    description: "Python 3.11 with FastAPI, SQLAlchemy, httpx and uvicorn",
    packageManager: "apt",
    packages: ["python3", "python3-fastapi", "python3-sqlalchemy", "python3-httpx", "python3-uvicorn"],
    displayPackages: ["fastapi", "sqlalchemy", "httpx", "uvicorn"],
    envVars: { PYTHONUNBUFFERED: "1" },
    smokeCheck: 'python3 -c "import fastapi, sqlalchemy, httpx, uvicorn"',
  },
  "node-minimal": {
    name: "node-minimal",
    description: `Node.js ${NODE_MAJOR} (LTS) with npm`,
    packageManager: "npm",
    packages: [],
    displayPackages: [],
    smokeCheck: `node -e "process.exit(Number(process.versions.node.split('.')[0]) >= ${NODE_MAJOR} ? 0 : 1)" && npm --version`,
  },
  "node-react": {
    name: "node-react",
    description: `Node.js ${NODE_MAJOR} with TypeScript, Vite, React and React DOM`,
    packageManager: "npm",
    packages: ["typescript", "vite", "react", "react-dom"],
    displayPackages: ["typescript", "vite", "react", "react-dom"],
    // Global packages are not on Node's resolution path by default.
    envVars: { NODE_PATH: "/usr/local/lib/node_modules" },
    smokeCheck: "tsc --version && vite --version && node -e \"require('react'); require('react-dom')\"",
  },
} satisfies Record<string, RuntimeConfigInput>;

export type BuiltinRuntimeName = keyof typeof definitions;

export const BUILTIN_RUNTIMES: Record<BuiltinRuntimeName, RuntimeConfig> = Object.fromEntries(
  Object.entries(definitions).map(([name, input]) => [name, deepFreeze(parseRuntimeConfig(input))]),
) as Record<BuiltinRuntimeName, RuntimeConfig>;

export const BUILTIN_RUNTIME_NAMES = Object.keys(definitions) as BuiltinRuntimeName[];

export function isBuiltinRuntimeName(name: string): name is BuiltinRuntimeName {
  return Object.hasOwn(BUILTIN_RUNTIMES, name);
}

/** A built-in by name, or a config validated into a RuntimeConfig. */
export function resolveRuntime(nameOrConfig: string | RuntimeConfigInput): RuntimeConfig {
  if (typeof nameOrConfig !== "string") return parseRuntimeConfig(nameOrConfig);
  if (isBuiltinRuntimeName(nameOrConfig)) return BUILTIN_RUNTIMES[nameOrConfig];
  throw new RuntimeNotFoundError(nameOrConfig, BUILTIN_RUNTIME_NAMES);
}

/** Built-ins are shared by every caller: nobody may edit them in place. */
function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object") {
    for (const item of Object.values(value)) deepFreeze(item);
    Object.freeze(value);
  }
  return value;
}
