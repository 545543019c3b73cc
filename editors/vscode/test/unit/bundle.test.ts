// The built extension (dist/extension.js) loads with nothing but `vscode`
// provided, and exports what VS Code calls. A stand-in answers every property
// access, so this checks the bundle's shape, not VS Code's behaviour.

import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import Module from "node:module";
import { join } from "node:path";
import { test } from "node:test";

const bundle = join(__dirname, "..", "..", "..", "dist", "extension.js");

type Load = (request: string, parent: unknown, isMain: boolean) => unknown;

test("dist/extension.js loads with only `vscode` provided and exports activate/deactivate", (t) => {
  if (!existsSync(bundle)) {
    t.skip("dist/extension.js is not built (npm run build)");
    return;
  }
  const stub: object = new Proxy(function vscode() {
    // a stand-in for every value of the vscode API
  }, {
    get: () => stub,
    apply: () => stub,
    construct: () => stub,
  });
  const internals = Module as unknown as { _load: Load };
  const load = internals._load;
  const requested: string[] = [];
  internals._load = function (request, parent, isMain) {
    requested.push(request);
    return request === "vscode" ? stub : load(request, parent, isMain);
  };
  try {
    const extension = Module.createRequire(__filename)(bundle) as Record<string, unknown>;
    assert.equal(typeof extension.activate, "function");
    assert.equal(typeof extension.deactivate, "function");
  } finally {
    internals._load = load;
  }
  const external = requested.filter((r) => r !== bundle && r !== "vscode" && !r.startsWith("node:") && !Module.isBuiltin(r));
  assert.deepEqual(external, [], "everything but vscode and Node's modules is bundled");
});
