/**
 * Reader for the exported model format: <folder>/model.json + binary shards.
 *
 * Mirrors training/avatargan/export.py (read_model, check_meta, check_tensors) and applies the
 * same checks, in the same order, with messages that name the problem: format, version and kind
 * first, then the caller's expected tensors (derived from `config`, before any shard is
 * downloaded), then shard sizes, then the sha256 of the shards where the platform can hash.
 * Shards are concatenated before decoding because a tensor may straddle two shards.
 *
 * Loading goes through a small ModelIO so the same code reads over fetch in the browser
 * (fetchIO, the default) and from the filesystem in Node (lib/gan/fileIO.ts).
 */

export const MODEL_FORMAT = "avatargan";
export const MODEL_VERSION = 1;
export const MODEL_KINDS = ["generator", "upscaler", "tagger"] as const;
export type ModelKind = (typeof MODEL_KINDS)[number];

/** One tensor of the tf.js weightsManifest; float16 storage is `quantization: {dtype: "float16"}`. */
export interface WeightSpec {
  name: string;
  shape: number[];
  dtype: "float32";
  quantization?: { dtype: "float16"; original_dtype?: string };
}

export interface WeightsManifestGroup {
  paths: string[];
  weights: WeightSpec[];
}

export interface ModelMeta {
  format: typeof MODEL_FORMAT;
  version: typeof MODEL_VERSION;
  kind: ModelKind;
  name: string;
  /** Every size the network needs; each model kind parses its own. */
  config: Record<string, unknown>;
  /** The tag vocabulary JSON (generator and tagger), else null. */
  tags: unknown;
  training: Record<string, unknown>;
  sha256?: string;
  weightsManifest: WeightsManifestGroup[];
}

/** A decoded tensor: float32 values in the stored (PyTorch) layout. */
export interface RawTensor {
  readonly name: string;
  readonly shape: readonly number[];
  readonly values: Float32Array;
}

export interface ModelFile {
  readonly url: string;
  readonly meta: ModelMeta;
  readonly tensors: ReadonlyMap<string, RawTensor>;
  /** Bytes of all shards together. */
  readonly byteLength: number;
}

export interface LoadProgress {
  loaded: number;
  total: number;
}

/** Where model files come from: fetch in the browser, the filesystem in Node tests. */
export interface ModelIO {
  readText(url: string): Promise<string>;
  /** The whole file; `onBytes(loadedSoFar)` may be called as chunks arrive. */
  readBytes(url: string, onBytes?: (loaded: number) => void): Promise<ArrayBuffer>;
}

/** A model.json or its shards are unusable; the message names the file and the problem. */
export class ModelFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ModelFileError";
  }
}

export interface LoadModelOptions {
  io?: ModelIO;
  /** Reject a model of another kind. */
  kind?: ModelKind;
  /** Tensor name -> shape the model must hold exactly (no more, no fewer), from its meta. */
  expectedShapes?: (meta: ModelMeta) => ReadonlyMap<string, readonly number[]>;
  onProgress?: (progress: LoadProgress) => void;
}

/** `url` names model.json or the folder that holds it. */
export function modelJsonUrl(url: string): string {
  return url.endsWith(".json") ? url : `${url.replace(/\/+$/, "")}/model.json`;
}

/** A shard path from the manifest, relative to model.json's folder. */
/** No model this project makes comes near 1 GiB (the shipped ones are 0.2-2.4 MB); a manifest asking more is refused. */
const MAX_MODEL_BYTES = 2 ** 30;

export function resolveShardUrl(jsonUrl: string, shard: string): string {
  return jsonUrl.slice(0, jsonUrl.lastIndexOf("/") + 1) + shard;
}

/** Fetch, validate and decode a model. Throws ModelFileError naming the problem. */
export async function loadModelFile(url: string, options: LoadModelOptions = {}): Promise<ModelFile> {
  const io = options.io ?? fetchIO;
  const jsonUrl = modelJsonUrl(url);
  let text: string;
  try {
    text = await io.readText(jsonUrl);
  } catch (err) {
    throw new ModelFileError(`${jsonUrl}: cannot read model.json (${errorText(err)}); export a model with \`python -m avatargan export\``);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new ModelFileError(`${jsonUrl}: not valid JSON (${errorText(err)})`);
  }
  const meta = checkMeta(parsed, jsonUrl, options.kind);
  const specs = meta.weightsManifest.flatMap((group) => group.weights);
  if (options.expectedShapes) checkTensorSpecs(specs, options.expectedShapes(meta), jsonUrl);

  const total = specs.reduce((sum, spec) => sum + storedBytes(spec), 0);
  if (total > MAX_MODEL_BYTES) {
    throw new ModelFileError(`${jsonUrl}: the manifest describes more than ${MAX_MODEL_BYTES / 2 ** 20} MiB of weights; refusing to read it`);
  }
  const data = await readShards(io, jsonUrl, meta, total, options.onProgress);
  // Sizes first (a truncated download says so), then the bytes (sha256), then the values (finite).
  checkSize(data, specs, total, jsonUrl);
  if (typeof meta.sha256 === "string") await checkSha256(data, meta.sha256, jsonUrl);
  const tensors = decodeTensors(data, specs, jsonUrl);
  return { url: jsonUrl, meta, tensors, byteLength: data.byteLength };
}

