/**
 * Edits are part of the avatar: rendering a recipe with edits (lib/gan/render.ts) gives the
 * edits applied to the plain avatar, and the exported PNG's recipe re-imports to the same
 * pixels (the export round trip includes the edits). Tiny fixture generator, CPU backend.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { applyEdits } from "@/lib/edit/apply";
import { avatarPng } from "@/lib/edit/export";
import type { EditOp } from "@/lib/recipe/editOps";
import { fileIO } from "@/lib/gan/fileIO";
import { AvatarGenerator } from "@/lib/gan/generator";
import { RECIPE_VERSION, type AvatarRecipe } from "@/lib/recipe/recipe";
import { renderRecipes } from "@/lib/gan/render";
import { importAvatarFile } from "@/lib/notebook/importAvatar";
import { useCpuBackend } from "./helpers/tf";

const generator = new AvatarGenerator("test/fixtures/tiny-generator", fileIO);

beforeAll(async () => {
  await useCpuBackend();
  await generator.load();
});
afterAll(() => generator.dispose());

const EDITS: EditOp[] = [
  { op: "rotate", quarterTurns: 1 },
  { op: "crop", x: 2, y: 1, width: 10, height: 10 },
  { op: "hue", degrees: 45 },
  { op: "sharpen", amount: 1 },
];

function recipe(edits: EditOp[]): AvatarRecipe {
  return {
    version: RECIPE_VERSION,
    model: { name: generator.meta.name, sha256: generator.meta.sha256 ?? "" },
    seed: 3,
    tags: ["red hair", "green eyes"],
    psi: 0.8,
    truncation: "global",
    latent: {},
    upscale: null,
    edits,
  };
}

it("a recipe's edits are applied after synthesis, exactly as applyEdits on the plain avatar", async () => {
  const [plain, edited] = await renderRecipes({ generator }, [recipe([]), recipe(EDITS)], [1, 2]);
  const expected = applyEdits(plain, EDITS);
  expect([edited.width, edited.height]).toEqual([10, 10]);
  expect(Array.from(edited.data)).toEqual(Array.from(expected.data));
});

it("the exported PNG carries the edits, and its recipe renders the same pixels", async () => {
  const original = recipe(EDITS);
  const [image] = await renderRecipes({ generator }, [original], [1]);
  const reimported = importAvatarFile("avatar-3.png", avatarPng({ recipe: original, image }));
  expect(reimported.edits).toEqual(EDITS);
  const [again] = await renderRecipes({ generator }, [reimported], [1]);
  expect(Array.from(again.data)).toEqual(Array.from(image.data));
});
