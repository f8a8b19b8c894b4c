"use client";
/**
 * Before/after wipe: the input (enlarged with nearest-neighbour, so its real pixels show) under
 * the upscaled result, with a slider that moves the divide. Both canvases fill the same box.
 */

import { useState } from "react";
import AvatarCanvas from "@/app/components/AvatarCanvas";
import type { PixelImage } from "@/lib/edit/pixels";
import styles from "./UpscaleCell.module.css";

export default function CompareStage({ before, after }: { before: PixelImage; after: PixelImage }) {
  const [split, setSplit] = useState(50);
  return (
    <div className={styles.compare}>
      <div className={styles.stage} style={{ aspectRatio: `${after.width} / ${after.height}` }}>
        <div className={styles.layer}>
          <AvatarCanvas image={before} label="Before: the input, enlarged pixel by pixel" testId="upscale-before" />
        </div>
        <div className={`${styles.layer} ${styles.smooth}`} style={{ clipPath: `inset(0 0 0 ${split}%)` }}>
          <AvatarCanvas image={after} label="After: the upscaled avatar" testId="upscale-after" />
        </div>
        <div className={styles.divider} style={{ left: `${split}%` }} aria-hidden="true" />
        <span className={`${styles.tag} ${styles.tagLeft}`}>before</span>
        <span className={`${styles.tag} ${styles.tagRight}`}>after</span>
      </div>
      <input type="range" min={0} max={100} value={split} className={styles.slider}
        onChange={(e) => setSplit(Number(e.target.value))} aria-label="Before/after divide" data-testid="upscale-split" />
    </div>
  );
}
