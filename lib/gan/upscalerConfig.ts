/**
 * The upscaler's config, read from model.json, and the tensors it implies.
 *
 * Mirrors UpscalerConfig in training/avatargan/networks/upscaler.py: same fields, same
 * defaults, unknown fields rejected (plus `radius`, which the exporter writes for readers).
 * Conv weights are stored as tf.js HWIO, so they load without transposing.
 */

import type { UpscaleSettings } from "@/lib/recipe/recipe";

export interface UpscalerConfig {
  /** One pass multiplies width and height by this (x4 = two passes). */
  scale: number;
  channels: number;
  body_layers: number;
  negative_slope: number;
  /** The degradation level the net was trained to clean (0 = mild JPEG noise). */
  denoise: number;
}

export const DEFAULT_UPSCALER_CONFIG: Readonly<UpscalerConfig> = Object.freeze({
  scale: 2,
  channels: 40,
  body_layers: 7,
  negative_slope: 0.1,
  denoise: 0,
});

/** Input pixels each output pixel depends on, per side (one per 3x3 conv: stem, body, tail). */
export function receptiveRadius(config: UpscalerConfig): number {
  return config.body_layers + 2;
}

export function parseUpscalerConfig(data: Record<string, unknown>, where = "upscaler config"): UpscalerConfig {
  const known = Object.keys(DEFAULT_UPSCALER_CONFIG);
  const unknown = Object.keys(data).filter((k) => !known.includes(k) && k !== "radius").sort();
  if (unknown.length) throw new Error(`${where}: upscaler config has unknown fields: ${unknown.join(", ")}`);
  const config = { ...DEFAULT_UPSCALER_CONFIG } as UpscalerConfig;
  for (const key of known as (keyof UpscalerConfig)[]) {
    if (!(key in data)) continue;
    const value = data[key];
    const real = key === "negative_slope";
    const minimum = key === "denoise" || key === "body_layers" ? 0 : 1;
    const ok = typeof value === "number" && Number.isFinite(value) &&
      (real ? value >= 0 && value < 1 : Number.isInteger(value) && value >= minimum);
    if (!ok) {
      throw new Error(`${where}: config.${key} is ${JSON.stringify(value)}, expected ${real ? "a number in [0, 1)" : `an integer >= ${minimum}`}`);
    }
    config[key] = value as number;
  }
  if (config.scale !== 2) throw new Error(`${where}: config.scale is ${config.scale}; this reader runs x2 passes only`);
  if ("radius" in data && data.radius !== receptiveRadius(config)) {
    throw new Error(`${where}: config.radius is ${JSON.stringify(data.radius)} but body_layers=${config.body_layers} implies ${receptiveRadius(config)}`);
  }
  return config;
}

/** Tensor name -> HWIO / bias shape, as training/avatargan/networks/upscaler.py expected_shapes. */
export function expectedUpscalerShapes(config: UpscalerConfig): Map<string, number[]> {
  const { channels: ch, scale } = config;
  const shapes = new Map<string, number[]>([
    ["stem.weight", [3, 3, 3, ch]],
    ["stem.bias", [ch]],
  ]);
  for (let i = 0; i < config.body_layers; i++) {
    shapes.set(`body.${i}.weight`, [3, 3, ch, ch]);
    shapes.set(`body.${i}.bias`, [ch]);
  }
  shapes.set("tail.weight", [3, 3, ch, 3 * scale * scale]);
  shapes.set("tail.bias", [3 * scale * scale]);
  return shapes;
}

export const UPSCALE_FACTORS = [2, 4] as const;

/** What an upscaler can run: its denoise levels and the largest output it may produce. */
export interface UpscaleLimits {
  denoiseLevels: readonly number[];
  maxOutputPixels: number;
}

/**
 * Why `settings` cannot run on a width x height input under `limits`, or null when they can.
 * Plain data, no tf.js: the page asks it of an upscaler loaded in the engine's worker.
 */
export function upscaleRefusal(width: number, height: number, settings: UpscaleSettings, limits: UpscaleLimits): string | null {
  if (!UPSCALE_FACTORS.includes(settings.factor)) {
    return `upscale factor ${String(settings.factor)} is not supported; choose ${UPSCALE_FACTORS.join(" or ")}`;
  }
  const levels = limits.denoiseLevels;
  if (!levels.includes(settings.denoise)) {
    return `denoise level ${settings.denoise} is not available in this upscaler (it has ${levels.join(", ")})`;
  }
  const outWidth = width * settings.factor;
  const outHeight = height * settings.factor;
  if (outWidth * outHeight > limits.maxOutputPixels) {
    const side = Math.floor(Math.sqrt(limits.maxOutputPixels));
    return `upscaling ${width}x${height} by x${settings.factor} would make ${outWidth}x${outHeight} = ` +
      `${outWidth * outHeight} pixels, over the limit of ${limits.maxOutputPixels} pixels (about ${side}x${side}); ` +
      `use a smaller factor or a smaller image`;
  }
  return null;
}
