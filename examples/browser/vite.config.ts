import { createReadStream, existsSync, statSync } from "node:fs";
import type { ServerResponse } from "node:http";
import { dirname, extname, join, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { type Connect, defineConfig, type Plugin } from "vite";

const HERE = dirname(fileURLToPath(import.meta.url));
/** Where `/models/<name>/…` is served from: SIDENET_MODELS_DIR, else the demo's cached artefacts. */
const MODELS = resolve(process.env.SIDENET_MODELS_DIR ?? join(HERE, "..", "..", ".cache", "artefacts"));

const TYPES: Record<string, string> = {
  ".json": "application/json",
  ".onnx": "application/octet-stream",
  ".safetensors": "application/octet-stream",
};

/** Serves `prefix/…` from `root`, refusing paths that leave it; a missing file is a 404 (never index.html). */
function serveDir(prefix: string, root: string): Connect.NextHandleFunction {
  return (req, res: ServerResponse, next) => {
    const url = decodeURIComponent((req.url ?? "").split("?")[0]!);
    if (!url.startsWith(prefix)) return next();
    const file = resolve(root, `.${url.slice(prefix.length - 1)}`);
    if (!file.startsWith(root + sep) || !existsSync(file) || !statSync(file).isFile()) {
      res.statusCode = 404;
      res.end("not found");
      return;
    }
    res.setHeader("Content-Type", TYPES[extname(file)] ?? "application/octet-stream");
    res.setHeader("Content-Length", statSync(file).size);
    createReadStream(file).pipe(res);
  };
}

/**
 * SideNet artefacts under /models/<name>/ in `vite` (dev) and `vite preview`, and cross-origin isolation
 * so that onnxruntime-web can use threads. A static deployment serves the artefacts itself.
 */
function sidenetFiles(): Plugin {
  const use = (server: { middlewares: Connect.Server }) => {
    server.middlewares.use((_req, res, next) => {
      res.setHeader("Cross-Origin-Opener-Policy", "same-origin");
      res.setHeader("Cross-Origin-Embedder-Policy", "require-corp");
      next();
    });
    server.middlewares.use(serveDir("/models/", MODELS));
  };
  return { name: "sidenet-files", configureServer: use, configurePreviewServer: use };
}

export default defineConfig({
  root: HERE,
  // the workspace packages' TypeScript sources, in their browser builds
  resolve: { conditions: ["source", "browser", "module", "development|production"] },
  plugins: [sidenetFiles()],
  build: { outDir: "dist", target: "es2022", chunkSizeWarningLimit: 4096 },
  worker: { format: "es" },
});
