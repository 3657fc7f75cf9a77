import { PrismaAdapter } from "@auth/prisma-adapter";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import GithubProvider from "next-auth/providers/github";
import GoogleProvider from "next-auth/providers/google";
import { db } from "../db";
import { env } from "../env";
import { DomainError, fromDatabaseFailure } from "../services/errors";
import { promoteIfFirstOrNamedAdmin, verifyCredentials } from "../services/users";
import { onSignedIn } from "./sign-in-hooks";

function oauthProviders() {
  const providers = [];
  if (env.GITHUB_ID && env.GITHUB_SECRET) providers.push(GithubProvider({ clientId: env.GITHUB_ID, clientSecret: env.GITHUB_SECRET }));
  if (env.GOOGLE_ID && env.GOOGLE_SECRET) providers.push(GoogleProvider({ clientId: env.GOOGLE_ID, clientSecret: env.GOOGLE_SECRET }));
  return providers;
}

export const oauthProviderIds = oauthProviders().map((provider) => provider.id);

// Credentials sign-in requires JWT sessions in next-auth 4; the adapter still
// stores OAuth users and accounts. The role is never read from the token: the
// tRPC context loads it from the database on every request.
export const authOptions: NextAuthOptions = {
  secret: env.AUTH_SECRET,
  adapter: PrismaAdapter(db),
  session: { strategy: "jwt", maxAge: 30 * 24 * 60 * 60 },
  pages: { signIn: "/sign-in" },
  providers: [
    CredentialsProvider({
      name: "Email and password",
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
      async authorize(credentials) {
        try {
          const user = await verifyCredentials(credentials?.email ?? "", credentials?.password ?? "");
          return { id: user.id, email: user.email, name: user.name };
        } catch (error) {
          // next-auth passes the message to the sign-in form as `error`: only words meant for people go there.
          const readable = error instanceof DomainError ? error : fromDatabaseFailure(error);
          if (readable) throw new Error(readable.message, { cause: error });
          console.error("sign-in failed", error);
          throw new Error("Signing in failed on our side. Try again; if it keeps happening, ask an admin to check the server log.", { cause: error });
        }
      },
    }),
    ...oauthProviders(),
  ],
  callbacks: {
    session({ session, token }) {
      if (session.user && token.sub) session.user.id = token.sub;
      return session;
    },
  },
  events: {
    createUser: async ({ user }) => promoteIfFirstOrNamedAdmin(user.id),
    signIn: ({ user }) => onSignedIn(user.id),
  },
};
