import { useEffect, useRef } from "react";
import type { PixelImage } from "@/lib/edit/pixels";

/** One avatar at its native size; CSS scales it up with crisp (pixelated) edges. */
export default function AvatarCanvas({ image, label, testId }: { image: PixelImage; label: string; testId: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const context = canvas.current?.getContext("2d");
    if (!context) return;
    context.putImageData(new ImageData(new Uint8ClampedArray(image.data), image.width, image.height), 0, 0);
  }, [image]);
  return (
    <canvas
      ref={canvas}
      className="avatar-canvas"
      width={image.width}
      height={image.height}
      role="img"
      aria-label={label}
      data-testid={testId}
    />
  );
}
