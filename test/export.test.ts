/**
 * Export and re-import reproduce an avatar exactly: render (tiny fixture generator, CPU) ->
 * PNG with the recipe chunk / JSON / ZIP -> read the recipe back -> render -> identical bytes.
 * Also the PNG codec itself (pixels, text chunks, corrupt files) and the ZIP's contents.
 */
import * as tf from "@tensorflow/tfjs-core";
import { strFromU8, strToU8, zipSync, zlibSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { avatarFileStems, avatarPng, favouritesZip, readZip, recipeJsonText, recipeTextFromFile, RECIPE_PNG_KEY } from "@/lib/edit/export";
import { decodePng, encodePng, PngFormatError, readPngText } from "@/lib/edit/png";
import type { PixelImage } from "@/lib/edit/pixels";
import { fileIO } from "@/lib/gan/fileIO";
import { AvatarGenerator } from "@/lib/gan/generator";
import { RECIPE_VERSION, type AvatarRecipe } from "@/lib/recipe/recipe";
import { padBatch, renderRecipes } from "@/lib/gan/render";
import { Upscaler } from "@/lib/gan/upscaler";
import { importAvatarFile, importAvatarFiles } from "@/lib/notebook/importAvatar";
import { parseNotebookText, serializeNotebook } from "@/lib/notebook/io";
import { newNotebook } from "@/lib/notebook/cells";
import { useCpuBackend } from "./helpers/tf";

const generator = new AvatarGenerator("test/fixtures/tiny-generator", fileIO);
const BATCHES = [1, 4] as const;

beforeAll(async () => {
  await useCpuBackend();
  await generator.load();
});
afterAll(() => generator.dispose());

function recipe(seed: number, extra: Partial<AvatarRecipe> = {}): AvatarRecipe {
  const tags = generator.vocab.groups.map((g) => g.tags[seed % g.tags.length].name);
  return { version: RECIPE_VERSION, model: { name: generator.meta.name, sha256: generator.meta.sha256 ?? "" }, seed, tags, psi: 0.7, truncation: "global", latent: {}, upscale: null, edits: [], ...extra };
}

function gradient(width: number, height: number): PixelImage {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < data.length; i++) data[i] = (i * 37 + (i >> 4)) & 0xff;
  return { width, height, data };
}

/** A PNG with one more chunk before IEND (CRC included), as another program might write it. */
function insertChunkBeforeIend(png: Uint8Array, type: string, body: Uint8Array): Uint8Array {
  const iend = png.length - 12;
  const chunk = new Uint8Array(12 + body.length);
  const view = new DataView(chunk.buffer);
  view.setUint32(0, body.length);
  chunk.set(strToU8(type), 4);
  chunk.set(body, 8);
  view.setUint32(8 + body.length, crc32(chunk.subarray(4, 8 + body.length)));
  return new Uint8Array([...png.subarray(0, iend), ...chunk, ...png.subarray(iend)]);
}

function crc32(bytes: Uint8Array): number {
  let crc = ~0;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return ~crc >>> 0;
}

describe("PNG codec", () => {
  it("decodes what it encodes, pixels and text", () => {
    const image = gradient(13, 7);
    const png = encodePng(image, { Comment: "hello", [RECIPE_PNG_KEY]: '{"a":1}' });
    const back = decodePng(png);
    expect(back.width).toBe(13);
    expect(back.height).toBe(7);
    expect(Buffer.from(back.data).equals(Buffer.from(image.data))).toBe(true);
    expect(readPngText(png)).toEqual({ Comment: "hello", [RECIPE_PNG_KEY]: '{"a":1}' });
  });

  it("rejects a corrupted file with the reason", () => {
    const png = encodePng(gradient(4, 4));
    const corrupt = png.slice();
    corrupt[40] ^= 0xff; // inside IDAT
    expect(() => decodePng(corrupt)).toThrow(/bad checksum/);
    expect(() => decodePng(png.slice(0, 30))).toThrow(PngFormatError);
    expect(() => decodePng(new Uint8Array([1, 2, 3]))).toThrow(/not a PNG/);
  });

  it("reads only the recipe's keyword, and caps compressed text (issue 17: a 512 MB zTXt froze the page)", () => {
    const r = recipe(3);
    const png = avatarPng({ recipe: r, image: gradient(2, 2) });
    const bomb = zlibSync(new Uint8Array(64 << 20), { level: 9 }); // 64 MiB of zeros in ~64 kB
    const body = new Uint8Array([...strToU8("Comment"), 0, 0, ...bomb]);
    const withBomb = insertChunkBeforeIend(png, "zTXt", body);
    const started = performance.now();
    expect(JSON.parse(recipeTextFromFile("a.png", withBomb))).toEqual(r);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(() => readPngText(withBomb)).toThrow(/inflates to more than 1048576 bytes/);
  });

  it("keeps non-ASCII recipe text intact via JSON escapes", () => {
    const r = recipe(3, { tags: ["café ☕"] });
    const text = readPngText(avatarPng({ recipe: r, image: gradient(2, 2) }))[RECIPE_PNG_KEY];
    expect(JSON.parse(text)).toEqual(r);
  });
});

