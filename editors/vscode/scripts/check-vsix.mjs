// Checks what a .vsix (a zip file) holds, without any dependency:
//   node scripts/check-vsix.mjs build/dockerls.vsix
//
// It must hold the bundled entry point and the manifest, and nothing from
// node_modules or the TypeScript sources; the bundle must load only `vscode`
// and Node's own modules at run time (vscode-languageclient is inside it).

import { readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { inflateRawSync } from "node:zlib";

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_FILE_HEADER = 0x02014b50;
const LOCAL_FILE_HEADER = 0x04034b50;

/** The entries of a zip archive: name, compression method, sizes, local header offset. */
function zipEntries(zip) {
  // The end-of-central-directory record is in the last 64 KiB + 22 bytes.
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (zip.readUInt32LE(i) === END_OF_CENTRAL_DIRECTORY) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) {
    throw new Error("not a zip file (no end of central directory)");
  }
  const count = zip.readUInt16LE(eocd + 10);
  let offset = zip.readUInt32LE(eocd + 16);
  const entries = [];
  for (let n = 0; n < count; n++) {
    if (zip.readUInt32LE(offset) !== CENTRAL_FILE_HEADER) {
      throw new Error(`corrupt central directory at entry ${n}`);
    }
    const method = zip.readUInt16LE(offset + 10);
    const compressedSize = zip.readUInt32LE(offset + 20);
    const nameLength = zip.readUInt16LE(offset + 28);
    const extraLength = zip.readUInt16LE(offset + 30);
    const commentLength = zip.readUInt16LE(offset + 32);
    const localOffset = zip.readUInt32LE(offset + 42);
    const name = zip.toString("utf8", offset + 46, offset + 46 + nameLength);
    entries.push({ name, method, compressedSize, localOffset });
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** The uncompressed bytes of one entry (stored or deflated). */
function readEntry(zip, entry) {
  const at = entry.localOffset;
  if (zip.readUInt32LE(at) !== LOCAL_FILE_HEADER) {
    throw new Error(`corrupt local header for ${entry.name}`);
  }
  const start = at + 30 + zip.readUInt16LE(at + 26) + zip.readUInt16LE(at + 28);
  const data = zip.subarray(start, start + entry.compressedSize);
  if (entry.method === 0) {
    return data;
  }
  if (entry.method === 8) {
    return inflateRawSync(data);
  }
  throw new Error(`${entry.name}: unsupported compression method ${entry.method}`);
}

const file = process.argv[2];
if (file === undefined) {
  console.error("usage: node scripts/check-vsix.mjs PACKAGE.vsix");
  process.exit(2);
}
const zip = readFileSync(file);
const entries = zipEntries(zip);
const names = entries.map((e) => e.name);
const problems = [];

for (const required of ["extension/package.json", "extension/dist/extension.js"]) {
  if (!names.includes(required)) {
    problems.push(`missing ${required}`);
  }
}
for (const name of names) {
  const parts = name.split("/");
  if (parts.includes("node_modules")) {
    problems.push(`contains ${name} (node_modules is bundled by esbuild, not shipped)`);
  } else if (parts[0] === "extension" && (parts[1] === "src" || parts[1] === "test" || parts[1] === "out")) {
    problems.push(`contains ${name} (sources and tests are not shipped)`);
  } else if (name.endsWith(".ts") || name.endsWith(".map")) {
    problems.push(`contains ${name}`);
  }
}

const bundle = entries.find((e) => e.name === "extension/dist/extension.js");
if (bundle !== undefined) {
  const code = readEntry(zip, bundle).toString("utf8");
  const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
  const required = new Set([...code.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]));
  for (const module of required) {
    if (module !== "vscode" && !builtins.has(module)) {
      problems.push(`dist/extension.js requires '${module}' at run time, which the package does not contain`);
    }
  }
  if (!required.has("vscode")) {
    problems.push("dist/extension.js does not load 'vscode': is it the extension bundle?");
  }
}
const manifestEntry = entries.find((e) => e.name === "extension/package.json");
if (manifestEntry !== undefined) {
  const manifest = JSON.parse(readEntry(zip, manifestEntry).toString("utf8"));
  if (manifest.main !== "./dist/extension.js") {
    problems.push(`package.json main is ${manifest.main}, not ./dist/extension.js`);
  }
}

if (problems.length > 0) {
  console.error(`${file}:\n  ${problems.join("\n  ")}`);
  process.exit(1);
}
console.log(`${file}: ${names.length} entries, all expected:\n  ${names.join("\n  ")}`);
