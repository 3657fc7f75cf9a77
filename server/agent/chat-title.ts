import { generateText, type LanguageModel } from "ai";

// A short title for a conversation, written by the configured model from the
// first question and the first answer. One small call with no tools; any
// failure (timeout, provider error, a reply that is not a title) yields null
// and the caller keeps the title it has.

/** The first words of the instructions; test fakes recognise a title request by them. */
export const TITLE_INSTRUCTIONS_START = "You name conversations.";

const INSTRUCTIONS = `${TITLE_INSTRUCTIONS_START} Reply with a title of at most 6 words for the conversation below: what it is about (the data, the question), in the user's language. No quotes, no final period, nothing else.`;
const MAX_INPUT_CHARS = 2_000;
const TIMEOUT_MS = 20_000;

export async function generateChatTitle(input: { model: LanguageModel; question: string; answer: string; abortSignal?: AbortSignal }): Promise<string | null> {
  const signal = input.abortSignal ? AbortSignal.any([input.abortSignal, AbortSignal.timeout(TIMEOUT_MS)]) : AbortSignal.timeout(TIMEOUT_MS);
  try {
    const result = await generateText({
      model: input.model,
      instructions: INSTRUCTIONS,
      prompt: `Question: ${input.question.slice(0, MAX_INPUT_CHARS)}\n\nAnswer: ${input.answer.slice(0, MAX_INPUT_CHARS)}`,
      maxOutputTokens: 30,
      maxRetries: 0,
      abortSignal: signal,
    });
    return cleanTitle(result.text);
  } catch {
    return null;
  }
}

/** The first line, without quotes, a "Title:" prefix or a final period; null when nothing usable is left. */
export function cleanTitle(text: string): string | null {
  const line = (text.trim().split("\n")[0] ?? "")
    .replace(/^title\s*:\s*/i, "")
    .replace(/^["'“”«*#\s]+|["'“”»*\s]+$/g, "")
    .replace(/\.$/, "")
    .trim();
  return line.length >= 2 && line.length <= 80 ? line : null;
}
