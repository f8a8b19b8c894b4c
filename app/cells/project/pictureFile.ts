/**
 * A picture file the user drops or picks -> RGBA pixels to crop from, with the limits of any
 * untrusted file: at most 64 MiB, at most 64 megapixels (checked from the decoded header's
 * size before the pixels are drawn), and drawn at most 1024 px on its long side (a face crop
 * at 64 px needs no more).
 */

import type { PixelImage } from "@/lib/edit/pixels";

export const MAX_PICTURE_BYTES = 64 << 20;
export const MAX_PICTURE_MEGAPIXELS = 64;
export const WORKING_SIDE = 1024;

export class PictureError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PictureError";
  }
}

export async function readPictureFile(file: File): Promise<PixelImage> {
  if (file.size === 0) throw new PictureError(`${file.name} is empty`);
  if (file.size > MAX_PICTURE_BYTES) {
    throw new PictureError(`${file.name} is ${(file.size / 2 ** 20).toFixed(0)} MiB; a picture may be at most ${MAX_PICTURE_BYTES >> 20} MiB`);
  }
  const url = URL.createObjectURL(file);
  try {
    const img = await loadImage(url).catch(() => {
      throw new PictureError(`${file.name} is not a picture this browser can read (PNG, JPEG, WebP, GIF)`);
    });
    const { naturalWidth: width, naturalHeight: height } = img;
    if (width === 0 || height === 0) throw new PictureError(`${file.name} has no pixels`);
    if (width * height > MAX_PICTURE_MEGAPIXELS * 1e6) {
      throw new PictureError(`${file.name} is ${width}x${height} (${((width * height) / 1e6).toFixed(0)} MP); at most ${MAX_PICTURE_MEGAPIXELS} MP`);
    }
    const scale = Math.min(1, WORKING_SIDE / Math.max(width, height));
    const w = Math.max(1, Math.round(width * scale));
    const h = Math.max(1, Math.round(height * scale));
    const canvas = document.createElement("canvas");
    canvas.width = w;
    canvas.height = h;
    const context = canvas.getContext("2d");
    if (!context) throw new PictureError("this browser has no 2D canvas to read the picture with");
    context.fillStyle = "#fff"; // transparent pixels become white, as the Python importers do
    context.fillRect(0, 0, w, h);
    context.imageSmoothingQuality = "high";
    context.drawImage(img, 0, 0, w, h);
    const { data } = context.getImageData(0, 0, w, h);
    return { width: w, height: h, data };
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** The element once its header is read (its size is known); the pixels are decoded when drawn. */
function loadImage(url: string): Promise<HTMLImageElement> {
  return new Promise((resolve, reject) => {
    const img = new Image();
    img.onload = () => resolve(img);
    img.onerror = () => reject(new Error("unreadable"));
    img.src = url;
  });
}
