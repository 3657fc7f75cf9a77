import { describe, expect, it } from "vitest";
import { classifyExit, parseOomKills } from "./exit-cause";

const facts = { code: 137, containerStopped: false, oomKillsBefore: 0, oomKillsAfter: 0, oomKilledFlag: false };

describe("classifyExit", () => {
  it("calls 137 out of memory only when the OOM kill count went up", () => {
    expect(classifyExit({ ...facts, oomKillsAfter: 1 })).toEqual({ kind: "out-of-memory" });
    expect(classifyExit(facts)).toEqual({ kind: "killed", signal: 9 });
    // An earlier OOM (sticky flag, same count) does not explain this kill.
    expect(classifyExit({ ...facts, oomKillsBefore: 2, oomKillsAfter: 2, oomKilledFlag: true })).toEqual({ kind: "killed", signal: 9 });
  });

  it("falls back to Docker's OOMKilled flag when the count cannot be read", () => {
    expect(classifyExit({ ...facts, oomKillsBefore: null, oomKillsAfter: null, oomKilledFlag: true })).toEqual({ kind: "out-of-memory" });
    expect(classifyExit({ ...facts, oomKillsBefore: null, oomKillsAfter: 3 })).toEqual({ kind: "killed", signal: 9 });
  });

  it("puts a stopped sandbox before everything else", () => {
    expect(classifyExit({ ...facts, containerStopped: true, oomKillsAfter: 5 })).toEqual({ kind: "sandbox-stopped" });
    expect(classifyExit({ ...facts, code: null, containerStopped: true })).toEqual({ kind: "sandbox-stopped" });
  });

  it("reports other exits and signals as they are", () => {
    expect(classifyExit({ ...facts, code: 3 })).toEqual({ kind: "exited", code: 3 });
    expect(classifyExit({ ...facts, code: 0 })).toEqual({ kind: "exited", code: 0 });
    expect(classifyExit({ ...facts, code: 139 })).toEqual({ kind: "killed", signal: 11 });
    expect(classifyExit({ ...facts, code: null })).toEqual({ kind: "unknown" });
    expect(classifyExit({ ...facts, code: null, oomKillsAfter: 1 })).toEqual({ kind: "out-of-memory" });
  });
});

describe("parseOomKills", () => {
  it("reads cgroup v1 and v2 files", () => {
    expect(parseOomKills("oom_kill_disable 0\nunder_oom 0\noom_kill 4\n")).toBe(4);
    expect(parseOomKills("low 0\nhigh 0\nmax 12\noom 3\noom_kill 2\noom_group_kill 0\n")).toBe(2);
    expect(parseOomKills("cat: /sys/fs/cgroup/memory.events: No such file or directory\n")).toBeNull();
  });
});
