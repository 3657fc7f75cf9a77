"use client";

import { useId } from "react";
import { Label } from "../../../_components/ui/label";
import { Select } from "../../../_components/ui/select";

/** Which sheet of a workbook the table shows (and the pandas call reads). */
export function SheetPicker({
  sheets,
  sheet,
  onChange,
}: {
  sheets: string[];
  sheet: string;
  onChange: (sheet: string) => void;
}) {
  const id = useId();
  return (
    <div
      className="flex shrink-0 flex-wrap items-end gap-x-4 gap-y-2 border-b border-slate-200 px-4 py-2 dark:border-slate-800"
      role="group"
      aria-label="Which sheet is shown"
      data-testid="preview-sheet-controls"
    >
      <div className="flex flex-col gap-1">
        <Label htmlFor={`${id}-sheet`} className="text-xs text-slate-600 dark:text-slate-400">
          Sheet
        </Label>
        <Select
          id={`${id}-sheet`}
          className="w-56"
          value={sheet}
          onChange={(event) => onChange(event.target.value)}
          data-testid="preview-sheet"
        >
          {sheets.map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </Select>
      </div>
      <p className="pb-2 text-xs text-slate-500 dark:text-slate-400">
        {sheets.length} {sheets.length === 1 ? "sheet" : "sheets"}
      </p>
    </div>
  );
}
