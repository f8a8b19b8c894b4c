// @ts-check
/**
 * `next build` adds "<distDir>/types/**" to the tsconfig it uses when that pattern is missing. A
 * build into another distDir (NEXT_DIST_DIR, e.g. for side-by-side e2e runs) would so rewrite the
 * tracked tsconfig.json. Instead such a build gets its own untracked tsconfig beside it, which
 * extends tsconfig.json and adds that distDir's type folders, so Next finds nothing to change.
 */
const fs = require("node:fs");
const path = require("node:path");

/** @param {string} root @param {string} distDir @returns {string} tsconfig path for next.config.js */
function tsconfigForDistDir(root, distDir) {
  const base = JSON.parse(fs.readFileSync(path.join(root, "tsconfig.json"), "utf8"));
  const dist = distDir.replace(/\\/g, "/").replace(/\/$/, "");
  const include = [
    ...base.include.filter((/** @type {string} */ p) => !p.startsWith(".next/")),
    `${dist}/types/**/*.ts`,
    `${dist}/dev/types/**/*.ts`,
  ];
  const file = `${dist.replace(/[^A-Za-z0-9._-]/g, "_")}.tsconfig.json`;
  const content = JSON.stringify({ extends: "./tsconfig.json", include }, null, 2) + "\n";
  const target = path.join(root, file);
  if (!fs.existsSync(target) || fs.readFileSync(target, "utf8") !== content) fs.writeFileSync(target, content);
  return file;
}

module.exports = { tsconfigForDistDir };
