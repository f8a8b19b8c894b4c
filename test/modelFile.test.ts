/** The model reader rejects broken exports with messages that name the problem. */
import { createHash } from "node:crypto";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { fileIO } from "@/lib/gan/fileIO";
import { AvatarGenerator } from "@/lib/gan/generator";
import { expectedGeneratorShapes, parseGeneratorConfig } from "@/lib/gan/generatorConfig";
import { float16ToFloat32, loadModelFile, ModelFileError, type WeightSpec } from "@/lib/gan/modelFile";
import { useCpuBackend } from "./helpers/tf";

type Json = Record<string, unknown> & { weightsManifest: { paths: string[]; weights: WeightSpec[] }[] };

let dir = "";
const modelPath = () => join(dir, "model.json");
const shardPath = () => join(dir, "group1-shard1of1.bin");
const readMeta = () => JSON.parse(readFileSync(modelPath(), "utf8")) as Json;
const writeMeta = (meta: unknown) => writeFileSync(modelPath(), JSON.stringify(meta));
const load = () => new AvatarGenerator(dir, fileIO).load();

function specBytes(spec: WeightSpec): number {
  return spec.shape.reduce((n, d) => n * d, 1) * (spec.quantization ? 2 : 4);
}

/** Drop one tensor from manifest and shard (keeping sizes and sha256 consistent). */
function removeTensor(name: string): void {
  const meta = readMeta();
  const data = readFileSync(shardPath());
  const specs = meta.weightsManifest[0].weights;
  let offset = 0;
  for (const spec of specs) {
    if (spec.name === name) break;
    offset += specBytes(spec);
  }
  const index = specs.findIndex((s) => s.name === name);
  const kept = Buffer.concat([data.subarray(0, offset), data.subarray(offset + specBytes(specs[index]))]);
  specs.splice(index, 1);
  meta.sha256 = createHash("sha256").update(kept).digest("hex");
  writeFileSync(shardPath(), kept);
  writeMeta(meta);
}

beforeAll(useCpuBackend);
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "avatargan-model-"));
  cpSync("test/fixtures/tiny-generator", dir, { recursive: true });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("model.json checks", () => {
  it("loads the intact copy", async () => {
    const file = await loadModelFile(dir, { io: fileIO, kind: "generator" });
    expect(file.meta.name).toBe("tiny-generator");
    expect(file.tensors.get("synthesis.b8.conv0.weight")?.shape).toEqual([16, 16, 3, 3]);
  });

  it("wrong format", async () => {
    writeMeta({ ...readMeta(), format: "keras" });
    await expect(load()).rejects.toThrow(/model\.json: format is "keras", expected 'avatargan'/);
  });

  it("wrong version", async () => {
    writeMeta({ ...readMeta(), version: 2 });
    await expect(load()).rejects.toThrow(/version 2 is not supported \(this reader knows 1\)/);
  });

  it("wrong kind", async () => {
    writeMeta({ ...readMeta(), kind: "upscaler" });
    await expect(load()).rejects.toThrow(/is a upscaler model, expected a generator/);
  });

  it("missing config", async () => {
    const { config: _dropped, ...meta } = readMeta();
    writeMeta(meta);
    await expect(load()).rejects.toThrow(/config is missing/);
  });

  it("unknown config field", async () => {
    const meta = readMeta();
    writeMeta({ ...meta, config: { ...(meta.config as object), depth: 3 } });
    await expect(load()).rejects.toThrow(/unknown fields: depth/);
  });

  it("not JSON", async () => {
    writeFileSync(modelPath(), "{ nope");
    await expect(load()).rejects.toThrow(/not valid JSON/);
  });

  it("no model.json", async () => {
    rmSync(modelPath());
    await expect(load()).rejects.toThrow(/cannot read model\.json/);
  });
});

