/**
 * Animated PNG (APNG) encoder for interpolation walks: one file every browser plays, lossless
 * (GIF would cut the avatars to 256 colours). Layout per the APNG spec: IHDR, acTL (frame
 * count, loops), then per frame an fcTL (size, delay) followed by the pixels — IDAT for the
 * first frame, so viewers without APNG support show it as a still, fdAT for the others — with
 * one sequence number shared by fcTL and fdAT chunks. No DOM: works in tests too.
 */

import { zlibSync } from "fflate";
import type { PixelImage } from "@/lib/edit/pixels";
import { PNG_SIGNATURE as SIGNATURE, chunk, concat, scanlines } from "@/lib/edit/png";


/** Frames (all the same size) at `fps`, looping forever (`loops` 0) or `loops` times. */
export function encodeApng(frames: readonly PixelImage[], fps: number, loops = 0): Uint8Array {
  if (frames.length === 0) throw new Error("encodeApng: no frames");
  const { width, height } = frames[0];
  if (frames.some((f) => f.width !== width || f.height !== height)) throw new Error("encodeApng: frames must all have the same size");
  if (!(fps > 0 && fps <= 100)) throw new RangeError(`encodeApng: fps must be in (0, 100], got ${fps}`);
  const header = new Uint8Array(13);
  const hv = new DataView(header.buffer);
  hv.setUint32(0, width);
  hv.setUint32(4, height);
  header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, deflate, filter 0, no interlace
  const control = new Uint8Array(8);
  new DataView(control.buffer).setUint32(0, frames.length);
  new DataView(control.buffer).setUint32(4, loops);
  const chunks = [chunk("IHDR", header), chunk("acTL", control)];
  // Delay as a fraction of a second: 1000 / (fps * 1000) keeps fractional rates exact enough.
  const delayDen = 1000;
  const delayNum = Math.round(delayDen / fps);
  let sequence = 0;
  frames.forEach((frame, i) => {
    const fctl = new Uint8Array(26);
    const fv = new DataView(fctl.buffer);
    fv.setUint32(0, sequence++);
    fv.setUint32(4, width);
    fv.setUint32(8, height);
    fv.setUint32(12, 0); // x offset
    fv.setUint32(16, 0); // y offset
    fv.setUint16(20, delayNum);
    fv.setUint16(22, delayDen);
    fctl[24] = 0; // dispose: none
    fctl[25] = 0; // blend: source (frames are opaque and whole)
    chunks.push(chunk("fcTL", fctl));
    const data = zlibSync(scanlines(frame), { level: 9 });
    if (i === 0) chunks.push(chunk("IDAT", data));
    else {
      const body = new Uint8Array(4 + data.length);
      new DataView(body.buffer).setUint32(0, sequence++);
      body.set(data, 4);
      chunks.push(chunk("fdAT", body));
    }
  });
  chunks.push(chunk("IEND", new Uint8Array(0)));
  return concat([SIGNATURE, ...chunks]);
}



