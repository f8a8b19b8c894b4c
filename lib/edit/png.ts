/**
 * PNG encode/decode for exported avatars, with text chunks for metadata. No DOM: works on
 * PixelImage (RGBA bytes) in the browser and in Node tests alike, so the exported file is
 * byte-for-byte the same wherever it is made.
 *
 * Writes 8-bit RGBA, non-interlaced, filter 0 ("none") on every row, deflated with fflate, and
 * Latin-1 `tEXt` chunks. Reads 8-bit grey/RGB/RGBA/grey+alpha, non-interlaced, all five row
 * filters, and text from `tEXt`, `zTXt` and `iTXt`.
 */

import { strFromU8, strToU8, Unzlib, unzlibSync, zlibSync } from "fflate";
import type { PixelImage } from "./pixels";

export const PNG_SIGNATURE = new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10]);
const SIGNATURE = PNG_SIGNATURE;

export class PngFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PngFormatError";
  }
}

// ------------------------------------------------------------------------------- encode

/** JSON with every character past ASCII as a \u escape: fits a Latin-1 tEXt chunk and reads back identically. */
export function latin1Json(value: unknown, space?: number): string {
  return JSON.stringify(value, null, space).replace(/[\u0080-\uffff]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** RGBA image + text chunks (keyword -> Latin-1 text) -> PNG file bytes. */
export function encodePng(image: PixelImage, text: Readonly<Record<string, string>> = {}): Uint8Array {
  const { width, height, data } = image;
  if (data.length !== width * height * 4) {
    throw new PngFormatError(`encodePng: expected ${width * height * 4} RGBA bytes for ${width}x${height}, got ${data.length}`);
  }
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  header.set([8, 6, 0, 0, 0], 8); // bit depth 8, colour type 6 (RGBA), deflate, filter method 0, no interlace
  const raw = scanlines(image);
  const chunks = [chunk("IHDR", header)];
  for (const [keyword, value] of Object.entries(text)) chunks.push(chunk("tEXt", textChunkData(keyword, value)));
  chunks.push(chunk("IDAT", zlibSync(raw, { level: 9 })), chunk("IEND", new Uint8Array(0)));
  return concat([SIGNATURE, ...chunks]);
}

function textChunkData(keyword: string, value: string): Uint8Array {
  if (!/^[\x20-\x7e\xa1-\xff]{1,79}$/.test(keyword) || keyword !== keyword.trim()) {
    throw new PngFormatError(`PNG text keyword "${keyword}" must be 1-79 printable Latin-1 characters without edge spaces`);
  }
  if (/[^\x00-\xff]/.test(value)) throw new PngFormatError(`PNG tEXt value for "${keyword}" must be Latin-1 (escape other characters)`);
  return concat([strToU8(keyword, true), new Uint8Array([0]), strToU8(value, true)]);
}

/** Rows with filter byte 0 (none) in front, as PNG stores them before deflate. */
export function scanlines({ width, height, data }: PixelImage): Uint8Array {
  const stride = width * 4;
  const raw = new Uint8Array((stride + 1) * height);
  for (let y = 0; y < height; y++) raw.set(data.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  return raw;
}

/** One PNG chunk: length, type, body, CRC of type and body. */
export function chunk(type: string, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + body.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, body.length);
  out.set(strToU8(type, true), 4);
  out.set(body, 8);
  view.setUint32(8 + body.length, crc32(out.subarray(4, 8 + body.length)));
  return out;
}

// ------------------------------------------------------------------------------- decode

interface RawChunk {
  type: string;
  body: Uint8Array;
}

function readChunks(bytes: Uint8Array): RawChunk[] {
  if (bytes.length < 8 || SIGNATURE.some((b, i) => bytes[i] !== b)) throw new PngFormatError("not a PNG file (bad signature)");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const chunks: RawChunk[] = [];
  let at = 8;
  while (at + 12 <= bytes.length) {
    const length = view.getUint32(at);
    const type = strFromU8(bytes.subarray(at + 4, at + 8), true);
    if (at + 12 + length > bytes.length) throw new PngFormatError(`PNG chunk ${type} runs past the end of the file (truncated?)`);
    const crc = view.getUint32(at + 8 + length);
    if (crc !== crc32(bytes.subarray(at + 4, at + 8 + length))) throw new PngFormatError(`PNG chunk ${type} has a bad checksum (corrupt file)`);
    chunks.push({ type, body: bytes.subarray(at + 8, at + 8 + length) });
    at += 12 + length;
    if (type === "IEND") return chunks;
  }
  throw new PngFormatError("PNG file ends without an IEND chunk (truncated?)");
}

/** Text decompressed from one zTXt/iTXt chunk is capped here: a recipe is a few kB, and a small
 *  file can otherwise ask for gigabytes (a 512 MB zTXt froze the page for seconds). */
export const MAX_INFLATED_TEXT_BYTES = 1 << 20;

export interface PngTextOptions {
  /** Read only this keyword: other chunks are skipped without being decompressed. */
  only?: string;
  maxInflatedBytes?: number;
}

/** Text chunks (tEXt, zTXt, iTXt) as keyword -> text. */
export function readPngText(bytes: Uint8Array, options: PngTextOptions = {}): Record<string, string> {
  const cap = options.maxInflatedBytes ?? MAX_INFLATED_TEXT_BYTES;
  const text: Record<string, string> = {};
  for (const { type, body } of readChunks(bytes)) {
    const nul = body.indexOf(0);
    if (nul < 0 || !(type === "tEXt" || type === "zTXt" || type === "iTXt")) continue;
    const keyword = strFromU8(body.subarray(0, nul), true);
    if (options.only !== undefined && keyword !== options.only) continue;
    if (type === "tEXt") text[keyword] = strFromU8(body.subarray(nul + 1), true);
    else if (type === "zTXt") text[keyword] = strFromU8(inflateCapped(body.subarray(nul + 2), cap, keyword), true);
    else text[keyword] = readInternationalText(body.subarray(nul + 1), cap, keyword);
  }
  return text;
}

function readInternationalText(rest: Uint8Array, cap: number, keyword: string): string {
  const compressed = rest[0] === 1;
  const languageEnd = rest.indexOf(0, 2);
  const translatedEnd = rest.indexOf(0, languageEnd + 1);
  if (languageEnd < 0 || translatedEnd < 0) throw new PngFormatError("malformed iTXt chunk");
  const body = rest.subarray(translatedEnd + 1);
  return strFromU8(compressed ? inflateCapped(body, cap, keyword) : body);
}

/** zlib data -> bytes, fed 16 kB at a time so no more than the cap (plus one slice's output) is ever made. */
function inflateCapped(data: Uint8Array, cap: number, keyword: string): Uint8Array {
  const parts: Uint8Array[] = [];
  let size = 0;
  const inflater = new Unzlib((chunk) => {
    size += chunk.length;
    if (size > cap) throw new PngFormatError(`PNG text "${keyword}" inflates to more than ${cap} bytes; refusing to read it`);
    parts.push(chunk);
  });
  const SLICE = 16 * 1024;
  for (let at = 0; at < data.length; at += SLICE) inflater.push(data.subarray(at, at + SLICE), at + SLICE >= data.length);
  if (data.length === 0) inflater.push(data, true);
  return concat(parts);
}

/** PNG bytes -> RGBA pixels (8-bit, non-interlaced images). */
export function decodePng(bytes: Uint8Array): PixelImage {
  const chunks = readChunks(bytes);
  const header = chunks[0];
  if (header?.type !== "IHDR") throw new PngFormatError("PNG file does not start with IHDR");
  const view = new DataView(header.body.buffer, header.body.byteOffset, header.body.byteLength);
  const width = view.getUint32(0);
  const height = view.getUint32(4);
  const [depth, colourType, , , interlace] = header.body.subarray(8, 13);
  const channels = ({ 0: 1, 2: 3, 4: 2, 6: 4 } as Record<number, number>)[colourType];
  if (depth !== 8 || !channels || interlace !== 0) {
    throw new PngFormatError(`only 8-bit, non-interlaced grey/RGB/RGBA PNGs are read (got depth ${depth}, colour type ${colourType}, interlace ${interlace})`);
  }
  const raw = unzlibSync(concat(chunks.filter((c) => c.type === "IDAT").map((c) => c.body)));
  const stride = width * channels;
  if (raw.length < (stride + 1) * height) throw new PngFormatError("PNG image data is shorter than its size says");
  const pixels = unfilter(raw, stride, height, channels);
  const data = new Uint8ClampedArray(width * height * 4);
  for (let p = 0; p < width * height; p++) {
    const src = p * channels;
    const grey = channels <= 2;
    data[p * 4] = pixels[src];
    data[p * 4 + 1] = grey ? pixels[src] : pixels[src + 1];
    data[p * 4 + 2] = grey ? pixels[src] : pixels[src + 2];
    data[p * 4 + 3] = channels === 4 ? pixels[src + 3] : channels === 2 ? pixels[src + 1] : 255;
  }
  return { width, height, data };
}

function unfilter(raw: Uint8Array, stride: number, height: number, bpp: number): Uint8Array {
  const out = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const src = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const row = y * stride;
    for (let x = 0; x < stride; x++) {
      const left = x >= bpp ? out[row + x - bpp] : 0;
      const up = y > 0 ? out[row - stride + x] : 0;
      const upLeft = y > 0 && x >= bpp ? out[row - stride + x - bpp] : 0;
      let predictor: number;
      switch (filter) {
        case 0: predictor = 0; break;
        case 1: predictor = left; break;
        case 2: predictor = up; break;
        case 3: predictor = (left + up) >> 1; break;
        case 4: predictor = paeth(left, up, upLeft); break;
        default: throw new PngFormatError(`PNG row ${y} has unknown filter type ${filter}`);
      }
      out[row + x] = (src[x] + predictor) & 0xff;
    }
  }
  return out;
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

// ------------------------------------------------------------------------------- shared

let crcTable: Uint32Array | null = null;

export function crc32(bytes: Uint8Array): number {
  crcTable ??= buildCrcTable();
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = crcTable[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function buildCrcTable(): Uint32Array {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
}

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
