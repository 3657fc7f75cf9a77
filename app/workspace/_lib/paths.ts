// Workspace paths as the server sees them: absolute, under /workspace.

export const WORKSPACE_ROOT = "/workspace";

export function joinPath(dir: string, name: string): string {
  return `${dir.replace(/\/+$/, "")}/${name}`;
}

export function parentOf(path: string): string {
  const index = path.lastIndexOf("/");
  return index <= 0 ? "/" : path.slice(0, index);
}

export function baseName(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

/** The path shown to people: relative to the workspace ("data/sales.csv"). */
export function displayPath(path: string): string {
  if (path === WORKSPACE_ROOT) return "workspace";
  return path.startsWith(`${WORKSPACE_ROOT}/`) ? path.slice(WORKSPACE_ROOT.length + 1) : path;
}

/** Why a file or folder name can't be used, or null when it's fine. The server checks again. */
export function nameProblem(name: string): string | null {
  if (!name.trim()) return "Give it a name.";
  if (name.includes("/")) return "Names can't contain “/”.";
  if (name === "." || name === "..") return "Choose another name.";
  if (/[\u0000-\u001f\u007f]/.test(name)) return "Names can't contain control characters.";
  if (name.length > 255) return "That name is too long (255 characters at most).";
  return null;
}

export function downloadUrl(path: string, options: { inline?: boolean; version?: number } = {}): string {
  const params = new URLSearchParams({ path });
  if (options.inline) params.set("inline", "1");
  if (options.version !== undefined) params.set("v", String(options.version));
  return `/api/files/download?${params.toString()}`;
}
