import type { ReactNode } from "react";

/** The page header every screen shares: the brand mark, the page's title and one line under it. */
export default function AppHeader({ title, tagline }: { title: string; tagline: ReactNode }) {
  return (
    <header className="app-header">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true" />
        <h1>{title}</h1>
      </div>
      <p className="tagline">{tagline}</p>
    </header>
  );
}