describe("render", () => {
  it("pads batches to the warmed-up sizes only", () => {
    expect(padBatch([1, 2], [1, 4])).toEqual([1, 2, 2, 2]);
    expect(padBatch([7], [1, 4])).toEqual([7]);
    expect(padBatch([1, 2, 3, 4], [1, 4])).toEqual([1, 2, 3, 4]);
  });

  it("gives an avatar the same pixels whatever its batch", async () => {
    const recipes = [0, 1, 2, 3, 4, 5].map((s) => recipe(s));
    const together = await renderRecipes({ generator }, recipes, BATCHES);
    const alone = await renderRecipes({ generator }, [recipes[4]], BATCHES);
    expect(Buffer.from(alone[0].data).equals(Buffer.from(together[4].data))).toBe(true);
    expect(Buffer.from(together[0].data).equals(Buffer.from(together[1].data))).toBe(false);
  });

  it("applies the recipe's pixel edits after rendering", async () => {
    const [plain] = await renderRecipes({ generator }, [recipe(2)], BATCHES);
    const [flipped] = await renderRecipes({ generator }, [recipe(2, { edits: [{ op: "flip", axis: "horizontal" }] })], BATCHES);
    const w = plain.width;
    // Row 0: the first pixel of the flip is the last pixel of the original.
    expect(Array.from(flipped.data.slice(0, 4))).toEqual(Array.from(plain.data.slice((w - 1) * 4, w * 4)));
  });

  it("asks for an upscaler when a recipe needs one", async () => {
    await expect(renderRecipes({ generator }, [recipe(1, { upscale: { factor: 2, denoise: 0 } })], BATCHES)).rejects.toThrow(/no upscaler/);
  });
});

