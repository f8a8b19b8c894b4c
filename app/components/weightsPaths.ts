/** Where the app's models are served (public/weights/), for the engine and its worker. */

export const WEIGHTS_ROOT = "/weights";

/** The folder under WEIGHTS_ROOT of the upscaler trained for a denoise level. */
export function upscalerFolder(denoise: number): string {
  return denoise === 0 ? "upscaler" : `upscaler-denoise${denoise}`;
}

/** The URL of the upscaler of a denoise level. */
export function upscalerUrl(denoise: number): string {
  return `${WEIGHTS_ROOT}/${upscalerFolder(denoise)}`;
}
