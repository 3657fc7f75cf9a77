"use client";

import { useState, type FormEvent } from "react";
import { Button } from "../../../_components/ui/button";
import { Dialog, DialogContent, DialogFooter } from "../../../_components/ui/dialog";
import { Input } from "../../../_components/ui/input";
import { Label } from "../../../_components/ui/label";
import { displayPath, joinPath, nameProblem } from "../../_lib/paths";

type NewFolderDialogProps = {
  /** The folder to create it in; null when closed. */
  parent: string | null;
  onClose: () => void;
  onCreate: (path: string) => Promise<boolean>;
};

export function NewFolderDialog({ parent, onClose, onCreate }: NewFolderDialogProps) {
  return (
    <Dialog open={parent !== null} onOpenChange={(open) => !open && onClose()}>
      {parent !== null ? (
        <DialogContent title="New folder" description={`Inside ${displayPath(parent)}`} data-testid="new-folder-dialog">
          <NewFolderForm parent={parent} onClose={onClose} onCreate={onCreate} />
        </DialogContent>
      ) : null}
    </Dialog>
  );
}

function NewFolderForm({
  parent,
  onClose,
  onCreate,
}: {
  parent: string;
  onClose: () => void;
  onCreate: (path: string) => Promise<boolean>;
}) {
  const [name, setName] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const issue = nameProblem(name.trim());
    if (issue) return setProblem(issue);
    setPending(true);
    const ok = await onCreate(joinPath(parent, name.trim()));
    setPending(false);
    if (ok) onClose();
  }

  return (
    <form onSubmit={(event) => void submit(event)} className="flex flex-col gap-1.5">
      <Label htmlFor="new-folder-name">Folder name</Label>
      <Input
        id="new-folder-name"
        autoFocus
        value={name}
        placeholder="e.g. reports"
        aria-invalid={!!problem}
        aria-describedby={problem ? "new-folder-problem" : undefined}
        onChange={(event) => {
          setName(event.target.value);
          setProblem(null);
        }}
        data-testid="new-folder-name"
      />
      {problem ? (
        <p id="new-folder-problem" className="text-xs text-rose-600 dark:text-rose-400">
          {problem}
        </p>
      ) : null}
      <DialogFooter>
        <Button variant="secondary" onClick={onClose}>
          Cancel
        </Button>
        <Button type="submit" disabled={pending} data-testid="new-folder-submit">
          Create folder
        </Button>
      </DialogFooter>
    </form>
  );
}
