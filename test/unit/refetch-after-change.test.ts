import { QueryClient, QueryObserver } from "@tanstack/react-query";
import { describe, expect, it } from "vitest";
import { refetchAfterChange } from "~/app/_lib/refetch-after-change";

// The file tree's first listing is still loading when an upload finishes: the
// refresh must show the file, not the answer that predates it.

describe("refetchAfterChange", () => {
  it("refetches after a change even while the first fetch is still in flight", async () => {
    const client = new QueryClient();
    let files: string[] = [];
    const answers: ((value: string[]) => void)[] = [];
    const observer = new QueryObserver(client, {
      queryKey: ["files"],
      // Each fetch reads the files as they are when it starts, and answers when the test says so.
      queryFn: () => {
        const snapshot = [...files];
        return new Promise<string[]>((resolve) => answers.push(() => resolve(snapshot)));
      },
    });
    const seen: (string[] | undefined)[] = [];
    const unsubscribe = observer.subscribe((result) => seen.push(result.data));
    expect(answers).toHaveLength(1);

    files = ["upload.csv"];
    const refreshed = refetchAfterChange(client, { queryKey: ["files"] });
    await Promise.resolve();
    answers[0]!([]); // the stale first answer arrives late
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(answers).toHaveLength(2);
    answers[1]!(["upload.csv"]);
    await refreshed;
    expect(observer.getCurrentResult().data).toEqual(["upload.csv"]);

    unsubscribe();
    client.clear();
  });
});
