"use client";

import { useState } from "react";
import type { Engine } from "./engine";
import { isGpu } from "./StatusBar";

/**
 * Says so when no GPU backend runs the model: the automatic choice fell back to WASM or the
 * CPU (with why each GPU backend was not used), or the GPU is a software emulation. A backend
 * forced with ?backend= is the user's choice and gets no notice.
 */
export default function NoGpuNotice({ engine }: { engine: Engine }) {
  const [dismissed, setDismissed] = useState(false);
  const { backend } = engine;
  const forced = backend.tried.some((t) => t.ok && t.reason === "forced");
  const fellBack = !isGpu(backend.name) && !forced;
  if (dismissed || (!fellBack && !backend.software)) return null;
  const gpuAttempts = backend.tried.filter((t) => !t.ok && isGpu(t.name));
  return (
    <div className="notice notice-warn" role="status" data-testid="no-gpu-notice">
      <div>
        <strong>{backend.software ? "The GPU backend is a software emulation" : `No GPU backend: running on ${backend.name.toUpperCase()}`}</strong>
        <p>
          Avatars are still exact, just slower{backend.name === "wasm" ? " (about 20 ms each on WASM for the 64 px model)" : ""}. For speed, use a
          browser with WebGPU enabled on a machine with a GPU.
        </p>
        {gpuAttempts.length > 0 && (
          <ul className="notice-reasons">
            {gpuAttempts.map((t) => (
              <li key={t.name}>
                <code>{t.name}</code>: {t.reason}
              </li>
            ))}
          </ul>
        )}
      </div>
      <button type="button" className="icon-button" onClick={() => setDismissed(true)} aria-label="Dismiss">
        ✕
      </button>
    </div>
  );
}
