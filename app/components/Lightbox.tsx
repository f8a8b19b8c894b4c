import { useEffect, useRef } from "react";
import AvatarCanvas from "./AvatarCanvas";
import type { Avatar } from "./engine";

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
  useEffect(() => {
    closeButton.current?.focus();
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape") onClose();
      if (event.key === "ArrowRight") onNavigate((position + 1) % total);
      if (event.key === "ArrowLeft") onNavigate((position - 1 + total) % total);
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [position, total, onNavigate, onClose]);

  const download = () => {
    const canvas = document.querySelector<HTMLCanvasElement>('[data-testid="lightbox-canvas"]');
    if (!canvas) return;
    const link = document.createElement("a");
    link.download = `avatar-seed${avatar.seed}.png`;
    link.href = canvas.toDataURL("image/png");
    link.click();
  };

  return (
    <div className="lightbox" role="dialog" aria-modal="true" aria-label={`Seed ${avatar.seed}`} onClick={onClose} data-testid="lightbox">
      <div className="lightbox-body card" onClick={(e) => e.stopPropagation()}>
        <AvatarCanvas image={avatar.image} label={`Avatar for seed ${avatar.seed}`} testId="lightbox-canvas" />
        <dl className="lightbox-facts">
          <dt>Seed</dt>
          <dd data-testid="lightbox-seed">{avatar.seed}</dd>
          <dt>Tags</dt>
          <dd>{avatar.tags.length ? avatar.tags.map((t) => <span className="chip" key={t}>{t}</span>) : "none"}</dd>
          <dt>ψ</dt>
          <dd>{avatar.psi.toFixed(2)}</dd>
          <dt>Size</dt>
          <dd>
            {avatar.image.width}×{avatar.image.height}
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
          <button type="button" className="secondary" onClick={download}>
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