/** Validate the header of model.json (as Python's check_meta) and the manifest's specs. */
export function checkMeta(meta: unknown, where: string, kind?: ModelKind): ModelMeta {
  if (!isRecord(meta)) throw new ModelFileError(`${where}: model.json must be a JSON object`);
  if (meta.format !== MODEL_FORMAT) {
    throw new ModelFileError(`${where}: format is ${show(meta.format)}, expected '${MODEL_FORMAT}'`);
  }
  if (meta.version !== MODEL_VERSION) {
    throw new ModelFileError(`${where}: version ${show(meta.version)} is not supported (this reader knows ${MODEL_VERSION})`);
  }
  if (!MODEL_KINDS.includes(meta.kind as ModelKind)) {
    throw new ModelFileError(`${where}: kind ${show(meta.kind)} is not one of ${MODEL_KINDS.join(", ")}`);
  }
  if (kind !== undefined && meta.kind !== kind) {
    throw new ModelFileError(`${where}: is a ${String(meta.kind)} model, expected a ${kind}`);
  }
  if (!isRecord(meta.config)) throw new ModelFileError(`${where}: config is missing`);
  const manifest = meta.weightsManifest;
  if (!Array.isArray(manifest) || !manifest.every((g) => isRecord(g) && Array.isArray(g.paths) && Array.isArray(g.weights))) {
    throw new ModelFileError(`${where}: weightsManifest is missing or not in the tf.js layout`);
  }
  const seen = new Set<string>();
  for (const group of manifest as { paths: unknown[]; weights: unknown[] }[]) {
    const bad = group.paths.find((p) => !isShardFileName(p));
    if (bad !== undefined) {
      throw new ModelFileError(`${where}: shard path ${show(bad)} must be a file name inside the model folder`);
    }
    group.weights.forEach((spec) => {
      checkSpec(spec, where);
      if (seen.has(spec.name)) throw new ModelFileError(`${where}: tensor '${spec.name}' appears twice in the manifest`);
      seen.add(spec.name);
    });
  }
  return {
    ...(meta as unknown as ModelMeta),
    name: typeof meta.name === "string" ? meta.name : String(meta.kind),
    training: isRecord(meta.training) ? meta.training : {},
    tags: meta.tags ?? null,
  };
}

