/**
 * PSNR and SSIM on luma for super-resolution benchmarks: the JavaScript twin of
 * training/avatargan/quality.py (same constants, same valid-region SSIM), so figures from
 * `python -m avatargan bench sr` and scripts/bench-sr.mjs compare directly.
 */

const SSIM_WINDOW = 11;
const SSIM_SIGMA = 1.5;

/** uint8 RGB, HWC (one image) -> Float64Array of BT.601 luma in [16, 235]. */
export function luma(rgb, width, height) {
  const y = new Float64Array(width * height);
  for (let p = 0; p < y.length; p++) {
    y[p] = 16 + (65.481 * rgb[p * 3] + 128.553 * rgb[p * 3 + 1] + 24.966 * rgb[p * 3 + 2]) / 255;
  }
  return y;
}

export function psnrY(a, b, width, height) {
  const ya = luma(a, width, height);
  const yb = luma(b, width, height);
  let sum = 0;
  for (let i = 0; i < ya.length; i++) sum += (ya[i] - yb[i]) ** 2;
  return 10 * Math.log10((255 * 255) / Math.max(sum / ya.length, 1e-10));
}

function gaussianWindow() {
  const g = new Float64Array(SSIM_WINDOW);
  let total = 0;
  for (let i = 0; i < SSIM_WINDOW; i++) {
    const x = i - (SSIM_WINDOW - 1) / 2;
    g[i] = Math.exp(-(x * x) / (2 * SSIM_SIGMA * SSIM_SIGMA));
    total += g[i];
  }
  return g.map((v) => v / total);
}

/** Separable 'valid' filtering of one H x W plane: returns [(H-k+1) x (W-k+1)]. */
function filterValid(plane, width, height, g) {
  const k = g.length;
  const rowsOut = height - k + 1;
  const colsOut = width - k + 1;
  const vertical = new Float64Array(rowsOut * width);
  for (let y = 0; y < rowsOut; y++) {
    for (let x = 0; x < width; x++) {
      let s = 0;
      for (let i = 0; i < k; i++) s += g[i] * plane[(y + i) * width + x];
      vertical[y * width + x] = s;
    }
  }
  const out = new Float64Array(rowsOut * colsOut);
  for (let y = 0; y < rowsOut; y++) {
    for (let x = 0; x < colsOut; x++) {
      let s = 0;
      for (let i = 0; i < k; i++) s += g[i] * vertical[y * width + x + i];
      out[y * colsOut + x] = s;
    }
  }
  return out;
}

export function ssimY(a, b, width, height) {
  const x = luma(a, width, height);
  const y = luma(b, width, height);
  const g = gaussianWindow();
  const product = (p, q) => p.map((v, i) => v * q[i]);
  const mx = filterValid(x, width, height, g);
  const my = filterValid(y, width, height, g);
  const xx = filterValid(product(x, x), width, height, g);
  const yy = filterValid(product(y, y), width, height, g);
  const xy = filterValid(product(x, y), width, height, g);
  const c1 = (0.01 * 255) ** 2;
  const c2 = (0.03 * 255) ** 2;
  let total = 0;
  for (let i = 0; i < mx.length; i++) {
    const sxx = xx[i] - mx[i] * mx[i];
    const syy = yy[i] - my[i] * my[i];
    const sxy = xy[i] - mx[i] * my[i];
    total += ((2 * mx[i] * my[i] + c1) * (2 * sxy + c2)) / ((mx[i] * mx[i] + my[i] * my[i] + c1) * (sxx + syy + c2));
  }
  return total / mx.length;
}
