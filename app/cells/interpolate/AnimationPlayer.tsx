"use client";

import { useEffect, useRef, useState } from "react";
import type { PixelImage } from "@/lib/edit/pixels";
import { pingPongSteps } from "@/lib/latent/interpolate";

/** Plays rendered frames 0 -> n-1 -> 1 in a loop at `fps` (a seamless ping-pong). */
export default function AnimationPlayer({ frames, fps }: { frames: readonly PixelImage[]; fps: number }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [playing, setPlaying] = useState(true);
  const [frame, setFrame] = useState(0);
  const order = frames.length >= 2 ? pingPongSteps(frames.length).map((t) => Math.round(t * (frames.length - 1))) : [0];

  useEffect(() => {
    if (!playing || frames.length < 2) return;
    const timer = setInterval(() => setFrame((f) => (f + 1) % order.length), 1000 / fps);
    return () => clearInterval(timer);
  }, [playing, fps, frames.length, order.length]);

  const image = frames[order[frame % order.length]];
  useEffect(() => {
    const context = canvas.current?.getContext("2d");
    if (!context || !image) return;
    context.putImageData(new ImageData(new Uint8ClampedArray(image.data), image.width, image.height), 0, 0);
  }, [image]);

  if (!image) return null;
  return (
    <div className="row" style={{ alignItems: "center", gap: 12 }} data-testid="animation">
      <canvas ref={canvas} className="avatar-canvas" width={image.width} height={image.height} style={{ width: 192, height: 192 }}
        role="img" aria-label="Interpolation animation" data-frame={order[frame % order.length]} />
      <button type="button" className="secondary" onClick={() => setPlaying((p) => !p)} data-testid="animation-toggle">
        {playing ? "Pause" : "Play"}
      </button>
    </div>
  );
}
