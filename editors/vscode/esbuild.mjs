// Builds the extension (one CommonJS file with vscode-languageclient bundled in)
// and, with --tests, the Node test files.
//
//   node esbuild.mjs               dist/extension.js, with a source map
//   node esbuild.mjs --production  dist/extension.js, minified, no source map (vsce runs this)
//   node esbuild.mjs --tests       out/test/**/*.test.js for `node --test`

import * as esbuild from "esbuild";
import { readdirSync } from "node:fs";
import { join } from "node:path";

const production = process.argv.includes("--production");
const tests = process.argv.includes("--tests");

/** Every *.test.ts under a directory. */
function testFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      return testFiles(path);
    }
    return entry.name.endsWith(".test.ts") ? [path] : [];
  });
}

const common = {
  bundle: true,
  platform: "node",
  target: "node20",
  format: "cjs",
  logLevel: "warning",
};

if (tests) {
  await esbuild.build({
    ...common,
    entryPoints: testFiles("test"),
    outdir: "out/test",
    outbase: "test",
    // The tests run from this directory, where node_modules is; only src/ is bundled.
    packages: "external",
    sourcemap: "inline",
  });
} else {
  await esbuild.build({
    ...common,
    entryPoints: ["src/extension.ts"],
    outfile: "dist/extension.js",
    // `vscode` is provided by the editor at run time; everything else is bundled.
    external: ["vscode"],
    minify: production,
    sourcemap: !production,
  });
}
