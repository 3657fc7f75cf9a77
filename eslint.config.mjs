import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/", ".next*/", "data/", "test-results/", "playwright-report/", "next-env.d.ts"] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ["*.mjs", "scripts/*.mjs"] }, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // Async functions that implement a Promise-returning interface need no await.
      "@typescript-eslint/require-await": "off",
      // Validation code matches control characters on purpose.
      "no-control-regex": "off",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      // Only server/env.ts reads configuration; launch scripts and test configs prepare it.
      "no-restricted-properties": ["error", { object: "process", property: "env", message: "Import `env` from ~/server/env instead." }],
    },
  },
  {
    files: ["server/env.ts", "scripts/**", "playwright.config.ts", "test/**", "bench/**", "*.mjs"],
    rules: { "no-restricted-properties": "off" },
  },
  {
    files: ["**/*.mjs"],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { globals: { console: "readonly", process: "readonly", globalThis: "readonly" } },
  },
);
