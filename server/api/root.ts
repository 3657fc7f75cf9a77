import { adminRouter } from "./routers/admin";
import { authRouter } from "./routers/auth";
import { filesRouter } from "./routers/files";
import { sandboxRouter } from "./routers/sandbox";
import { createCallerFactory, router } from "./trpc";

export const appRouter = router({
  auth: authRouter,
  sandbox: sandboxRouter,
  files: filesRouter,
  admin: adminRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
