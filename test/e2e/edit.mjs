/**
 * E2E pass for the editor cell: a new notebook on `backend` (WebGPU by default, as issue 7
 * asks), select an avatar, upscale it x4 when this build has the Upscale cell, then edit it in
 * an Edit cell and check every step against pixels computed here from the canvas before it:
 * flip (exact mirror), rotate (exact quarter turn), brightness +0.2 (min(255, c + 51)), undo
 * and redo with Ctrl+Z / Ctrl+Shift+Z, a square crop dragged with the live frame (the exact
 * sub-rectangle), and the published recipe (data-edits, the star) carrying the edits.
 *
 *   node test/e2e/run.mjs --only edit [--edit-backend wasm]
 */

const CELL = '[data-testid="edit-cell"]';
const CANVAS = `${CELL} [data-testid="edit-canvas"]`;
const TIMEOUT_MS = 300_000;

function readCanvas(page) {
  return page.$eval(CANVAS, (canvas) => ({
    width: canvas.width,
    height: canvas.height,
    data: Array.from(canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data),
  }));
}

function pixel(img, x, y) {
  const i = (y * img.width + x) * 4;
  return img.data.slice(i, i + 4);
}

/** Largest channel difference between `actual` and `expected(x, y)` over the image. */
function worstDifference(actual, width, height, expected) {
  if (actual.width !== width || actual.height !== height) return Infinity;
  let worst = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const a = pixel(actual, x, y);
      const e = expected(x, y);
      for (let k = 0; k < 4; k++) worst = Math.max(worst, Math.abs(a[k] - e[k]));
    }
  }
  return worst;
}

async function cellEdits(page) {
  return JSON.parse((await page.getAttribute(CELL, "data-edits")) ?? "[]");
}

/** Wait until the edit cell's canvas differs from `before` (a new edit has been drawn). */
async function waitForChange(page, before) {
  await page.waitForFunction(
    ([selector, w, h, sample]) => {
      const c = document.querySelector(selector);
      if (!c) return false;
      if (c.width !== w || c.height !== h) return true;
      const data = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
      return sample.some(([i, v]) => data[i] !== v);
    },
    [CANVAS, before.width, before.height, before.data.map((v, i) => [i, v]).filter((_, i) => i % 97 === 0)],
    { timeout: 30_000 },
  );
  return readCanvas(page);
}

async function addCell(page, kind) {
  const kinds = await page.$$eval('[data-testid="add-cell"] option', (els) => els.map((o) => o.value));
  if (!kinds.includes(kind)) return false;
  await page.selectOption('[data-testid="add-cell"]', kind);
  return true;
}

