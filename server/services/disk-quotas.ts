import { z } from "zod";
import { canMountWorkspaceDisks } from "../sandbox/workspace-disk";
import { db } from "../db";
import { env } from "../env";
import { recordActivity } from "./activity";

// Workspace disk quotas: the default (the admin's setting, else
// WORKSPACE_QUOTA_MB), a user's override, and the space each user sees.
// The kernel enforces them (server/sandbox/workspace-disk.ts); this decides sizes.

const SETTING_KEY = "disk-quota";
const MIB = 1024 * 1024;

export const diskQuotaMbSchema = z.number().int("Use whole megabytes.").min(16, "At least 16 MB.").max(16 * 1024 * 1024, "At most 16 TB.");
const storedSchema = z.object({ defaultMb: diskQuotaMbSchema });

export type DiskQuotaSupport = { enforced: true } | { enforced: false; reason: string };

let support: Promise<DiskQuotaSupport> | null = null;

/** Whether this server enforces quotas (WORKSPACE_QUOTA_MB=0 turns them off; they need root on Linux). */
export function diskQuotaSupport(): Promise<DiskQuotaSupport> {
  support ??= (async (): Promise<DiskQuotaSupport> => {
    if (env.WORKSPACE_QUOTA_MB === 0) return { enforced: false, reason: "WORKSPACE_QUOTA_MB is 0" };
    if (await canMountWorkspaceDisks()) return { enforced: true };
    const reason = "the server does not run as root on Linux with the ext4 tools, so it cannot mount a disk per workspace";
    console.warn(`Workspace disk quotas are not enforced: ${reason}.`);
    return { enforced: false, reason };
  })();
  return support;
}

export async function defaultDiskQuotaMb(): Promise<number> {
  const row = await db.setting.findUnique({ where: { key: SETTING_KEY }, select: { value: true } });
  const parsed = storedSchema.safeParse(row?.value);
  return parsed.success ? parsed.data.defaultMb : env.WORKSPACE_QUOTA_MB || 1024;
}

export async function setDefaultDiskQuota(actorId: string, defaultMb: number): Promise<void> {
  const value = storedSchema.parse({ defaultMb });
  await db.setting.upsert({ where: { key: SETTING_KEY }, create: { key: SETTING_KEY, value }, update: { value } });
  await recordActivity({ actorId, action: "admin.settings.disk_quota", outcome: "ok", detail: value });
}

/** The quota a user's workspace disk gets (bytes), or null when quotas are not enforced here. */
export async function diskQuotaBytesForUser(userId: string): Promise<number | null> {
  if (!(await diskQuotaSupport()).enforced) return null;
  const user = await db.user.findUnique({ where: { id: userId }, select: { diskQuotaMb: true } });
  return (user?.diskQuotaMb ?? (await defaultDiskQuotaMb())) * MIB;
}
