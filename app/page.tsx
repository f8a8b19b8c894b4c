import Workbench from "./components/Workbench";

/** The shell is static HTML; everything that touches tf.js lives in the client Workbench. */
export default function HomePage() {
  return (
    <div className="app">
      <header className="app-header">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true" />
          <h1>AvatarGAN Workbench</h1>
        </div>
        <p className="tagline">Conditional StyleGAN2 anime avatars, generated in your browser</p>
      </header>
      <Workbench modelUrl="/weights/generator/model.json" />
    </div>
  );
}
