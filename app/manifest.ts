import type { MetadataRoute } from "next";

/**
 * The web app manifest (served at /manifest.webmanifest, linked from every page by Next): with
 * the service worker (public/sw.js) it makes the workbench installable on a phone or a desktop.
 * The icons are avatars of the shipped generator (scripts/app-icons.py).
 */
export default function manifest(): MetadataRoute.Manifest {
  return {
    name: "AvatarGAN Workbench",
    short_name: "AvatarGAN",
    description: "Conditional StyleGAN2 anime avatars, generated in your browser, online or not.",
    start_url: "/",
    scope: "/",
    display: "standalone",
    background_color: "#14151c",
    theme_color: "#14151c",
    icons: [
      { src: "/icons/icon-192.png", sizes: "192x192", type: "image/png", purpose: "any" },
      { src: "/icons/icon-512.png", sizes: "512x512", type: "image/png", purpose: "any" },
    ],
  };
}
