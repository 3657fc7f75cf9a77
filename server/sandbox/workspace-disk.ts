import fs from "node:fs/promises";
import path from "node:path";
import { SANDBOX_GID, SANDBOX_UID } from "./container-spec";
import { HostDiskFullError, WorkspaceError } from "./errors";
import { HostCommandError, hostSucceeds, runHost, withHostLock } from "./host-command";

// A workspace with a disk quota the kernel enforces: its own ext4 filesystem
// in an image file beside it ({root}/{id}/workspace.img), loop-mounted at the
// workspace folder. The image is preallocated, so its space is taken from the
// host when the quota is granted: a workspace that fills up answers "no space"
// to its own user only, never to a neighbour, DATA_DIR or the database.
// (Project quotas would need the host filesystem mounted with prjquota;
// images work on any Linux host where the app runs as root.)

const IMAGE = "workspace.img";
const PARTIAL_IMAGE = "workspace.img.partial";
const STAGING = ".workspace-migrating";
const SET_ASIDE = "workspace.pre-quota";
const LOCK = ".disk.lock";
const MOUNT_OPTIONS = "loop,nosuid,nodev,noatime";
const MIB = 1024 * 1024;
/** Smaller ext4 filesystems lose most of their space to metadata. */
export const MIN_QUOTA_BYTES = 16 * MIB;

export type WorkspaceDiskOptions = {
  /** null: no quota wanted, but a disk made earlier is still mounted (as it is) so its files are there. */
  quotaBytes: number | null;
  /** Free space the host filesystem keeps after granting a quota (for DATA_DIR, the database, logs). */
  hostReserveBytes: number;
  /** No container uses the workspace now, so it may be unmounted (to shrink it). */
  idle: boolean;
};

export type WorkspaceDiskState = {
  /** Bytes the image takes on the host (the quota granted). */
  sizeBytes: number;
  /** Set when a smaller quota could not be applied (the files do not fit, or the sandbox is in use). */
  pendingQuotaBytes: number | null;
};

/** True when this process can make and mount workspace disks (root, with the ext4 tools). */
export async function canMountWorkspaceDisks(): Promise<boolean> {
  if (process.platform !== "linux" || process.getuid?.() !== 0) return false;
  return (await hostSucceeds("mkfs.ext4", ["-V"])) && (await hostSucceeds("losetup", ["--version"]));
}

type Resolved = WorkspaceDiskOptions & { quotaBytes: number };

/** Makes, migrates, mounts and resizes the workspace disk so the folder at `workspace` has `quotaBytes`. */
export async function ensureWorkspaceDisk(sessionDir: string, workspace: string, options: WorkspaceDiskOptions): Promise<WorkspaceDiskState | null> {
  const image = path.join(sessionDir, IMAGE);
  if (options.quotaBytes === null && !(await exists(image))) return null;
  try {
    return await withHostLock(path.join(sessionDir, LOCK), async () => {
      const quota = options.quotaBytes === null ? (await fs.stat(image)).size : roundToMib(Math.max(MIN_QUOTA_BYTES, options.quotaBytes));
      return prepare(sessionDir, workspace, { ...options, quotaBytes: quota });
    });
  } catch (error) {
    if (error instanceof WorkspaceError || error instanceof HostDiskFullError) throw error;
    throw new WorkspaceError(`Could not prepare the workspace disk for ${workspace}: ${(error as Error).message}`, { cause: error });
  }
}

async function prepare(sessionDir: string, workspace: string, options: Resolved): Promise<WorkspaceDiskState> {
  const image = path.join(sessionDir, IMAGE);
  await finishInterruptedCopy(sessionDir);
  if (!(await mountedDevice(workspace))) {
    if (!(await exists(image))) {
      if ((await fs.readdir(workspace)).length > 0) return migrate(sessionDir, workspace, options);
      await createImage(image, options.quotaBytes, sessionDir, options.hostReserveBytes);
      await mount(image, workspace);
      await prepareRoot(workspace);
      return { sizeBytes: options.quotaBytes, pendingQuotaBytes: null };
    }
    // A verified copy was made, but the crash came before the old folder was set aside.
    if ((await fs.readdir(workspace)).length > 0) await setAsideOldFolder(sessionDir, workspace);
    await mount(image, workspace);
    await fs.rm(path.join(sessionDir, SET_ASIDE), { recursive: true, force: true });
  }
  return resize(sessionDir, workspace, options);
}

/**
 * A larger quota applies at once where the kernel allows online growth (it
 * needs CAP_SYS_RESOURCE); otherwise, and for a smaller one, it waits until no
 * container uses the workspace, as unmounting under one would be unsafe.
 */
