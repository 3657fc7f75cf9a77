import fs from "node:fs";
import Docker from "dockerode";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureBaseImage } from "~/server/sandbox/base-image";
import { LABELS } from "~/server/sandbox/labels";
import { BUILTIN_RUNTIMES, ImageBuilder, type BuildEvent, type BuiltinRuntimeName } from "~/server/sandbox/runtime";
import { newTestRunId, removeTestResources, runInImage } from "./helpers/docker-cleanup";

// The built-in runtimes build here (Debian packages + npm) and do what they
// promise. Their images are product images: built once, then left in place so
// later runs (and `npm start`) hit the cache. Only the containers the checks
// run are labelled as test resources and removed.

const docker = new Docker({ socketPath: "/var/run/docker.sock" });
const runId = newTestRunId("runtime-builtins");
const BUILD_TIMEOUT_MS = 15 * 60_000;
let builder: ImageBuilder;

beforeAll(() => {
  builder = new ImageBuilder({
    docker,
    baseImage: () => ensureBaseImage(docker),
    buildTimeoutMs: BUILD_TIMEOUT_MS,
    caCertificates: buildCaCertificates(),
  });
});

afterAll(async () => {
  await removeTestResources(docker, runId);
});

/** npm goes through a TLS-inspecting proxy on some machines; Node's own setting names its CA bundle. */
function buildCaCertificates(): string | undefined {
  const file = process.env.NODE_EXTRA_CA_CERTS;
  return file && fs.existsSync(file) ? fs.readFileSync(file, "utf8") : undefined;
}

const tags = new Map<BuiltinRuntimeName, string>();

/** Builds (or finds) the runtime's image, checks the result, and runs its smoke check again on the image. */
async function ensureBuiltin(name: BuiltinRuntimeName): Promise<string> {
  const config = BUILTIN_RUNTIMES[name];
  const events: BuildEvent[] = [];
  const result = await builder.ensureImage(config, { onEvent: (event) => events.push(event) });
  console.info(
    `${name}: ${result.cached ? "cached" : "built"} in ${(result.durationMs / 1000).toFixed(1)} s → ${result.tag}`,
  );
  expect(result.tag).toMatch(new RegExp(`^tidepool/runtime:${name}-[0-9a-f]{12}$`));
  expect(events.at(-1)).toMatchObject({ type: "done", tag: result.tag, cached: result.cached });
  if (!result.cached) {
    // A fresh build reported its steps up to the smoke check, which passed.
    const steps = events.filter((event) => event.type === "step");
    expect(steps.at(-1)).toMatchObject({ title: `Smoke check: ${config.smokeCheck}` });
    expect(steps.at(-1)?.index).toBe(steps.at(-1)?.total);
  }
  const info = await docker.getImage(result.tag).inspect();
  expect(info.Config.User).toBe("1000:1000");
  expect(info.Config.Labels).toMatchObject({ [LABELS.managed]: "true", [LABELS.runtime]: name });
  expect(info.Config.Labels?.[LABELS.test]).toBeUndefined();
  console.info(`${name}: image size ${(info.Size / 1e6).toFixed(0)} MB`);
  await builder.verify(config);
  tags.set(name, result.tag);
  return result.tag;
}

function run(name: BuiltinRuntimeName, script: string): Promise<string> {
  const tag = tags.get(name);
  if (!tag) throw new Error(`${name} was not built`);
  return runInImage(docker, tag, ["sh", "-c", script], runId);
}

describe("python-minimal", () => {
  it("builds and passes its smoke check", () => ensureBuiltin("python-minimal"), BUILD_TIMEOUT_MS);

  it("runs Python 3.11 as the sandbox user, with apt caches cleaned", async () => {
    expect(
      await run("python-minimal", 'python3 -c "import sys, os; print(sys.version_info[:2], os.getuid(), os.getcwd())"'),
    ).toBe("(3, 11) 1000 /workspace");
    expect(
      await run(
        "python-minimal",
        "ls /var/lib/apt/lists | grep -v partial | wc -l; ls /var/cache/apt/archives | grep -c deb$ || true",
      ),
    ).toBe("0\n0");
  });
});

