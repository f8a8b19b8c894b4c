"use client";

import { useCallback, useEffect, useState } from "react";

/**
 * Presentation mode: full screen, one cell at a time. Keys: → / PageDown / Space next,
 * ← / PageUp previous, Home / End first and last, N shows or hides the speaker notes, Escape
 * (or leaving full screen) ends it.
 * Arrows and PageUp/PageDown move on even from a field (a select left focused after a click
 * must not trap the talk); there Escape first leaves the field, and Space types a space.
 * On a touch screen a horizontal swipe moves too. Nothing here touches the network: the cells
 * are already loaded and rendered.
 */
export function usePresentation(slideCount: number) {
  const [slide, setSlide] = useState<number | null>(null);
  const [showNotes, setShowNotes] = useState(false);
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
    const move = (to: (s: number) => number) => setSlide((s) => (s === null ? s : Math.min(last, Math.max(0, to(s)))));
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement | null;
      const inField = !!target && /^(INPUT|SELECT|TEXTAREA)$/.test(target.tagName);
      if (inField && event.key === "Escape") {
        event.preventDefault();
        target.blur();
        return;
      }
      const go = (to: (s: number) => number) => {
        event.preventDefault();
        if (inField) target.blur();
        move(to);
      };
      if (event.key === "ArrowRight" || event.key === "PageDown" || (event.key === " " && !inField)) go((s) => s + 1);
      else if (event.key === "ArrowLeft" || event.key === "PageUp") go((s) => s - 1);
      else if (event.key === "Home") go(() => 0);
      else if (event.key === "End") go(() => last);
      else if (event.key === "Escape") stop();
      else if ((event.key === "n" || event.key === "N") && !inField) {
        event.preventDefault();
        setShowNotes((shown) => !shown);
      }
    };
    const onFullscreen = () => {
      if (!document.fullscreenElement) setSlide(null);
    };
    // A swipe: a touch that travels mostly sideways, at least 60 px.
    let touchStart: { x: number; y: number } | null = null;
    const onPointerDown = (event: PointerEvent) => {
      touchStart = event.pointerType === "touch" ? { x: event.clientX, y: event.clientY } : null;
    };
    const onPointerUp = (event: PointerEvent) => {
      if (!touchStart || event.pointerType !== "touch") return;
      const dx = event.clientX - touchStart.x;
      const dy = event.clientY - touchStart.y;
      touchStart = null;
      if (Math.abs(dx) >= 60 && Math.abs(dx) > 2 * Math.abs(dy)) move((s) => s + (dx < 0 ? 1 : -1));
    };
    window.addEventListener("keydown", onKey);
    window.addEventListener("pointerdown", onPointerDown);
    window.addEventListener("pointerup", onPointerUp);
    document.addEventListener("fullscreenchange", onFullscreen);
    return () => {
      window.removeEventListener("keydown", onKey);
      window.removeEventListener("pointerdown", onPointerDown);
      window.removeEventListener("pointerup", onPointerUp);
      document.removeEventListener("fullscreenchange", onFullscreen);
    };
  }, [presenting, slideCount, stop]);

  // Each slide starts at its top, with the presentation bar in view.
  useEffect(() => {
    if (slide !== null) window.scrollTo({ top: 0 });
  }, [slide]);

  const clamped = slide === null ? null : Math.min(slide, Math.max(0, slideCount - 1));
  return { slide: clamped, presenting, start, stop, goTo: setSlide, showNotes };
}
