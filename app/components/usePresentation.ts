"use client";

import { useCallback, useEffect, useState } from "react";

/**
 * Presentation mode: full screen, one cell at a time. Keys: → / PageDown / Space next,
 * ← / PageUp previous, Home / End first and last, Escape (or leaving full screen) ends it.
 * Nothing here touches the network: the cells are already loaded and rendered.
 */
export function usePresentation(slideCount: number) {
  const [slide, setSlide] = useState<number | null>(null);
  const presenting = slide !== null;

  const start = useCallback((from = 0) => {
    setSlide(from);
    // Full screen is a nicety: a browser may refuse it (no user gesture, iframes); the mode works anyway.
    void document.documentElement.requestFullscreen?.().catch(() => undefined);
  }, []);
  const stop = useCallback(() => {
    setSlide(null);
    if (document.fullscreenElement) void document.exitFullscreen().catch(() => undefined);
  }, []);

  useEffect(() => {
    if (!presenting) return;
    const last = Math.max(0, slideCount - 1);
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement | null;
      if (target && /^(INPUT|SELECT|TEXTAREA)$/.test(target.tagName)) return;
      const go = (to: (s: number) => number) => {
        event.preventDefault();
        setSlide((s) => (s === null ? s : Math.min(last, Math.max(0, to(s)))));
      };
      if (event.key === "ArrowRight" || event.key === "PageDown" || event.key === " ") go((s) => s + 1);
      else if (event.key === "ArrowLeft" || event.key === "PageUp") go((s) => s - 1);
      else if (event.key === "Home") go(() => 0);
      else if (event.key === "End") go(() => last);
      else if (event.key === "Escape") stop();
    };
    const onFullscreen = () => {
      if (!document.fullscreenElement) setSlide(null);
    };
    window.addEventListener("keydown", onKey);
    document.addEventListener("fullscreenchange", onFullscreen);
    return () => {
      window.removeEventListener("keydown", onKey);
      document.removeEventListener("fullscreenchange", onFullscreen);
    };
  }, [presenting, slideCount, stop]);

  // Each slide starts at its top, with the presentation bar in view.
  useEffect(() => {
    if (slide !== null) window.scrollTo({ top: 0 });
  }, [slide]);

  const clamped = slide === null ? null : Math.min(slide, Math.max(0, slideCount - 1));
  return { slide: clamped, presenting, start, stop, goTo: setSlide };
}
