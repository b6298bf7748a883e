/**
 * Waiting assertions over playwright-core locators (playwright-core has no `expect`): each
 * retries until it holds or the time is up, then fails with jest's message for the last try.
 */
import type { Locator } from 'playwright-core';

export async function eventually(check: () => Promise<void>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

export function see(locator: Locator, timeoutMs = 10_000) {
  return {
    visible: () => locator.waitFor({ state: 'visible', timeout: timeoutMs }),
    hidden: () => locator.waitFor({ state: 'hidden', timeout: timeoutMs }),
    text: (expected: string | RegExp) =>
      eventually(async () => {
        // biome-ignore lint/performance/useDomNodeTextContent: Playwright's locator method; the rendered text, as a person reads it
        const text = await locator.innerText({ timeout: 1000 });
        if (typeof expected === 'string') expect(text).toContain(expected);
        else expect(text).toMatch(expected);
      }, timeoutMs),
    exactText: (expected: string) =>
      // biome-ignore lint/performance/useDomNodeTextContent: Playwright's locator method; the rendered text, as a person reads it
      eventually(async () => expect((await locator.innerText({ timeout: 1000 })).trim()).toBe(expected), timeoutMs),
    value: (expected: string | RegExp) =>
      eventually(async () => {
        const value = await locator.inputValue({ timeout: 1000 });
        if (typeof expected === 'string') expect(value).toBe(expected);
        else expect(value).toMatch(expected);
      }, timeoutMs),
    count: (expected: number) => eventually(async () => expect(await locator.count()).toBe(expected), timeoutMs),
    disabled: () => eventually(async () => expect(await locator.isDisabled({ timeout: 1000 })).toBe(true), timeoutMs),
  };
}
