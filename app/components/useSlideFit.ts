"use client";

import { useLayoutEffect, useRef, useState, type CSSProperties } from "react";

/** Space kept below a slide, in CSS pixels: the cell card's and the notebook's bottom padding, and a margin. */
const BOTTOM_MARGIN = 56;

/**
 * Presentation mode shows one cell per slide, and a slide must fit the projector (1024 x 768,
 * 1280 x 720) without scrolling. While `active`, the content is measured at its natural size
 * and, when taller than the room left below its top, scaled down as a whole (as slide software
 * does), keeping its layout. `outer` gets the scaled height so nothing below it overflows.
 */
export function useSlideFit(active: boolean) {
  const outer = useRef<HTMLDivElement>(null);
  const inner = useRef<HTMLDivElement>(null);
  const [scale, setScale] = useState(1);
  const [height, setHeight] = useState<number | null>(null);

  useLayoutEffect(() => {
    if (!active) {
      setScale(1);
      setHeight(null);
      return;
    }
    const measure = () => {
      const box = outer.current;
      const content = inner.current;
      if (!box || !content) return;
      const natural = content.scrollHeight; // a transform does not change it: no feedback loop
      const room = window.innerHeight - box.getBoundingClientRect().top - BOTTOM_MARGIN;
      const fit = natural > 0 && room > 0 ? Math.min(1, room / natural) : 1;
      setScale(fit);
      setHeight(fit < 1 ? Math.ceil(natural * fit) : null);
    };
    measure();
    const observer = new ResizeObserver(measure);
    if (inner.current) observer.observe(inner.current);
    window.addEventListener("resize", measure);
    return () => {
      observer.disconnect();
      window.removeEventListener("resize", measure);
    };
  }, [active]);

  const outerStyle: CSSProperties | undefined = height === null ? undefined : { height, overflow: "hidden" };
  const innerStyle: CSSProperties | undefined = scale < 1 ? { transform: `scale(${scale})`, transformOrigin: "top center" } : undefined;
  return { outer, inner, outerStyle, innerStyle, scale };
}
