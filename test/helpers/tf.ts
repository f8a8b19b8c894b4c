/** Node tests run tf.js on the pure-JS CPU backend (tfjs-node cannot be installed here). */
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import { afterAll, beforeAll } from "vitest";
import { fileIO } from "@/lib/gan/fileIO";
import { AvatarGenerator } from "@/lib/gan/generator";

export async function useCpuBackend(): Promise<typeof tf> {
  tf.env().set("IS_TEST", true); // silences the "install tfjs-node" banner
  if (tf.getBackend() !== "cpu") {
    if (!(await tf.setBackend("cpu"))) throw new Error("the tf.js CPU backend failed to start");
  }
  await tf.ready();
  return tf;
}

/**
 * A generator loaded from `folder` before the suite's tests and disposed after them (which
 * frees its latent statistics too). Call at the top of a describe block or a file.
 */
export function loadedGenerator(folder = "test/fixtures/tiny-generator"): AvatarGenerator {
  const generator = new AvatarGenerator(folder, fileIO);
  beforeAll(async () => {
    await useCpuBackend();
    await generator.load();
  });
  afterAll(() => generator.dispose());
  return generator;
}
