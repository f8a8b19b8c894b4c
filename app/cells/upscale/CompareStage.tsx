"use client";
/**
 * Before/after wipe: a baseline under the upscaled result, with a slider that moves the divide.
 * The baseline is the input enlarged by bicubic (what any image viewer does: the gain of the
 * net shows against it) or pixel by pixel (nearest: the input's real pixels). Both canvases
 * fill the same box.
 */

import { useMemo, useState } from "react";
import AvatarCanvas from "@/app/components/AvatarCanvas";
import type { PixelImage } from "@/lib/edit/pixels";
import { bicubic } from "@/lib/edit/resample";
import type { UpscaleBaseline } from "./spec";
import styles from "./UpscaleCell.module.css";

export default function CompareStage({ before, after, baseline }: { before: PixelImage; after: PixelImage; baseline: UpscaleBaseline }) {
  const [split, setSplit] = useState(50);
  const smooth = useMemo(() => (baseline === "bicubic" ? bicubic(before, after.width, after.height) : null), [baseline, before, after]);
  return (
    <div className={styles.compare}>
      <div className={styles.stage} style={{ aspectRatio: `${after.width} / ${after.height}` }}>
        <div className={`${styles.layer}${smooth ? ` ${styles.smooth}` : ""}`} data-baseline={baseline}>
          {smooth
            ? <AvatarCanvas image={smooth} label="Before: the input enlarged by bicubic" testId="upscale-before" />
            : <AvatarCanvas image={before} label="Before: the input, enlarged pixel by pixel" testId="upscale-before" />}
        </div>
        <div className={`${styles.layer} ${styles.smooth}`} style={{ clipPath: `inset(0 0 0 ${split}%)` }}>
          <AvatarCanvas image={after} label="After: the upscaled avatar" testId="upscale-after" />
        </div>
        <div className={styles.divider} style={{ left: `${split}%` }} aria-hidden="true" />
        <span className={`${styles.tag} ${styles.tagLeft}`}>{baseline === "bicubic" ? "bicubic" : "input"}</span>
        <span className={`${styles.tag} ${styles.tagRight}`}>upscaler</span>
      </div>
      <input type="range" min={0} max={100} value={split} className={styles.slider}
        onChange={(e) => setSplit(Number(e.target.value))} aria-label="Before/after divide" data-testid="upscale-split" />
    </div>
  );
}
