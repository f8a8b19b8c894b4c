/**
 * The generator's config, read from model.json, and the tensors it implies.
 *
 * Mirrors GeneratorConfig in training/avatargan/networks/generator.py: same fields, same
 * defaults for absent fields, unknown fields rejected. expectedGeneratorShapes lists the
 * PyTorch state_dict keys and shapes the exported manifest must hold, so a model is checked
 * against its own config before any shard is downloaded.
 */

export interface GeneratorConfig {
  /** Output size: a power of two from 8 up (4x4 constant start). */
  resolution: number;
  /** Length of the tag vector c. */
  c_dim: number;
  z_dim: number;
  w_dim: number;
  /** Size of the tag embedding joined to z. */
  embed_dim: number;
  mapping_layers: number;
  /** Equalised-lr multiplier of the mapping MLP (not of embed, nor of affines). */
  mapping_lr_multiplier: number;
  /** Channels at resolution r: min(channel_base / r, channel_max), integer division. */
  channel_base: number;
  channel_max: number;
  img_channels: number;
  /** Training-only: decay of w_avg. Kept so the config round-trips. */
  w_avg_beta: number;
}

export const DEFAULT_GENERATOR_CONFIG: Readonly<GeneratorConfig> = Object.freeze({
  resolution: 64,
  c_dim: 22,
  z_dim: 128,
  w_dim: 256,
  embed_dim: 128,
  mapping_layers: 4,
  mapping_lr_multiplier: 0.01,
  channel_base: 8192,
  channel_max: 256,
  img_channels: 3,
  w_avg_beta: 0.995,
});

const REAL_FIELDS = new Set<keyof GeneratorConfig>(["mapping_lr_multiplier", "w_avg_beta"]);

/** Validate a config object from model.json; `where` names the file in errors. */
export function parseGeneratorConfig(data: Record<string, unknown>, where = "generator config"): GeneratorConfig {
  const known = Object.keys(DEFAULT_GENERATOR_CONFIG);
  const unknown = Object.keys(data).filter((k) => !known.includes(k)).sort();
  if (unknown.length) throw new Error(`${where}: generator config has unknown fields: ${unknown.join(", ")}`);
  const config = { ...DEFAULT_GENERATOR_CONFIG } as GeneratorConfig;
  for (const key of known as (keyof GeneratorConfig)[]) {
    if (!(key in data)) continue;
    const value = data[key];
    const ok = typeof value === "number" && Number.isFinite(value) && (REAL_FIELDS.has(key) ? value > 0 : Number.isInteger(value) && value >= 1);
    if (!ok) throw new Error(`${where}: config.${key} is ${JSON.stringify(value)}, expected a positive ${REAL_FIELDS.has(key) ? "number" : "integer"}`);
    config[key] = value as number;
  }
  const log2 = Math.log2(config.resolution);
  if (config.resolution < 8 || log2 !== Math.floor(log2)) {
    throw new Error(`${where}: resolution ${config.resolution} must be a power of two >= 8`);
  }
  return config;
}

export function channelsAt(config: GeneratorConfig, res: number): number {
  return Math.min(Math.floor(config.channel_base / res), config.channel_max);
}

/** 4, 8, ..., resolution. */
export function blockResolutions(config: GeneratorConfig): number[] {
  const out: number[] = [];
  for (let res = 4; res <= config.resolution; res *= 2) out.push(res);
  return out;
}

/** One w per convolution (1 at 4x4, 2 per later block) plus one for the last toRGB. */
export function numWs(config: GeneratorConfig): number {
  return 2 * blockResolutions(config).length;
}

/** State_dict key -> shape (PyTorch layouts: FC [out, in], conv [out, in, kh, kw]). */
export function expectedGeneratorShapes(config: GeneratorConfig): Map<string, number[]> {
  const shapes = new Map<string, number[]>();
  const fc = (prefix: string, inFeatures: number, outFeatures: number) => {
    shapes.set(`${prefix}.weight`, [outFeatures, inFeatures]);
    shapes.set(`${prefix}.bias`, [outFeatures]);
  };
  shapes.set("mapping.w_avg", [config.w_dim]);
  fc("mapping.embed", config.c_dim, config.embed_dim);
  for (let i = 0; i < config.mapping_layers; i++) {
    fc(`mapping.fc${i}`, i === 0 ? config.z_dim + config.embed_dim : config.w_dim, config.w_dim);
  }
  const modConv = (prefix: string, inCh: number, outCh: number, res: number) => {
    shapes.set(`${prefix}.weight`, [outCh, inCh, 3, 3]);
    shapes.set(`${prefix}.bias`, [outCh]);
    shapes.set(`${prefix}.noise_strength`, []);
    shapes.set(`${prefix}.noise_const`, [res, res]);
    fc(`${prefix}.affine`, config.w_dim, inCh);
  };
  for (const res of blockResolutions(config)) {
    const prefix = `synthesis.b${res}`;
    const outCh = channelsAt(config, res);
    if (res === 4) shapes.set(`${prefix}.const`, [outCh, 4, 4]);
    else modConv(`${prefix}.conv0`, channelsAt(config, res / 2), outCh, res);
    modConv(`${prefix}.conv1`, outCh, outCh, res);
    shapes.set(`${prefix}.torgb.weight`, [config.img_channels, outCh, 1, 1]);
    shapes.set(`${prefix}.torgb.bias`, [config.img_channels]);
    fc(`${prefix}.torgb.affine`, config.w_dim, outCh);
  }
  return shapes;
}