describe("tensor checks", () => {
  it("missing tensor", async () => {
    removeTensor("synthesis.b8.conv1.noise_const");
    await expect(load()).rejects.toThrow("tensor 'synthesis.b8.conv1.noise_const' is missing");
  });

  it("misshaped tensor (same byte count)", async () => {
    const meta = readMeta();
    meta.weightsManifest[0].weights.find((s) => s.name === "synthesis.b8.conv0.weight")!.shape = [16, 16, 9, 1];
    writeMeta(meta);
    await expect(load()).rejects.toThrow("tensor 'synthesis.b8.conv0.weight' has shape [16, 16, 9, 1], expected [16, 16, 3, 3]");
  });

  it("unexpected tensor", async () => {
    const meta = readMeta();
    meta.weightsManifest[0].weights.push({ name: "synthesis.b32.const", shape: [2], dtype: "float32" });
    writeMeta(meta);
    await expect(load()).rejects.toThrow("unexpected tensors synthesis.b32.const");
  });

  it("unsupported dtype", async () => {
    const meta = readMeta();
    (meta.weightsManifest[0].weights[0] as unknown as { dtype: string }).dtype = "int32";
    writeMeta(meta);
    await expect(load()).rejects.toThrow(`tensor 'mapping.w_avg' has dtype "int32"`);
  });

  it("truncated shard", async () => {
    const data = readFileSync(shardPath());
    writeFileSync(shardPath(), data.subarray(0, data.length - 100));
    await expect(load()).rejects.toThrow(/shards end before tensor 'synthesis\.b16\.torgb\.affine\.weight' .*truncated download/);
  });

  it("missing shard", async () => {
    rmSync(shardPath());
    await expect(load()).rejects.toThrow(/weight shard group1-shard1of1\.bin is missing or unreadable/);
  });

  it("extra bytes", async () => {
    writeFileSync(shardPath(), Buffer.concat([readFileSync(shardPath()), Buffer.alloc(8)]));
    await expect(load()).rejects.toThrow("shards hold 8 bytes more than the manifest describes");
  });

  it("corrupted bytes fail the sha256", async () => {
    const data = readFileSync(shardPath());
    data[100] ^= 0xff;
    writeFileSync(shardPath(), data);
    await expect(load()).rejects.toThrow(/do not match the sha256/);
  });

  it("errors are ModelFileErrors and a failed load leaks nothing", async () => {
    const before = tf.memory().numTensors;
    removeTensor("mapping.fc1.bias");
    await expect(load()).rejects.toBeInstanceOf(ModelFileError);
    expect(tf.memory().numTensors).toBe(before);
  });

  // Hostile files (issue 17): each loaded, read outside the folder, or was misreported before.
  it("NaN weights without a sha256 are refused, not rendered black", async () => {
    const meta = readMeta();
    delete meta.sha256;
    writeMeta(meta);
    const data = readFileSync(shardPath());
    data.writeFloatLE(NaN, 0);
    data.writeFloatLE(Infinity, 4);
    writeFileSync(shardPath(), data);
    await expect(load()).rejects.toThrow("tensor 'mapping.w_avg' holds 2 values that are NaN or infinite");
  });

  it("quantization null is named, not reported as a truncated download", async () => {
    const meta = readMeta();
    (meta.weightsManifest[0].weights[0] as unknown as { quantization: null }).quantization = null;
    writeMeta(meta);
    await expect(load()).rejects.toThrow("has quantization null; leave it out");
  });

  it.each(["../../../../etc/passwd", "/etc/passwd", "sub/shard.bin", "http://example.com/x.bin", ".."])(
    "shard path %s stays inside the model folder",
    async (shard) => {
      const meta = readMeta();
      meta.weightsManifest[0].paths = [shard];
      writeMeta(meta);
      await expect(load()).rejects.toThrow("must be a file name inside the model folder");
    },
  );

  it("a manifest describing gigabytes is refused before any shard is read", async () => {
    const meta = readMeta();
    meta.weightsManifest[0].weights.push({ name: "huge", shape: [2 ** 20, 2 ** 20], dtype: "float32" } as WeightSpec);
    writeMeta(meta);
    await expect(loadModelFile(dir, { io: fileIO, kind: "generator" })).rejects.toThrow("more than 1024 MiB");
  });

  it("a tensor may straddle two shards", async () => {
    const meta = readMeta();
    const data = readFileSync(shardPath());
    writeFileSync(join(dir, "a.bin"), data.subarray(0, 1001));
    writeFileSync(join(dir, "b.bin"), data.subarray(1001));
    meta.weightsManifest[0].paths = ["a.bin", "b.bin"];
    writeMeta(meta);
    const progress: number[] = [];
    const file = await loadModelFile(modelPath(), { io: fileIO, onProgress: (p) => progress.push(p.loaded / p.total) });
    const whole = await loadModelFile("test/fixtures/tiny-generator", { io: fileIO });
    for (const [name, t] of whole.tensors) expect(file.tensors.get(name)?.values).toEqual(t.values);
    expect(progress[0]).toBe(0);
    expect(progress.at(-1)).toBe(1);
  });
});

describe("decoding", () => {
  it("float16 values, including subnormals and infinities", () => {
    const halves = new Uint16Array([0x3c00, 0xc000, 0x0001, 0x7bff, 0x7c00, 0x8000, 0x3555]);
    expect(Array.from(float16ToFloat32(halves))).toEqual([1, -2, 2 ** -24, 65504, Infinity, -0, Math.fround(0.333251953125)]);
  });

  it("float16 export decodes within half precision of the float32 export", async () => {
    const f32 = await loadModelFile("test/fixtures/tiny-generator", { io: fileIO });
    const f16 = await loadModelFile("test/fixtures/tiny-generator-f16", { io: fileIO });
    expect(f16.byteLength * 2).toBe(f32.byteLength);
    for (const [name, t] of f32.tensors) {
      const half = f16.tensors.get(name)!.values;
      t.values.forEach((v, i) => expect(Math.abs(half[i] - v)).toBeLessThanOrEqual(Math.abs(v) * 2 ** -11 + 2 ** -25));
    }
  });

  it("expected shapes follow the config", () => {
    const meta = JSON.parse(readFileSync("test/fixtures/tiny-generator/model.json", "utf8")) as Json;
    const shapes = expectedGeneratorShapes(parseGeneratorConfig(meta.config as Record<string, unknown>));
    const manifest = meta.weightsManifest[0].weights;
    expect(new Map(manifest.map((s) => [s.name, s.shape]))).toEqual(shapes);
  });
});
