/** Backend choice: order, both failure modes, and software WebGPU adapters (with fakes in Node). */
import * as tf from "@tensorflow/tfjs-core";
import { MathBackendCPU } from "@tensorflow/tfjs-backend-cpu";
import { afterAll, describe, expect, it } from "vitest";
import { chooseBackend, isSoftwareAdapter, parseBackendParam, type GpuLike } from "@/lib/gan/backend";

const swiftShader: GpuLike = {
  requestAdapter: async () => ({ info: { vendor: "google", architecture: "swiftshader", description: "SwiftShader Device (Subzero)" } }),
};
const realGpu: GpuLike = {
  requestAdapter: async () => ({ info: { vendor: "nvidia", architecture: "ampere", description: "NVIDIA RTX 3060" } }),
};

/** "webgpu" stands in as a CPU backend; "webgl" fails to initialise; "wasm" is never registered. */
const loaders = {
  webgpu: async () => {
    if (!tf.findBackendFactory("webgpu")) tf.registerBackend("webgpu", () => new MathBackendCPU(), 0);
  },
  wasm: async () => undefined,
  webgl: async () => {
    if (!tf.findBackendFactory("webgl")) {
      tf.registerBackend("webgl", () => {
        throw new Error("no WebGL context");
      }, 0);
    }
  },
};

afterAll(async () => {
  await tf.setBackend("cpu");
});

describe("chooseBackend", () => {
  it("skips a software WebGPU adapter, reports unregistered and failed backends, lands on cpu", async () => {
    tf.env().set("IS_TEST", true);
    const report = await chooseBackend(null, { gpu: swiftShader, loaders });
    expect(report.name).toBe("cpu");
    expect(tf.getBackend()).toBe("cpu");
    expect(report.tried.map((t) => [t.name, t.ok])).toEqual([["webgpu", false], ["wasm", false], ["webgl", false], ["cpu", true]]);
    expect(report.tried[0].reason).toMatch(/software adapter \(google \/ swiftshader \/ SwiftShader Device.*WASM is faster/);
    expect(report.tried[1].reason).toMatch(/not available/);
    expect(report.tried[2].reason).toBe("failed to initialise");
  });

  it("uses a software adapter when forced, and says it is software", async () => {
    const report = await chooseBackend("webgpu", { gpu: swiftShader, loaders });
    expect(report.name).toBe("webgpu");
    expect(report.software).toBe(true);
    expect(report.detail).toMatch(/software/);
    expect(report.tried).toEqual([{ name: "webgpu", ok: true, reason: "forced" }]);
  });

  it("picks a hardware adapter first", async () => {
    const report = await chooseBackend(undefined, { gpu: realGpu, loaders });
    expect(report.name).toBe("webgpu");
    expect(report.software).toBe(false);
    expect(report.detail).toContain("NVIDIA RTX 3060");
  });

  it("reports a missing navigator.gpu and a missing adapter", async () => {
    let report = await chooseBackend(null, { gpu: null, loaders });
    expect(report.tried[0].reason).toMatch(/navigator\.gpu is missing/);
    report = await chooseBackend(null, { gpu: { requestAdapter: async () => null }, loaders });
    expect(report.tried[0].reason).toMatch(/gave no adapter/);
    expect(report.name).toBe("cpu");
  });

  it("falls back when the forced backend fails", async () => {
    const report = await chooseBackend("webgl", { gpu: null, loaders });
    expect(report.name).toBe("cpu");
    expect(report.tried[0]).toEqual({ name: "webgl", ok: false, reason: "failed to initialise" });
  });
});

describe("helpers", () => {
  it("parseBackendParam", () => {
    expect(parseBackendParam("?backend=webgpu")).toBe("webgpu");
    expect(parseBackendParam("seed=3&backend=WASM")).toBe("wasm");
    expect(parseBackendParam("?backend=auto")).toBeNull();
    expect(parseBackendParam("?backend=cuda")).toBeNull();
    expect(parseBackendParam("")).toBeNull();
  });

  it("isSoftwareAdapter", () => {
    expect(isSoftwareAdapter({ vendor: "mesa", device: "llvmpipe (LLVM 15.0.6, 256 bits)" })).toBe(true);
    expect(isSoftwareAdapter({ isFallbackAdapter: true })).toBe(true);
    expect(isSoftwareAdapter({ type: "CPU" })).toBe(true);
    expect(isSoftwareAdapter({}, { isFallbackAdapter: true })).toBe(true);
    expect(isSoftwareAdapter({ vendor: "apple", architecture: "metal-3" })).toBe(false);
  });
});