describe("python-datascience", () => {
  it("builds and passes its smoke check", () => ensureBuiltin("python-datascience"), BUILD_TIMEOUT_MS);

  it("is a cache hit in at most 50 ms once built", async () => {
    const timings: number[] = [];
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const result = await builder.ensureImage(BUILTIN_RUNTIMES["python-datascience"]);
      expect(result).toMatchObject({ tag: tags.get("python-datascience"), cached: true });
      timings.push(result.durationMs);
    }
    console.info(`python-datascience cache hit: ${timings.join(", ")} ms`);
    expect(timings.sort((a, b) => a - b)[2]).toBeLessThanOrEqual(50);
  });

  it("does an analyst's work: Excel in and out, a model, a seaborn chart, headless", async () => {
    const script = [
      "import pandas as pd, numpy as np, seaborn as sns, matplotlib.pyplot as plt, os",
      "from sklearn.linear_model import LinearRegression",
      "df = pd.DataFrame({'x': np.arange(10), 'y': 2 * np.arange(10) + 1})",
      "df.to_excel('/tmp/data.xlsx', index=False)",
      "back = pd.read_excel('/tmp/data.xlsx')",
      "model = LinearRegression().fit(back[['x']], back['y'])",
      "sns.scatterplot(data=back, x='x', y='y'); plt.savefig('/tmp/chart.png')",
      "print(len(back), round(model.coef_[0], 3), os.path.getsize('/tmp/chart.png') > 1000, plt.get_backend())",
    ].join("\n");
    expect(await run("python-datascience", `python3 - <<'EOF'\n${script}\nEOF`)).toBe("10 2.0 True agg");
  });
});

describe("python-web", () => {
  it("builds and passes its smoke check", () => ensureBuiltin("python-web"), BUILD_TIMEOUT_MS);

  it("serves a FastAPI app (through its httpx test client)", async () => {
    const script = [
      "from fastapi import FastAPI",
      "from fastapi.testclient import TestClient",
      "app = FastAPI()",
      "@app.get('/hello')",
      "def hello(): return {'hello': 'world'}",
      "r = TestClient(app).get('/hello')",
      "print(r.status_code, r.json())",
    ].join("\n");
    expect(await run("python-web", `python3 - <<'EOF'\n${script}\nEOF`)).toBe("200 {'hello': 'world'}");
  });
});

describe("node-minimal", () => {
  it("builds and passes its smoke check", () => ensureBuiltin("node-minimal"), BUILD_TIMEOUT_MS);

  it("has Node.js 24 and npm 11 from npm, and no Debian Node left behind", async () => {
    const output = await run(
      "node-minimal",
      "node --version; npm --version; command -v node; test -e /usr/bin/nodejs && echo debian-node || echo clean",
    );
    const [node, npm, path, leftover] = output.split("\n");
    expect(node).toMatch(/^v24\./);
    expect(npm).toMatch(/^11\./);
    expect(path).toBe("/usr/local/bin/node");
    expect(leftover).toBe("clean");
  });
});

describe("node-react", () => {
  it("builds and passes its smoke check", () => ensureBuiltin("node-react"), BUILD_TIMEOUT_MS);

  it("compiles TypeScript and renders React", async () => {
    const script = [
      "cd /tmp",
      `printf 'const n: number = 41;\\nconsole.log(n + 1);\\n' > a.ts`,
      "tsc a.ts && node a.js",
      `node -e "const R = require('react'); const S = require('react-dom/server'); console.log(S.renderToString(R.createElement('b', null, 'hi')))"`,
    ].join(" && ");
    expect(await run("node-react", script)).toBe("42\n<b>hi</b>");
  });
});
