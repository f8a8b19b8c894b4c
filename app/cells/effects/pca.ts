/**
 * Principal component analysis of a few hundred w vectors, for the 2-D map of the latent
 * space. Eigenvectors of the covariance by power iteration with deflation: deterministic (fixed
 * start vector), no dependency, and plenty for the top 2-3 components of a 256-d cloud.
 * Each component's sign is fixed so its largest-magnitude entry is positive, so the picture
 * does not flip between runs or machines.
 */

export interface PcaResult {
  /** Per-dimension mean [d]. */
  mean: Float64Array;
  /** Unit components, [k][d], by decreasing variance. */
  components: Float64Array[];
  /** Variance along each component (eigenvalues of the covariance, divided by n - 1). */
  variances: number[];
  /** Fraction of the total variance each component explains. */
  explained: number[];
  /** Projected rows [n][k]. */
  projections: number[][];
}

/** `rows` is n vectors of length d (n >= 2). */
export function pca(rows: readonly ArrayLike<number>[], k = 2, iterations = 500, tolerance = 1e-10): PcaResult {
  const n = rows.length;
  if (n < 2) throw new Error(`pca needs at least 2 vectors, got ${n}`);
  const d = rows[0].length;
  if (rows.some((r) => r.length !== d)) throw new Error("pca: vectors have different lengths");
  if (!Number.isInteger(k) || k < 1 || k > d) throw new RangeError(`pca: k must be in 1..${d}, got ${k}`);
  const mean = new Float64Array(d);
  for (const r of rows) for (let j = 0; j < d; j++) mean[j] += r[j] / n;
  const cov = covariance(rows, mean);
  let total = 0;
  for (let j = 0; j < d; j++) total += cov[j * d + j];
  const components: Float64Array[] = [];
  const variances: number[] = [];
  for (let c = 0; c < k; c++) {
    const { vector, value } = topEigenvector(cov, d, iterations, tolerance);
    fixSign(vector);
    components.push(vector);
    variances.push(Math.max(0, value));
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) cov[i * d + j] -= value * vector[i] * vector[j];
  }
  const projections = rows.map((r) =>
    components.map((v) => {
      let s = 0;
      for (let j = 0; j < d; j++) s += (r[j] - mean[j]) * v[j];
      return s;
    }),
  );
  return { mean, components, variances, explained: variances.map((v) => (total > 0 ? v / total : 0)), projections };
}

function covariance(rows: readonly ArrayLike<number>[], mean: Float64Array): Float64Array {
  const d = mean.length;
  const cov = new Float64Array(d * d);
  const centred = new Float64Array(d);
  for (const r of rows) {
    for (let j = 0; j < d; j++) centred[j] = r[j] - mean[j];
    for (let i = 0; i < d; i++) {
      const ci = centred[i];
      if (ci === 0) continue;
      for (let j = i; j < d; j++) cov[i * d + j] += ci * centred[j];
    }
  }
  const scale = 1 / (rows.length - 1);
  for (let i = 0; i < d; i++) {
    for (let j = i; j < d; j++) {
      cov[i * d + j] *= scale;
      cov[j * d + i] = cov[i * d + j];
    }
  }
  return cov;
}

/** Power iteration on a symmetric PSD matrix from a fixed, non-degenerate start vector. */
function topEigenvector(m: Float64Array, d: number, iterations: number, tolerance: number): { vector: Float64Array; value: number } {
  let v: Float64Array = new Float64Array(d).map((_, i) => 1 + i / d);
  normalise(v);
  let value = 0;
  for (let it = 0; it < iterations; it++) {
    const next = matVec(m, v, d);
    const length = normalise(next);
    if (length === 0) return { vector: v, value: 0 };
    let change = 0;
    for (let i = 0; i < d; i++) change = Math.max(change, Math.abs(next[i] - v[i]));
    v = next;
    value = length;
    if (change < tolerance) break;
  }
  const mv = matVec(m, v, d);
  value = 0;
  for (let i = 0; i < d; i++) value += v[i] * mv[i]; // Rayleigh quotient: exact for an eigenvector
  return { vector: v, value };
}

function matVec(m: Float64Array, v: Float64Array, d: number): Float64Array {
  const out = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += m[i * d + j] * v[j];
    out[i] = s;
  }
  return out;
}

function normalise(v: Float64Array): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * v[i];
  const length = Math.sqrt(s);
  if (length > 0) for (let i = 0; i < v.length; i++) v[i] /= length;
  return length;
}

function fixSign(v: Float64Array): void {
  let best = 0;
  for (let i = 1; i < v.length; i++) if (Math.abs(v[i]) > Math.abs(v[best])) best = i;
  if (v[best] < 0) for (let i = 0; i < v.length; i++) v[i] = -v[i];
}
