"use client";
/**
 * The interpolation cell's exports: the grid as a labelled PNG at a chosen scale, its manifest,
 * and for a walk the frames (ZIP) and an animated PNG at the same scale.
 */

import { downloadBytes } from "@/app/components/download";
import type { Avatar } from "@/app/components/runState";
import { encodeApng } from "./apng";
import { EXPORT_SCALES, framesZip, gridManifest, upscaleNearest, type ExportScale } from "./gridExport";
import styles from "./InterpolationCell.module.css";
import { labelledGridPng } from "./labelledGrid";
import { interpolationLabels, type InterpolateParams } from "./spec";

interface ExportsProps {
  params: InterpolateParams;
  /** The rendered grid, empty while it renders (the buttons wait). */
  avatars: readonly Avatar[];
  columns: number;
  isWalk: boolean;
  avatarSize: number;
  onScale(scale: ExportScale): void;
}

export default function InterpolationExports({ params, avatars, columns, isWalk, avatarSize, onScale }: ExportsProps) {
  const ready = avatars.length > 0;
  const fileStem = `interpolation-${params.mode}-${params.base.seed}`;
  return (
    <div className={styles.actions}>
      <label className={styles.exportSize}>
        Export size
        <select value={params.exportScale} data-testid="interp-export-scale"
          onChange={(e) => onScale(Number(e.target.value) as ExportScale)}>
          {EXPORT_SCALES.map((k) => (
            <option key={k} value={k}>×{k} ({avatarSize * k} px avatars)</option>
          ))}
        </select>
      </label>
      <button type="button" className="secondary" disabled={!ready} data-testid="interp-export-png"
        title="The grid with its axes labelled; every avatar's recipe rides inside the PNG"
        onClick={() => downloadBytes(labelledGridPng(avatars.map((a) => a.image), columns, avatars.map((a) => a.recipe),
          params.exportScale, interpolationLabels(params)), `${fileStem}-x${params.exportScale}.png`, "image/png")}>
        Export grid PNG
      </button>
      <button type="button" className="secondary" disabled={!ready} data-testid="interp-export-manifest"
        title="One entry per avatar: row, column, caption and the recipe that reproduces it"
        onClick={() => downloadBytes(new TextEncoder().encode(JSON.stringify({ columns, avatars: gridManifest(avatars.map((a) => a.recipe), columns) }, null, 1) + "\n"),
          `${fileStem}-manifest.json`, "application/json")}>
        Manifest (JSON)
      </button>
      {isWalk && (
        <button type="button" className="secondary" disabled={!ready} data-testid="interp-export-frames"
          onClick={() => downloadBytes(framesZip(avatars.map((a) => a.image), avatars.map((a) => a.recipe)), `${fileStem}-frames.zip`, "application/zip")}>
          Export frames (ZIP)
        </button>
      )}
      {isWalk && (
        <button type="button" className="secondary" disabled={!ready} data-testid="interp-export-apng"
          title="An animated PNG that plays the walk there and back, looping"
          onClick={() => {
            const frames = avatars.map((a) => a.image);
            const loop = [...frames, ...frames.slice(1, -1).reverse()];
            downloadBytes(encodeApng(loop.map((f) => upscaleNearest(f, params.exportScale)), params.fps), `${fileStem}-x${params.exportScale}.apng.png`, "image/apng");
          }}>
          Export animation (APNG)
        </button>
      )}
    </div>
  );
}