async function resize(sessionDir: string, workspace: string, options: Resolved): Promise<WorkspaceDiskState> {
  const image = path.join(sessionDir, IMAGE);
  const size = (await fs.stat(image)).size;
  const pending = { sizeBytes: size, pendingQuotaBytes: options.quotaBytes };
  if (options.quotaBytes === size) return { sizeBytes: size, pendingQuotaBytes: null };
  if (options.quotaBytes > size) {
    await reserve(sessionDir, options.quotaBytes - size, options.hostReserveBytes);
    if (await growOnline(image, (await mountedDevice(workspace))!, size, options.quotaBytes)) return { sizeBytes: options.quotaBytes, pendingQuotaBytes: null };
    if (!options.idle) return pending;
    await runHost("umount", [workspace]);
    try {
      // resize2fs insists on a freshly checked filesystem when it is not mounted.
      await runHost("e2fsck", ["-f", "-p", image], 600_000).catch(checkOnlyRepaired);
      await runHost("fallocate", ["-l", String(options.quotaBytes), image]);
      await runHost("resize2fs", [image], 600_000);
    } finally {
      await mount(image, workspace);
    }
    return { sizeBytes: options.quotaBytes, pendingQuotaBytes: null };
  }
  // A shrink copies the files into a new, smaller disk: resize2fs cannot shrink
  // a filesystem below the metadata it was made with for its first size.
  if (!options.idle) return pending;
  // ext4 keeps ~15% of a small disk for itself: don't copy what clearly won't fit.
  const usage = await workspaceDiskUsage(workspace);
  if (usage && usage.usedBytes > options.quotaBytes * 0.85) return pending;
  return (await copyIntoNewDisk(sessionDir, workspace, options.quotaBytes, options)) ? { sizeBytes: options.quotaBytes, pendingQuotaBytes: null } : pending;
}

async function growOnline(image: string, device: string, size: number, quotaBytes: number): Promise<boolean> {
  await runHost("fallocate", ["-l", String(quotaBytes), image]);
  await runHost("losetup", ["-c", device]);
  try {
    await runHost("resize2fs", [device], 600_000);
    return true;
  } catch (error) {
    if (!(error instanceof HostCommandError)) throw error;
    // The filesystem did not grow: give the image its old size back.
    await fs.truncate(image, size);
    await runHost("losetup", ["-c", device]);
    return false;
  }
}

/** A workspace that predates quotas moves onto a disk large enough for its files. */
async function migrate(sessionDir: string, workspace: string, options: Resolved): Promise<WorkspaceDiskState> {
  const used = Number((await runHost("du", ["-s", "-x", "-B1", workspace], 600_000)).split(/\s/)[0]);
  const size = Math.max(options.quotaBytes, roundToMib(used * 1.15 + 64 * MIB));
  if (!(await copyIntoNewDisk(sessionDir, workspace, size, options))) throw new WorkspaceError(`The files in ${workspace} did not fit in a ${formatMib(size)} disk.`);
  return { sizeBytes: size, pendingQuotaBytes: size > options.quotaBytes ? options.quotaBytes : null };
}

/**
 * Copies the workspace's files (a plain folder, or its current disk) into a
 * new disk of `size`, compares them byte for byte, and only then puts the new
 * disk in place. Every step can be interrupted: the image is named as final
 * only once the copy is verified. False when the files do not fit.
 */
async function copyIntoNewDisk(sessionDir: string, workspace: string, size: number, options: Resolved): Promise<boolean> {
  const partial = path.join(sessionDir, PARTIAL_IMAGE);
  const staging = path.join(sessionDir, STAGING);
  await createImage(partial, size, sessionDir, options.hostReserveBytes);
  await fs.mkdir(staging, { mode: 0o700 });
  await mount(partial, staging);
  let copied = false;
  try {
    // -a copies links as links and keeps owners, modes and times; -x stays on this filesystem.
    await runHost("cp", ["-a", "-x", `${workspace}/.`, staging], 3_600_000);
    await runHost("diff", ["-r", "-q", "--no-dereference", workspace, staging], 3_600_000);
    await fs.chown(staging, SANDBOX_UID, SANDBOX_GID);
    await fs.chmod(staging, 0o755);
    copied = true;
  } catch (error) {
    if (!(error instanceof HostCommandError && /No space left on device/i.test(error.stderr))) throw error;
  } finally {
    await runHost("umount", [staging]);
    await fs.rmdir(staging);
    if (!copied) await fs.rm(partial, { force: true });
  }
  if (!copied) return false;
  if (await mountedDevice(workspace)) await runHost("umount", [workspace]);
  else await setAsideOldFolder(sessionDir, workspace);
  await fs.rename(partial, path.join(sessionDir, IMAGE));
  await mount(path.join(sessionDir, IMAGE), workspace);
  await fs.rm(path.join(sessionDir, SET_ASIDE), { recursive: true, force: true });
  return true;
}

