import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import AppHeader from "./components/AppHeader";
import Workbench from "./components/Workbench";
import type { ShippedNotebook } from "./components/shipped";

/**
 * The shell is static HTML; everything that touches tf.js lives in the client Workbench.
 * The notebooks in notebooks/ are read here, at build time, and travel inside the page, so
 * they open offline and need no route of their own.
 */
export default function HomePage() {
  return (
    <div className="app">
      <AppHeader title="AvatarGAN Workbench" tagline="Conditional StyleGAN2 anime avatars, generated in your browser" />
      <Workbench modelUrl="/weights/generator/model.json" shipped={shippedNotebooks()} />
    </div>
  );
}

/** notebooks/*.json, "tour" first, then by name. A file that is not JSON fails the build. */
function shippedNotebooks(): ShippedNotebook[] {
  const folder = join(process.cwd(), "notebooks");
  const names = readdirSync(folder)
    .filter((file) => file.endsWith(".json"))
    .map((file) => file.slice(0, -".json".length))
    .sort((a, b) => (a === "tour" ? -1 : b === "tour" ? 1 : a.localeCompare(b)));
  return names.map((name) => {
    const text = readFileSync(join(folder, `${name}.json`), "utf8");
    const { title = name, description = "" } = JSON.parse(text) as { title?: string; description?: string };
    return { name, title, description, text };
  });
}
