/**
 * Turbopack loader for tf.js's threaded WASM factory
 * (@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js).
 *
 * Why: tf.js starts each WASM worker thread from `factory.toString()`, so the factory must be
 * self-contained source. Bundled, it is not: Turbopack swaps its `process` checks for an import
 * of a polyfill and the minifier renames its closure variables, and every worker then dies with
 * "ReferenceError: r is not defined" while the page waits forever. Evaluating the untouched
 * source text with `new Function` keeps it out of the bundler's hands, so toString() gives back
 * exactly the code that runs in a worker (as with tf.js's own prebuilt bundles).
 */
module.exports = function tfjsWasmFactoryLoader(source) {
  const body = `${source}\nreturn WasmBackendModuleThreadedSimd;`;
  return `const factory = new Function(${JSON.stringify(body)})();\nexport default factory;\n`;
};
