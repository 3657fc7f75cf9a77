"use client";

import { RotateCcw } from "lucide-react";
import { useId } from "react";
import type { Delimiter } from "~/server/ingest/delimited";
import type { Encoding, LoadOverrides, LoadPlan } from "~/server/ingest/load-plan";
import { Button } from "../../../_components/ui/button";
import { Input } from "../../../_components/ui/input";
import { Label } from "../../../_components/ui/label";
import { Select } from "../../../_components/ui/select";
import { Switch } from "../../../_components/ui/switch";

// How the table is read, as detected, for the user to correct: rows to skip
// above the header, whether there is a header, the delimiter and the encoding.

const DELIMITER_OPTIONS: { value: Delimiter; label: string }[] = [
  { value: ",", label: "Comma ," },
  { value: ";", label: "Semicolon ;" },
  { value: "\t", label: "Tab" },
  { value: "|", label: "Pipe |" },
];

const ENCODING_OPTIONS: { value: Encoding; label: string }[] = [
  { value: "utf-8", label: "UTF-8" },
  { value: "utf-8-sig", label: "UTF-8 with BOM" },
  { value: "latin-1", label: "Latin-1 (ISO-8859-1)" },
  { value: "cp1252", label: "Windows-1252" },
  { value: "utf-16", label: "UTF-16" },
  { value: "iso-8859-2", label: "Central European (ISO-8859-2)" },
  { value: "cp1251", label: "Cyrillic (Windows-1251)" },
  { value: "shift_jis", label: "Japanese (Shift JIS)" },
  { value: "euc-jp", label: "Japanese (EUC-JP)" },
  { value: "gb18030", label: "Chinese (GB18030)" },
  { value: "big5", label: "Chinese (Big5)" },
  { value: "euc-kr", label: "Korean (EUC-KR)" },
];

const MAX_SKIP_ROWS = 1000;

/**
 * `plan` is what the shown table was read with; `overrides` what the user asked
 * for since (shown at once, before the new preview arrives).
 */
export function LoadControls({
  plan: shown,
  detected,
  overrides,
  onChange,
}: {
  plan: LoadPlan;
  detected: LoadPlan;
  overrides: LoadOverrides;
  onChange: (overrides: LoadOverrides | null) => void;
}) {
  const id = useId();
  const plan = { ...shown, ...overrides };
  const changed = Object.keys(overrides).length > 0;
  // A detected encoding outside the list (e.g. "utf-16-le") is still shown as the current choice.
  const encodings = ENCODING_OPTIONS.some((option) => option.value === plan.encoding)
    ? ENCODING_OPTIONS
    : [{ value: plan.encoding as Encoding, label: plan.encoding }, ...ENCODING_OPTIONS];
  return (
    <div
      className="flex shrink-0 flex-wrap items-end gap-x-4 gap-y-2 border-b border-slate-200 px-4 py-2 dark:border-slate-800"
      role="group"
      aria-label="How the file is read"
      data-testid="preview-load-controls"
    >
      <div className="flex flex-col gap-1">
        <Label htmlFor={`${id}-skip`} className="text-xs text-slate-600 dark:text-slate-400">
          Skip rows
        </Label>
        <Input
          id={`${id}-skip`}
          type="number"
          inputMode="numeric"
          min={0}
          max={MAX_SKIP_ROWS}
          className="w-20"
          value={plan.skipRows}
          onChange={(event) => {
            const value = Number(event.target.value);
            if (Number.isInteger(value) && value >= 0 && value <= MAX_SKIP_ROWS) onChange({ skipRows: value });
          }}
          data-testid="preview-skip-rows"
        />
      </div>
      <div className="flex flex-col gap-1">
        <Label htmlFor={`${id}-header`} className="text-xs text-slate-600 dark:text-slate-400">
          Header row
        </Label>
        <div className="flex h-9 items-center">
          <Switch
            id={`${id}-header`}
            checked={plan.header}
            onCheckedChange={(header) => onChange({ header })}
            data-testid="preview-header"
          />
        </div>
      </div>
      <div className="flex flex-col gap-1">
        <Label htmlFor={`${id}-delimiter`} className="text-xs text-slate-600 dark:text-slate-400">
          Delimiter
        </Label>
        <Select
          id={`${id}-delimiter`}
          className="w-52"
          value={plan.delimiter}
          onChange={(event) => onChange({ delimiter: event.target.value as Delimiter })}
          data-testid="preview-delimiter"
        >
          {DELIMITER_OPTIONS.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
              {option.value === detected.delimiter ? " (detected)" : ""}
            </option>
          ))}
        </Select>
      </div>
      <div className="flex flex-col gap-1">
        <Label htmlFor={`${id}-encoding`} className="text-xs text-slate-600 dark:text-slate-400">
          Encoding
        </Label>
        <Select
          id={`${id}-encoding`}
          className="w-56"
          value={plan.encoding}
          onChange={(event) => onChange({ encoding: event.target.value as Encoding })}
          data-testid="preview-encoding"
        >
          {encodings.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
              {option.value === detected.encoding ? " (detected)" : ""}
            </option>
          ))}
        </Select>
      </div>
      {changed ? (
        <Button variant="ghost" size="sm" onClick={() => onChange(null)} data-testid="preview-load-reset">
          <RotateCcw aria-hidden /> Use detected
        </Button>
      ) : null}
    </div>
  );
}