/** A shard is named by a plain file name beside model.json: no folder, no '..', no URL, no absolute path. */
function isShardFileName(path: unknown): boolean {
  return typeof path === "string" && path !== "" && path.length <= 255 && !/[\\/:?#%]/.test(path) && path !== "." && path !== "..";
}

function checkSpec(spec: unknown, where: string): asserts spec is WeightSpec {
  if (!isRecord(spec) || typeof spec.name !== "string") {
    throw new ModelFileError(`${where}: weightsManifest has an entry without a tensor name`);
  }
  const name = spec.name;
  if (!Array.isArray(spec.shape) || spec.shape.length > 8 ||
      !spec.shape.every((d) => Number.isInteger(d) && (d as number) >= 0 && (d as number) < 2 ** 31)) {
    throw new ModelFileError(`${where}: tensor '${name}' has shape ${show(spec.shape)}, which is not a list of at most 8 sizes`);
  }
  if (spec.dtype !== "float32") {
    throw new ModelFileError(`${where}: tensor '${name}' has dtype ${show(spec.dtype)}; this reader knows float32 (optionally stored as float16)`);
  }
  const q = spec.quantization;
  if ("quantization" in spec && !(isRecord(q) && q.dtype === "float16")) {
    throw new ModelFileError(
      `${where}: tensor '${name}' has quantization ${show(q)}; leave it out (float32 storage) or write {dtype: 'float16'}`,
    );
  }
}

/** Every expected tensor present with its shape and nothing unexpected (as Python's check_tensors). */
export function checkTensorSpecs(specs: readonly { name: string; shape: readonly number[] }[],
                                 expected: ReadonlyMap<string, readonly number[]>, where: string): void {
  const byName = new Map(specs.map((s) => [s.name, s]));
  for (const [name, shape] of expected) {
    const spec = byName.get(name);
    if (!spec) throw new ModelFileError(`${where}: tensor '${name}' is missing`);
    if (!sameShape(spec.shape, shape)) {
      throw new ModelFileError(`${where}: tensor '${name}' has shape ${formatShape(spec.shape)}, expected ${formatShape(shape)}`);
    }
  }
  const extra = specs.map((s) => s.name).filter((name) => !expected.has(name)).sort();
  if (extra.length) throw new ModelFileError(`${where}: unexpected tensors ${extra.join(", ")}`);
}

export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(", ")}]`;
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

function isFloat16(spec: WeightSpec): boolean {
  return spec.quantization?.dtype === "float16";
}

function storedBytes(spec: WeightSpec): number {
  return spec.shape.reduce((n, d) => n * d, 1) * (isFloat16(spec) ? 2 : 4);
}

async function readShards(io: ModelIO, jsonUrl: string, meta: ModelMeta, total: number,
                          onProgress?: (p: LoadProgress) => void): Promise<Uint8Array<ArrayBuffer>> {
  const paths = meta.weightsManifest.flatMap((group) => group.paths);
  const loaded = paths.map(() => 0);
  const report = () => onProgress?.({ loaded: Math.min(loaded.reduce((a, b) => a + b, 0), total), total });
  report();
  const buffers = await Promise.all(paths.map(async (path, i) => {
    const url = resolveShardUrl(jsonUrl, path);
    try {
      const buffer = await io.readBytes(url, (bytes) => {
        loaded[i] = bytes;
        report();
      });
      loaded[i] = buffer.byteLength;
      report();
      return buffer;
    } catch (err) {
      throw new ModelFileError(`${jsonUrl}: weight shard ${path} is missing or unreadable (${errorText(err)})`);
    }
  }));
  const data = new Uint8Array(buffers.reduce((n, b) => n + b.byteLength, 0));
  let offset = 0;
  for (const buffer of buffers) {
    data.set(new Uint8Array(buffer), offset);
    offset += buffer.byteLength;
  }
  return data;
}

function checkSize(data: Uint8Array, specs: readonly WeightSpec[], total: number, where: string): void {
  if (data.byteLength > total) {
    throw new ModelFileError(`${where}: shards hold ${data.byteLength - total} bytes more than the manifest describes`);
  }
  let offset = 0;
  for (const spec of specs) {
    offset += storedBytes(spec);
    if (offset > data.byteLength) {
      throw new ModelFileError(`${where}: shards end before tensor '${spec.name}' (${data.byteLength} bytes, the manifest describes more; truncated download?)`);
    }
  }
}

function decodeTensors(data: Uint8Array, specs: readonly WeightSpec[], where: string): Map<string, RawTensor> {
  const tensors = new Map<string, RawTensor>();
  let offset = 0;
  for (const spec of specs) {
    const size = storedBytes(spec);
    if (offset + size > data.byteLength) {
      throw new ModelFileError(`${where}: shards end before tensor '${spec.name}' (${data.byteLength} bytes, the manifest describes more; truncated download?)`);
    }
    const bytes = data.slice(offset, offset + size); // a copy, so the typed view below is aligned
    const values = isFloat16(spec) ? float16ToFloat32(new Uint16Array(bytes.buffer)) : new Float32Array(bytes.buffer);
    const bad = countNonFinite(values);
    if (bad > 0) {
      throw new ModelFileError(`${where}: tensor '${spec.name}' holds ${bad} values that are NaN or infinite: the weights are corrupt; export or download the model again`);
    }
    tensors.set(spec.name, { name: spec.name, shape: [...spec.shape], values });
    offset += size;
  }
  if (offset !== data.byteLength) {
    throw new ModelFileError(`${where}: shards hold ${data.byteLength - offset} bytes more than the manifest describes`);
  }
  return tensors;
}

function countNonFinite(values: Float32Array): number {
  let bad = 0;
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) bad++;
  return bad;
}

/** IEEE half -> single, exact (subnormals, infinities and NaN included). Shards are little-endian, as is every browser. */
export function float16ToFloat32(halves: Uint16Array): Float32Array {
  const out = new Float32Array(halves.length);
  for (let i = 0; i < halves.length; i++) {
    const h = halves[i];
    const sign = h & 0x8000 ? -1 : 1;
    const exponent = (h >> 10) & 0x1f;
    const fraction = h & 0x3ff;
    if (exponent === 0) out[i] = sign * fraction * 2 ** -24;
    else if (exponent === 31) out[i] = fraction ? Number.NaN : sign * Infinity;
    else out[i] = sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
  }
  return out;
}

async function checkSha256(data: Uint8Array<ArrayBuffer>, expected: string, where: string): Promise<void> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) return; // plain-http pages off localhost have no SubtleCrypto; sizes were still checked
  const digest = new Uint8Array(await subtle.digest("SHA-256", data));
  const hex = Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
  if (hex !== expected.toLowerCase()) {
    throw new ModelFileError(`${where}: shards do not match the sha256 in model.json (corrupted or stale download?); clear the cache and reload`);
  }
}

/** The browser's ModelIO: fetch, with progress from the response stream. */
export const fetchIO: ModelIO = {
  async readText(url) {
    const response = await fetchOk(url);
    return response.text();
  },
  async readBytes(url, onBytes) {
    const response = await fetchOk(url);
    if (!response.body || !onBytes) return response.arrayBuffer();
    const reader = response.body.getReader();
    const chunks: Uint8Array[] = [];
    let loaded = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      loaded += value.byteLength;
      onBytes(loaded);
    }
    const out = new Uint8Array(loaded);
    let offset = 0;
    for (const chunk of chunks) {
      out.set(chunk, offset);
      offset += chunk.byteLength;
    }
    return out.buffer;
  },
};

async function fetchOk(url: string): Promise<Response> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`HTTP ${response.status} ${response.statusText}`.trim());
  return response;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function show(value: unknown): string {
  return value === undefined ? "missing" : JSON.stringify(value);
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
