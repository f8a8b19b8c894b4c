"use client";

import { useEffect, useState } from "react";
import { ensureServiceWorker, type OfflineState } from "@/lib/offline/register";

/** Whether the workbench can start offline (its service worker has cached the app and models). */
export function useOfflineState(): OfflineState {
  const [state, setState] = useState<OfflineState>("installing");
  useEffect(() => {
    let live = true;
    void ensureServiceWorker().then((s) => {
      if (live) setState(s);
    });
    return () => {
      live = false;
    };
  }, []);
  return state;
}
