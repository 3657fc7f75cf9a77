import { getServerSession } from "next-auth";
import { authOptions } from "./options";

/** The signed-in user's id in a server component or route handler, or null. */
export async function getSessionUserId(): Promise<string | null> {
  const session = await getServerSession(authOptions);
  return session?.user?.id ?? null;
}
