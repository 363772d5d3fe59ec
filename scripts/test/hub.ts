/**
 * A hub on the loopback address for tests: serves local model directories in the Hugging Face hub's URL
 * layout, `/{owner}/{name}/resolve/{revision}/{file}` (GET with `Range: bytes=a-b`, HEAD, 404 for anything
 * else), as transformers.js fetches them. Started and stopped by the test that uses it; it records every
 * request so a test can assert what was fetched.
 */
import { createReadStream, existsSync, statSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join, normalize } from "node:path";

export interface LoopbackHub {
  /** `http://127.0.0.1:<port>/`, the value for transformers.js's `env.remoteHost`. */
  url: string;
  /** Every request, as `"GET /owner/name/resolve/main/config.json 200"`. */
  requests: string[];
  close(): Promise<void>;
}

const TYPES: Record<string, string> = { json: "application/json", onnx: "application/octet-stream" };

/** Serves `repos` (model id → local directory) at each of `revisions` (default: "main"). */
export async function startHub(
  repos: Record<string, string>,
  revisions: readonly string[] = ["main"],
): Promise<LoopbackHub> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    // a page on another origin (the browser test) may fetch from it, as from huggingface.co
    res.setHeader("access-control-allow-origin", "*");
    res.setHeader("access-control-allow-headers", "*");
    res.setHeader("access-control-expose-headers", "content-length, content-range, content-type");
    if (req.method === "OPTIONS") {
      res.writeHead(204).end();
      return;
    }
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const m = /^\/([^/]+\/[^/]+)\/resolve\/([^/]+)\/(.+)$/.exec(decodeURIComponent(url.pathname));
    const dir = m ? repos[m[1]!] : undefined;
    const file = m && dir && revisions.includes(m[2]!) ? normalize(join(dir, m[3]!)) : undefined;
    const done = (status: number) => requests.push(`${req.method} ${url.pathname} ${status}`);
    // a path outside the repository's directory (`..`) is no file of it
    if (!dir || !file?.startsWith(normalize(dir)) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, { "content-type": "text/plain" }).end("Entry not found");
      return done(404);
    }
    const size = statSync(file).size;
    const type = TYPES[file.split(".").pop() ?? ""] ?? "application/octet-stream";
    const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? "");
    if (range) {
      const start = Number(range[1]);
      const end = range[2] ? Math.min(Number(range[2]), size - 1) : size - 1;
      res.writeHead(206, {
        "content-type": type,
        "content-length": end - start + 1,
        "content-range": `bytes ${start}-${end}/${size}`,
      });
      done(206);
      if (req.method === "HEAD") return res.end();
      return createReadStream(file, { start, end }).pipe(res);
    }
    res.writeHead(200, { "content-type": type, "content-length": size });
    done(200);
    if (req.method === "HEAD") return res.end();
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    close: () => new Promise<void>((ok, err) => server.close((e) => (e ? err(e) : ok()))),
  };
}
