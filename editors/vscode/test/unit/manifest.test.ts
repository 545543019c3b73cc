// The extension manifest (package.json) says what VS Code does before any of
// our code runs: when to activate, which files are Dockerfiles, which settings
// exist. These tests keep it consistent with the code.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";

import { SERVER_SETTINGS } from "../../src/settings";

interface Manifest {
  main: string;
  engines: { vscode: string };
  activationEvents: string[];
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  contributes: {
    languages: { id: string; filenames?: string[]; filenamePatterns?: string[] }[];
    commands: { command: string; title: string; category?: string }[];
    configuration: { properties: Record<string, { type: unknown; default?: unknown; scope?: string }> };
  };
}

// out/test/unit/manifest.test.js → the package root.
const root = join(__dirname, "..", "..", "..");
const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as Manifest;
const extensionSource = readFileSync(join(root, "src", "extension.ts"), "utf8");

describe("package.json", () => {
  test("activates for Dockerfiles and runs the bundle", () => {
    assert.deepEqual(manifest.activationEvents, ["onLanguage:dockerfile"]);
    assert.equal(manifest.main, "./dist/extension.js");
  });

  test("the VS Code engine is the one the language client and the typings need", () => {
    assert.equal(manifest.engines.vscode, "^1.91.0");
    const types = manifest.devDependencies["@types/vscode"];
    assert.ok(types?.includes("1.91"), "@types/vscode must not be newer than the engine");
  });

  test("Containerfiles are Dockerfiles", () => {
    const [language] = manifest.contributes.languages;
    assert.equal(language?.id, "dockerfile");
    assert.deepEqual(language.filenames, ["Containerfile"]);
    assert.ok(language.filenamePatterns?.includes("*.Containerfile"));
    assert.ok(language.filenamePatterns?.includes("Containerfile.*"));
  });

  test("every contributed command is registered by the extension", () => {
    for (const { command, category } of manifest.contributes.commands) {
      assert.equal(category, "dockerls");
      assert.ok(extensionSource.includes(`"${command}"`), `${command} is not registered in src/extension.ts`);
    }
    assert.ok(manifest.contributes.commands.some((c) => c.command === "dockerls.restartServer" && c.title === "Restart server"));
  });

  test("every server setting is contributed, resource-scoped, and its default means 'not set'", () => {
    const properties = manifest.contributes.configuration.properties;
    for (const key of Object.keys(SERVER_SETTINGS)) {
      const property = properties[`dockerls.${key}`];
      assert.ok(property !== undefined, `dockerls.${key} is not contributed`);
      assert.equal(property.scope, "resource");
    }
    assert.deepEqual(properties["dockerls.select"]?.default, []);
    assert.deepEqual(properties["dockerls.severity"]?.default, {});
    assert.equal(properties["dockerls.target"]?.default, "");
  });

  test("the server path and the trace setting are there", () => {
    const properties = manifest.contributes.configuration.properties;
    assert.equal(properties["dockerls.server.path"]?.type, "string");
    assert.equal(properties["dockerls.trace.server"]?.default, "off");
  });

  test("only the language client is a run-time dependency (and it is bundled)", () => {
    assert.deepEqual(Object.keys(manifest.dependencies), ["vscode-languageclient"]);
  });
});
