import type { TestProject } from "vitest/node";
import { assertChromium } from "./chromium";
import { startStack } from "./stack";

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
  }
}

/** Starts the local stack once for every browser test; fails the run (never skips) without Chromium. */
export default async function setup(project: TestProject) {
  assertChromium();
  const stack = await startStack();
  project.provide("baseUrl", stack.url);
  return async () => {
    await stack.stop();
  };
}
