/** The plain-avatar parity cases PyTorch wrote beside a fixture model (export --fixtures). */
import { readFileSync } from "node:fs";

export interface ParityCase {
  seed: number;
  tags: string[];
  psi: number;
  /** The condition vector Python encoded from `tags`. */
  c: number[];
  /** PyTorch's float output, NHWC. */
  image_nhwc: number[];
  uint8_nhwc: number[];
}

export function readParityCases(folder: string): ParityCase[] {
  return (JSON.parse(readFileSync(`${folder}/parity.json`, "utf8")) as { cases: ParityCase[] }).cases;
}
