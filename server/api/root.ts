import { adminRouter } from "./routers/admin";
import { authRouter } from "./routers/auth";
import { chatsRouter } from "./routers/chats";
import { filesRouter } from "./routers/files";
import { jobsRouter } from "./routers/jobs";
import { noticesRouter } from "./routers/notices";
import { runtimesRouter } from "./routers/runtimes";
import { sandboxRouter } from "./routers/sandbox";
import { createCallerFactory, router } from "./trpc";

export const appRouter = router({
  auth: authRouter,
  sandbox: sandboxRouter,
  jobs: jobsRouter,
  files: filesRouter,
  runtimes: runtimesRouter,
  chats: chatsRouter,
  notices: noticesRouter,
  admin: adminRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