export async function editPass(context, baseUrl, { check, assert, fullPageShot, backend = "webgpu", screenshot }) {
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (err) => errors.push(err.message));
  const label = (name) => `[edit ${backend}] ${name}`;
  try {
    await page.goto(`${baseUrl}/?backend=${backend}&notebook=new`);
    const ready = await check(label("a new notebook renders its sample grid and an avatar is selected"), async () => {
      await page.waitForSelector('[data-testid="avatar-grid"][data-state="ready"]', { timeout: TIMEOUT_MS });
      await page.click('[data-testid="avatar-tile"] >> nth=0');
    });
    if (!ready) return;

    let factor = 1;
    await check(label("the avatar is upscaled x4 (Upscale cell) when this build has one"), async () => {
      if (!(await addCell(page, "upscale"))) return "no Upscale cell in this build: editing the 64 px avatar";
      await page.waitForSelector('[data-testid="upscale-cell"][data-state="done"]', { timeout: TIMEOUT_MS });
      factor = 4;
      return "x4 done";
    });

    let base;
    const added = await check(label("an Edit cell renders the incoming avatar"), async () => {
      assert(await addCell(page, "edit"), "no Edit cell kind in the add-cell menu");
      await page.waitForSelector(`${CELL}[data-state="done"] [data-testid="edit-canvas"]`, { timeout: TIMEOUT_MS });
      base = await readCanvas(page);
      assert(base.width === 64 * factor && base.height === 64 * factor, `edit canvas is ${base.width}x${base.height}, expected ${64 * factor} square`);
      return `${base.width}x${base.height}`;
    });
    if (!added) return;
    const size = base.width;

    let flipped;
    await check(label("flip mirrors the image exactly"), async () => {
      await page.click('[data-testid="edit-flip-h"]');
      flipped = await waitForChange(page, base);
      const worst = worstDifference(flipped, size, size, (x, y) => pixel(base, size - 1 - x, y));
      assert(worst === 0, `flipped pixels differ from the mirror by up to ${worst}`);
      assert(JSON.stringify(await cellEdits(page)) === JSON.stringify([{ op: "flip", axis: "horizontal" }]), "edit list is not [flip]");
    });

    let rotated;
    await check(label("rotate 90° clockwise is an exact quarter turn"), async () => {
      await page.click('[data-testid="edit-rotate-cw"]');
      rotated = await waitForChange(page, flipped);
      // clockwise: output (x, y) comes from input (y, H - 1 - x)
      const worst = worstDifference(rotated, size, size, (x, y) => pixel(flipped, y, size - 1 - x));
      assert(worst === 0, `rotated pixels differ by up to ${worst}`);
    });

    await check(label("Ctrl+Z undoes the rotation, Ctrl+Shift+Z redoes it"), async () => {
      await page.focus(CELL);
      await page.keyboard.press("Control+z");
      const undone = await waitForChange(page, rotated);
      assert(worstDifference(undone, size, size, (x, y) => pixel(flipped, x, y)) === 0, "undo did not restore the flipped image");
      assert((await cellEdits(page)).length === 1, "undo left more than the flip in the recipe");
      await page.keyboard.press("Control+Shift+z");
      const redone = await waitForChange(page, undone);
      assert(worstDifference(redone, size, size, (x, y) => pixel(rotated, x, y)) === 0, "redo did not restore the rotation");
    });

    let brighter;
    await check(label("brightness +0.2 (tweakpane) adds 51 to every channel, clamped"), async () => {
      const input = page.locator(`${CELL} .tp-lblv`).filter({ hasText: "brightness" }).locator("input.tp-txtv_i");
      await input.fill("0.2");
      await input.press("Enter");
      brighter = await waitForChange(page, rotated);
      const worst = worstDifference(brighter, size, size, (x, y) => {
        const p = pixel(rotated, x, y);
        return [Math.min(255, p[0] + 51), Math.min(255, p[1] + 51), Math.min(255, p[2] + 51), p[3]];
      });
      assert(worst === 0, `brightened pixels differ from min(255, c + 51) by up to ${worst}`);
      const last = (await cellEdits(page)).at(-1);
      assert(last?.op === "brightness" && last.amount === 0.2, `last edit is ${JSON.stringify(last)}`);
    });

    await check(label("a square crop dragged with the live frame keeps exactly that rectangle"), async () => {
      await page.click('[data-testid="edit-crop"]');
      const handle = page.locator('[data-testid="edit-crop-se"]');
      const box = await handle.boundingBox();
      const frameBox = await page.locator('[data-testid="edit-crop-frame"]').boundingBox();
      assert(box && frameBox, "no crop frame shown");
      // Drag the bottom-right corner up-left by 40% of the frame: a smaller square from (0, 0).
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width / 2 - frameBox.width * 0.4, box.y + box.height / 2 - frameBox.height * 0.2, { steps: 5 });
      await page.mouse.up();
      const [x, y, w, h] = (await page.getAttribute('[data-testid="edit-crop-frame"]', "data-frame")).split(",").map(Number);
      assert(w === h && w < size && w > 0 && x === 0 && y === 0, `frame is ${x},${y} ${w}x${h}`);
      await page.click('[data-testid="edit-crop-apply"]');
      const cropped = await waitForChange(page, brighter);
      const worst = worstDifference(cropped, w, h, (cx, cy) => pixel(brighter, x + cx, y + cy));
      assert(worst === 0, `cropped pixels differ by up to ${worst} (canvas ${cropped.width}x${cropped.height}, frame ${w}x${h})`);
      const last = (await cellEdits(page)).at(-1);
      assert(JSON.stringify(last) === JSON.stringify({ op: "crop", x, y, width: w, height: h }), `last edit is ${JSON.stringify(last)}`);
      return `${w}x${h} of ${size}x${size}`;
    });

    await check(label("the recipe carries the edits and can be starred"), async () => {
      const edits = await cellEdits(page);
      assert(edits.map((e) => e.op).join(",") === "flip,rotate,brightness,crop", `edits are ${edits.map((e) => e.op).join(",")}`);
      await page.click('[data-testid="edit-star"]');
      await page.waitForSelector('[data-testid="edit-star"][aria-pressed="true"]', { timeout: 10_000 });
      if (screenshot) await fullPageShot(page, screenshot);
    });

    await check(label("a nonsense scale is refused with a reason"), async () => {
      await page.fill('[data-testid="edit-scale-width"]', "0");
      await page.click('[data-testid="edit-scale"]');
      const text = await page.textContent('[data-testid="edit-error"]', { timeout: 5000 });
      assert(/width: must be a whole number of pixels in \[1, 4096\], got 0/.test(text ?? ""), `error text '${text}'`);
    });

    await check(label("no uncaught page errors"), async () => {
      assert(errors.length === 0, errors.join(" | "));
    });
  } finally {
    await page.close();
  }
}