/** Leftovers of a copy cut short: an unverified image, a staging mount. */
async function finishInterruptedCopy(sessionDir: string): Promise<void> {
  const staging = path.join(sessionDir, STAGING);
  if (await mountedDevice(staging)) await runHost("umount", [staging]);
  await fs.rm(staging, { recursive: true, force: true });
  await fs.rm(path.join(sessionDir, PARTIAL_IMAGE), { force: true });
}

async function setAsideOldFolder(sessionDir: string, workspace: string): Promise<void> {
  const aside = path.join(sessionDir, SET_ASIDE);
  await fs.rm(aside, { recursive: true, force: true });
  await fs.rename(workspace, aside);
  await fs.mkdir(workspace, { mode: 0o755 });
}

async function createImage(image: string, bytes: number, sessionDir: string, hostReserveBytes: number): Promise<void> {
  await reserve(sessionDir, bytes, hostReserveBytes);
  await fs.rm(image, { force: true });
  try {
    await runHost("fallocate", ["-l", String(bytes), image]);
    // No discard (it would punch holes in the preallocated image); no reserved root blocks; no lazy init writing later.
    await runHost("mkfs.ext4", ["-q", "-F", "-m", "0", "-L", "workspace", "-E", "nodiscard,lazy_itable_init=0,lazy_journal_init=0", image], 600_000);
  } catch (error) {
    await fs.rm(image, { force: true });
    throw error;
  }
}

/** Refuses a quota the host cannot hold while keeping its reserve free. */
async function reserve(dir: string, bytes: number, hostReserveBytes: number): Promise<void> {
  const stats = await fs.statfs(dir);
  const free = stats.bavail * stats.bsize;
  if (free - bytes < hostReserveBytes) {
    throw new HostDiskFullError(
      `The server's disk has no room for a ${formatMib(bytes)} workspace disk (${formatMib(free)} free, ${formatMib(hostReserveBytes)} kept for the database). Ask an admin to free disk space or lower the disk quota.`,
    );
  }
}

/** Mounts a disk; ext4's empty lost+found (mkfs and e2fsck make one) would only puzzle the user. */
async function mount(image: string, target: string): Promise<void> {
  await runHost("mount", ["-t", "ext4", "-o", MOUNT_OPTIONS, image, target]);
  await fs.rmdir(path.join(target, "lost+found")).catch(() => {});
}

/** A new filesystem's root becomes the sandbox user's workspace. */
async function prepareRoot(workspace: string): Promise<void> {
  await fs.chown(workspace, SANDBOX_UID, SANDBOX_GID);
  await fs.chmod(workspace, 0o755);
}

/** The loop device mounted exactly at `dir`, or null. */
export async function mountedDevice(dir: string): Promise<string | null> {
  return (await mountSources()).get(path.resolve(dir)) ?? null;
}

/** Mount point → source, from this process's mount table (octal escapes decoded). */
async function mountSources(): Promise<Map<string, string>> {
  const table = await fs.readFile("/proc/self/mountinfo", "utf8");
  const unescape = (field: string) => field.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));
  const mounts = new Map<string, string>();
  for (const line of table.split("\n")) {
    const [before, after] = line.split(" - ");
    const target = before?.split(" ")[4];
    const source = after?.split(" ")[1];
    if (target && source) mounts.set(unescape(target), unescape(source));
  }
  return mounts;
}

export type WorkspaceDiskUsage = { usedBytes: number; totalBytes: number };

/** Space used and available to the workspace's files (statfs of its filesystem), or null without a disk. */
export async function workspaceDiskUsage(workspace: string): Promise<WorkspaceDiskUsage | null> {
  if (!(await mountedDevice(workspace))) return null;
  const stats = await fs.statfs(workspace);
  // ext4 keeps a few MB back from everyone (its delalloc reserve): not the user's files, not theirs to use.
  const usedBytes = (stats.blocks - stats.bfree) * stats.bsize;
  return { usedBytes, totalBytes: usedBytes + stats.bavail * stats.bsize };
}

/** Unmounts every workspace disk under `root` (before the folder is deleted: tests, an uninstall). */
export async function unmountWorkspaceDisks(root: string): Promise<number> {
  const prefix = `${path.resolve(root)}/`;
  const targets = [...(await mountSources()).keys()].filter((target) => target.startsWith(prefix)).sort((a, b) => b.length - a.length);
  for (const target of targets) await runHost("umount", [target]);
  return targets.length;
}

function checkOnlyRepaired(error: unknown): void {
  // e2fsck exits 1 when it fixed something: the filesystem is fine now.
  if (error instanceof HostCommandError && error.exitCode === 1) return;
  throw error;
}

async function exists(file: string): Promise<boolean> {
  return fs.access(file).then(
    () => true,
    () => false,
  );
}

function roundToMib(bytes: number): number {
  return Math.ceil(bytes / MIB) * MIB;
}

function formatMib(bytes: number): string {
  return bytes >= 1024 * MIB ? `${(bytes / 1024 / MIB).toFixed(1)} GB` : `${Math.round(bytes / MIB)} MB`;
}
