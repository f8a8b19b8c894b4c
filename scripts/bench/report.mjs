/**
 * The benchmark table: ms per avatar for batch 1 and 16 per engine/backend, and each one's
 * ratio to PyTorch on the CPU (>1 = slower than PyTorch CPU), plus the line on GPU figures.
 */

const pad = (text, width) => String(text).padEnd(width);
const padLeft = (text, width) => String(text).padStart(width);

function perAvatar(report, batch) {
  return report.results?.find((r) => r.batch === batch)?.ms_per_avatar;
}

export function formatTable(reports, baseline) {
  const rows = [["engine / backend", "where", "batch 1 ms/avatar", "x PyTorch CPU", "batch 16 ms/avatar", "x PyTorch CPU", "notes"]];
  for (const r of reports) {
    const cells = [`${r.engine} ${r.backend}`, r.where];
    for (const batch of [1, 16]) {
      const ms = perAvatar(r, batch);
      const base = baseline ? perAvatar(baseline, batch) : undefined;
      cells.push(ms === undefined ? "-" : ms.toFixed(1), ms === undefined || !base ? "-" : `${(ms / base).toFixed(2)}x`);
    }
    cells.push(r.error ? `FAILED: ${r.error}` : r.detail ?? "");
    rows.push(cells);
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => String(row[i]).length)));
  return rows
    .map((row, n) => row.map((cell, i) => (i >= 2 && i <= 5 && n > 0 ? padLeft(cell, widths[i]) : pad(cell, widths[i]))).join("  ").trimEnd())
    .join("\n");
}

/** How long the page's main thread was blocked at most while a 256-avatar grid rendered, per backend. */
export function formatResponsivenessLines(reports) {
  return reports
    .filter((r) => r.where === "chromium" && r.responsiveness)
    .map((r) => `responsiveness on ${r.backend} in Chromium: a ${r.responsiveness.avatars}-avatar grid in ${(r.responsiveness.grid_ms / 1000).toFixed(1)} s, ` +
      `longest main-thread task ${r.responsiveness.longest_task_ms ? `${Math.round(r.responsiveness.longest_task_ms)} ms` : "under 50 ms"}`)
    .join("\n");
}

/** In-browser upscaler times (the Upscale cell's figure for one avatar), one line per backend. */
export function formatUpscaleLines(reports) {
  return reports
    .filter((r) => r.where === "chromium" && r.upscale)
    .map((r) => r.upscale.error
      ? `upscaler on ${r.backend} in Chromium: FAILED: ${r.upscale.error}`
      : `upscaler on ${r.backend} in Chromium: ${r.upscale.map((u) => `x${u.factor} ${u.ms.toFixed(1)} ms`).join(", ")} ` +
        "for one avatar")
    .join("\n");
}

/** Is this WebGPU adapter a real GPU? SwiftShader (or any fallback adapter) is the CPU. */
export function isSoftwareAdapter(adapter) {
  if (!adapter) return true;
  const text = `${adapter.vendor} ${adapter.architecture} ${adapter.device} ${adapter.description}`;
  return adapter.isFallbackAdapter || /swiftshader|llvmpipe|software|lavapipe/i.test(text);
}

export function gpuLine(adapter, cudaReport) {
  const parts = [];
  if (adapter === undefined) parts.push("WebGPU not measured (--no-browser)");
  else if (!adapter) parts.push("no GPU figure for tf.js: Chromium offers no WebGPU adapter");
  else if (isSoftwareAdapter(adapter)) {
    parts.push(`no GPU figure for tf.js: the WebGPU adapter is software (${[adapter.vendor, adapter.architecture, adapter.description].filter(Boolean).join(" / ")}), so its WebGPU row is a CPU figure`);
  } else parts.push(`WebGPU ran on a GPU: ${[adapter.vendor, adapter.architecture, adapter.description].filter(Boolean).join(" / ")}`);
  parts.push(cudaReport ? `PyTorch CUDA: ${cudaReport.detail}` : "no CUDA GPU for PyTorch on this machine");
  return parts.join("; ");
}
