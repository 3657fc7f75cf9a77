// What specs sign up with: one password, and an email no other run or spec has used.

export const PASSWORD = "tide-pool-e2e-password";

export const unique = (prefix: string) => `${prefix}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.com`;
