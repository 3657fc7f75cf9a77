import { type APIRequestContext, expect, request, test } from "@playwright/test";
import { ADMIN_STATE_FILE } from "./admin-account";

/** Points the app at the fake model on `baseUrl`, or clears the model with null, as the admin `api` (signed in). */
export async function updateModel(api: APIRequestContext, baseUrl: string | null): Promise<void> {
  const input = baseUrl
    ? { provider: "openai-compatible", model: "fake-model", baseUrl, apiKey: null }
    : { provider: null, model: null, baseUrl: null, apiKey: null };
  const response = await api.post("/api/trpc/admin.settings.updateModel", { data: input });
  expect(response.status(), await response.text()).toBe(200);
}

/** Points the app under test at the fake model on `baseUrl` (through the admin API), or clears the model with null. */
export async function setModel(baseUrl: string | null): Promise<void> {
  const admin = await request.newContext({ baseURL: test.info().project.use.baseURL, storageState: ADMIN_STATE_FILE });
  try {
    await updateModel(admin, baseUrl);
  } finally {
    await admin.dispose();
  }
}
