import { readUIMessageStream, type UIMessage, type UIMessageChunk } from "ai";

/** The final assistant message of a chat route's UI message stream (SSE). */
export async function readReply(response: Response): Promise<UIMessage> {
  let last: UIMessage | undefined;
  const chunks = response.body!.pipeThrough(new TextDecoderStream()).pipeThrough(
    new TransformStream<string, UIMessageChunk>({
      transform(text, controller) {
        for (const line of text.split("\n")) {
          if (line.startsWith("data: ") && line !== "data: [DONE]")
            controller.enqueue(JSON.parse(line.slice(6)) as UIMessageChunk);
        }
      },
    }),
  );
  for await (const message of readUIMessageStream({ stream: chunks })) last = message;
  return last!;
}
