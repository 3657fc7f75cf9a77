"use client";

import { Download, FileCode2, NotebookText } from "lucide-react";
import { Button } from "../../_components/ui/button";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuTrigger,
} from "../../_components/ui/dropdown-menu";

/** Download the conversation as a notebook with its outputs, or as a plain Python script. */
export function ChatExportMenu({ chatId }: { chatId: string }) {
  const url = (format: "ipynb" | "py") => `/api/chats/${encodeURIComponent(chatId)}/export?format=${format}`;
  return (
    <DropdownMenu>
      <DropdownMenuTrigger asChild>
        <Button
          variant="ghost"
          size="icon"
          aria-label="Download this chat"
          title="Download this chat"
          data-testid="chat-export-open"
        >
          <Download aria-hidden />
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent align="end">
        <DropdownMenuItem asChild>
          <a href={url("ipynb")} download data-testid="chat-export-ipynb">
            <NotebookText aria-hidden /> Notebook (.ipynb) with outputs
          </a>
        </DropdownMenuItem>
        <DropdownMenuItem asChild>
          <a href={url("py")} download data-testid="chat-export-py">
            <FileCode2 aria-hidden /> Python script (.py)
          </a>
        </DropdownMenuItem>
      </DropdownMenuContent>
    </DropdownMenu>
  );
}
