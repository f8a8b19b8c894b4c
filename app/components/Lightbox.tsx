import { useEffect, useRef } from "react";
import { avatarPng } from "@/lib/edit/export";
import AvatarCanvas from "./AvatarCanvas";
import { downloadBytes } from "./download";
import type { Avatar } from "./runState";

interface LightboxProps {
  avatar: Avatar;
  position: number;
  total: number;
  onNavigate: (index: number) => void;
  onClose: () => void;
}

/** One avatar, large, with what made it; Escape closes, arrow keys step through the grid. */
export default function Lightbox({ avatar, position, total, onNavigate, onClose }: LightboxProps) {
  const closeButton = useRef<HTMLButtonElement>(null);
  const { recipe, image } = avatar;
  useEffect(() => {
    closeButton.current?.focus();
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape") onClose();
      if (event.key === "ArrowRight") onNavigate((position + 1) % total);
      if (event.key === "ArrowLeft") onNavigate((position - 1 + total) % total);
      event.stopPropagation();
    };
    window.addEventListener("keydown", onKey, true);
    return () => window.removeEventListener("keydown", onKey, true);
  }, [position, total, onNavigate, onClose]);

  return (
    <div className="lightbox" role="dialog" aria-modal="true" aria-label={`Seed ${recipe.seed}`} onClick={onClose} data-testid="lightbox">
      <div className="lightbox-body card" onClick={(e) => e.stopPropagation()}>
        <AvatarCanvas image={image} label={`Avatar for seed ${recipe.seed}`} testId="lightbox-canvas" />
        <dl className="lightbox-facts">
          <dt>Seed</dt>
          <dd data-testid="lightbox-seed">{recipe.seed}</dd>
          <dt>Tags</dt>
          <dd>{recipe.tags.length ? recipe.tags.map((t) => <span className="chip" key={t}>{t}</span>) : "none"}</dd>
          <dt>ψ</dt>
          <dd>{recipe.psi.toFixed(2)}</dd>
          {Object.keys(recipe.latent).length > 0 && (
            <>
              <dt>Latent</dt>
              <dd><code>{JSON.stringify(recipe.latent)}</code></dd>
            </>
          )}
          <dt>Size</dt>
          <dd>
            {image.width}×{image.height}
          </dd>
        </dl>
        <div className="row lightbox-actions">
          <button type="button" className="secondary" onClick={() => onNavigate((position - 1 + total) % total)} aria-label="Previous avatar">
            ←
          </button>
          <span className="muted">
            {position + 1} / {total}
          </span>
          <button type="button" className="secondary" onClick={() => onNavigate((position + 1) % total)} aria-label="Next avatar">
            →
          </button>
          <span className="spacer" />
          <button
            type="button"
            className="secondary"
            title="PNG with the recipe embedded: import it again to reproduce this avatar"
            onClick={() => downloadBytes(avatarPng(avatar), `avatar-${recipe.seed}.png`, "image/png")}
            data-testid="lightbox-png"
          >
            Save PNG
          </button>
          <button type="button" className="primary" ref={closeButton} onClick={onClose}>
            Close
          </button>
        </div>
      </div>
    </div>
  );
}
