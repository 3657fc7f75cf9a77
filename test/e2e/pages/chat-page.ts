import { expect, type Locator, type Page } from "@playwright/test";

/** A turn may start the sandbox and the kernel (pandas, matplotlib) first: allow for it. */
export const TURN_TIMEOUT_MS = 120_000;

/** The Chat tab of the workspace, by data-testid. */
export class ChatPage {
  constructor(private readonly page: Page) {}

  async open(): Promise<void> {
    await this.page.getByTestId("tab-chat").click();
    await expect(this.page.getByTestId("chat-panel")).toBeVisible();
  }

  /** "New chat", then waits for the empty draft: typed any sooner, text lands in the chat being left. */
  async startNew(): Promise<void> {
    await this.page.getByTestId("chat-new").click();
    await expect(this.page.getByTestId("chat-empty")).toBeVisible();
  }

  input(): Locator {
    return this.page.getByTestId("chat-input");
  }

  /** Types a message and sends it with Enter, as people do. */
  async send(text: string): Promise<void> {
    await this.input().fill(text);
    await this.input().press("Enter");
  }

  /** Waits until no turn runs: the Send button is back. */
  async waitForTurnEnd(): Promise<void> {
    await expect(this.page.getByTestId("chat-stop")).toHaveCount(0, { timeout: TURN_TIMEOUT_MS });
    await expect(this.page.getByTestId("chat-send")).toBeVisible();
  }

  userMessages(): Locator {
    return this.page.getByTestId("chat-message-user");
  }

  assistantMessages(): Locator {
    return this.page.getByTestId("chat-message-assistant");
  }

  toolSteps(tool?: string): Locator {
    const steps = this.page.getByTestId("tool-step");
    return tool ? steps.and(this.page.locator(`[data-tool="${tool}"]`)) : steps;
  }

  figures(): Locator {
    return this.page.getByTestId("tool-figure");
  }

  /** The chart's PNG in `scope`: a chart drawn interactively shows it after "Original image". */
  async originalFigure(scope: Locator): Promise<Locator> {
    const chart = scope.getByTestId("figure-chart").first();
    const image = scope.getByTestId("tool-figure").first();
    await expect(chart.or(image)).toBeVisible({ timeout: TURN_TIMEOUT_MS });
    if (await chart.isVisible()) await scope.getByTestId("figure-show-image").first().click();
    return image;
  }

  noModelCard(): Locator {
    return this.page.getByTestId("chat-no-model");
  }

  listItem(chatId: string): Locator {
    return this.page.getByTestId("chat-list").getByTestId(`chat-item-${chatId}`);
  }

  /** The open conversation's id, from the address (?chat=<id>). */
  chatId(): string | null {
    return new URL(this.page.url()).searchParams.get("chat");
  }

  /** The chat's messages as the server saved them (not as this page shows them). */
  async savedMessages(chatId: string | null): Promise<{ role: string; metadata?: { stopped?: boolean } }[]> {
    const input = encodeURIComponent(JSON.stringify({ id: chatId }));
    const response = await this.page.request.get(`/api/trpc/chats.get?input=${input}`);
    const body = (await response.json()) as { result?: { data?: { messages: { role: string; metadata?: { stopped?: boolean } }[] } } };
    return body.result?.data?.messages ?? [];
  }

  /** Resolves once the image has loaded with real pixels. */
  async expectImageLoaded(image: Locator): Promise<void> {
    await expect(image).toBeVisible({ timeout: TURN_TIMEOUT_MS });
    await expect.poll(() => image.evaluate((element: HTMLImageElement) => element.complete && element.naturalWidth), { timeout: 30_000 }).toBeGreaterThan(0);
  }
}
