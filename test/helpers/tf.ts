/** Node tests run tf.js on the pure-JS CPU backend (tfjs-node cannot be installed here). */
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";

export async function useCpuBackend(): Promise<typeof tf> {
  tf.env().set("IS_TEST", true); // silences the "install tfjs-node" banner
  if (tf.getBackend() !== "cpu") {
    if (!(await tf.setBackend("cpu"))) throw new Error("the tf.js CPU backend failed to start");
  }
  await tf.ready();
  return tf;
}
