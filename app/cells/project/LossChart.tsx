"use client";
/**
 * The projection's loss per step, on a log scale (it falls by orders of magnitude): a small
 * SVG line that grows as the search runs.
 */

import styles from "./ProjectCell.module.css";

const WIDTH = 260;
const HEIGHT = 96;
const PAD = 4;

export default function LossChart({ losses, steps }: { losses: readonly number[]; steps: number }) {
  const logs = losses.filter((l) => l > 0).map(Math.log10);
  if (logs.length < 2) return <div className={styles.chartEmpty}>loss per step appears here</div>;
  const top = Math.max(...logs);
  const bottom = Math.min(...logs);
  const span = Math.max(top - bottom, 1e-6);
  const x = (i: number) => PAD + (i / Math.max(steps - 1, 1)) * (WIDTH - 2 * PAD);
  const y = (v: number) => PAD + ((top - v) / span) * (HEIGHT - 2 * PAD);
  const points = logs.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(" ");
  return (
    <svg className={styles.chart} viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" data-testid="project-loss-chart"
      aria-label={`Loss from ${losses[0].toPrecision(3)} to ${losses[losses.length - 1].toPrecision(3)} over ${losses.length} steps`}>
      <polyline points={points} fill="none" stroke="var(--accent)" strokeWidth="1.5" />
      <text x={WIDTH - PAD} y={PAD + 10} textAnchor="end" className={styles.chartLabel}>{(10 ** top).toPrecision(2)}</text>
      <text x={WIDTH - PAD} y={HEIGHT - PAD} textAnchor="end" className={styles.chartLabel}>{(10 ** bottom).toPrecision(2)}</text>
    </svg>
  );
}
