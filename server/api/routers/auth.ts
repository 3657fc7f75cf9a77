import { signUp, signUpSchema, getProfile } from "../../services/users";
import { protectedProcedure, publicProcedure, router } from "../trpc";

export const authRouter = router({
  signUp: publicProcedure.input(signUpSchema).mutation(({ input }) => signUp(input)),
  me: protectedProcedure.query(({ ctx }) => getProfile(ctx.user.id)),
});