describe("export -> import reproduces the avatar", () => {
  // Built after the model loads (tags come from its vocabulary).
  let recipes: AvatarRecipe[] = [];
  beforeAll(() => {
    recipes = [recipe(11), recipe(12, { psi: 0.5, latent: { perturb: { seed: 99, amount: 0.2 } } }), recipe(11, { edits: [{ op: "rotate", quarterTurns: 1 }] })];
  });

  it("with every latent edit, condition truncation, upscale and edits: identical bytes", async () => {
    const upscaler = new Upscaler("test/fixtures/tiny-upscaler", fileIO, { tileSize: 4 });
    await upscaler.load();
    try {
      const other = recipe(5).tags;
      const [tag] = recipe(3).tags;
      const everything = [
        recipe(21, { truncation: "condition", psi: 0.4 }),
        recipe(22, { latent: { toward: { seed: 7, t: 0.3, space: "z" } } }),
        recipe(23, { latent: { toward: { seed: 8, t: 0.6, space: "w" }, conditionToward: { tags: other, t: 0.5 } } }),
        recipe(24, { latent: { directions: [{ tag, amount: 1.5, space: "w" }, { tag: other[0], amount: -0.5, space: "c" }] } }),
        recipe(25, { truncation: "condition", latent: { mix: { seed: 3, start: 1, end: 4 } } }),
        recipe(26, { upscale: { factor: 2, denoise: 0 }, edits: [{ op: "flip", axis: "horizontal" }, { op: "saturation", amount: 0.4 }] }),
      ];
      const images = await renderRecipes({ generator, upscaler }, everything, BATCHES);
      expect(images[5].width).toBe(2 * images[0].width);
      for (let i = 0; i < everything.length; i++) {
        const imported = importAvatarFile("a.png", avatarPng({ recipe: everything[i], image: images[i] }));
        expect(imported).toEqual(everything[i]);
        const [again] = await renderRecipes({ generator, upscaler }, [imported], BATCHES);
        expect(Buffer.from(again.data).equals(Buffer.from(images[i].data))).toBe(true);
        if (i > 0) expect(Buffer.from(images[i].data).equals(Buffer.from(images[0].data))).toBe(false);
      }
    } finally {
      upscaler.dispose();
    }
  });

  it("a favourites ZIP imports every avatar in it; a ZIP without recipes says so (it used to fail with a raw parse error)", async () => {
    const images = await renderRecipes({ generator }, recipes, BATCHES);
    const zip = favouritesZip(recipes.map((recipe, i) => ({ recipe, image: images[i] })), serializeNotebook(newNotebook({ name: "tiny-generator", sha256: "" })));
    const { recipes: back, notes } = importAvatarFiles("favourites.zip", zip);
    expect(notes).toEqual([]);
    const byText = (list: readonly AvatarRecipe[]) => list.map((r) => JSON.stringify(r)).sort();
    expect(byText(back)).toEqual(byText(recipes));
    const empty = zipSync({ "notes.txt": strToU8("hello") });
    expect(() => importAvatarFiles("other.zip", empty)).toThrow("other.zip: this ZIP holds no avatar recipes");
    expect(importAvatarFiles("avatar.png", avatarPng({ recipe: recipes[0], image: images[0] })).recipes).toEqual([recipes[0]]);
  });

  it("through a PNG with the recipe chunk: identical bytes", async () => {
    const images = await renderRecipes({ generator }, recipes, BATCHES);
    for (let i = 0; i < recipes.length; i++) {
      const png = avatarPng({ recipe: recipes[i], image: images[i] });
      expect(Buffer.from(decodePng(png).data).equals(Buffer.from(images[i].data))).toBe(true);
      const imported = importAvatarFile(`avatar-${recipes[i].seed}.png`, png);
      expect(imported).toEqual(recipes[i]);
      const [again] = await renderRecipes({ generator }, [imported], BATCHES);
      expect(Buffer.from(again.data).equals(Buffer.from(images[i].data))).toBe(true);
    }
  });

  it("through the favourites ZIP: PNG + JSON per avatar and the notebook", async () => {
    const images = await renderRecipes({ generator }, recipes, BATCHES);
    const notebook = { ...newNotebook({ name: generator.meta.name, sha256: generator.meta.sha256 ?? "" }, "Zip test"), favourites: recipes };
    const zip = favouritesZip(recipes.map((r, i) => ({ recipe: r, image: images[i] })), serializeNotebook(notebook));
    const files = readZip(zip);
    expect(Object.keys(files).sort()).toEqual(
      ["avatar-11.json", "avatar-11.png", "avatar-11-2.json", "avatar-11-2.png", "avatar-12.json", "avatar-12.png", "notebook.json"].sort(),
    );
    expect(parseNotebookText(strFromU8(files["notebook.json"])).notebook).toEqual(notebook);
    const stems = avatarFileStems(recipes);
    for (let i = 0; i < recipes.length; i++) {
      const fromJson = importAvatarFile(`${stems[i]}.json`, files[`${stems[i]}.json`]);
      expect(fromJson).toEqual(recipes[i]);
      expect(strFromU8(files[`${stems[i]}.json`])).toBe(`${recipeJsonText(recipes[i])}\n`);
      const [again] = await renderRecipes({ generator }, [fromJson], BATCHES);
      expect(Buffer.from(decodePng(files[`${stems[i]}.png`]).data).equals(Buffer.from(again.data))).toBe(true);
    }
  });

  it("says why a file cannot be imported", () => {
    expect(() => importAvatarFile("x.png", encodePng(gradient(2, 2)))).toThrow(/no "avatargan-recipe" text chunk/);
    expect(() => importAvatarFile("x.json", new TextEncoder().encode("{"))).toThrow(/x\.json: the recipe is not valid JSON/);
    const bad = new TextEncoder().encode(JSON.stringify({ ...recipe(1), psi: "x" }));
    expect(() => importAvatarFile("bad.json", bad)).toThrow(/bad\.json: recipe\.psi must be a number/);
  });

  it("leaves no tensors behind", async () => {
    const before = tf.memory().numTensors;
    await renderRecipes({ generator }, recipes, BATCHES);
    expect(tf.memory().numTensors).toBe(before);
  });
});
