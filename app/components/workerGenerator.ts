/**
 * In a worker (the render worker, Find my character's): start the backend the page chose, and
 * no other, since the worker's pixels must be the page's, then load the generator on it.
 */

import { chooseBackend, type BackendName } from "@/lib/gan/backend";
import { AvatarGenerator } from "@/lib/gan/generator";

export async function loadGeneratorOn(backend: string, modelUrl: string): Promise<AvatarGenerator> {
  const report = await chooseBackend(backend as BackendName);
  if (report.name !== backend) throw new Error(`the ${backend} backend did not start in a worker (it got ${report.name})`);
  const generator = new AvatarGenerator(modelUrl);
  await generator.load();
  return generator;
}
