import assert from "node:assert/strict";
import { describe, test } from "node:test";

import {
  type Inspection,
  SERVER_SETTINGS,
  configurationItem,
  explicitValue,
  initializationOptions,
  serverSettings,
} from "../../src/settings";

/** `inspect()` over a table of key → inspection, with the contributed defaults everywhere. */
function inspector(table: Record<string, Inspection>): (key: string) => Inspection | undefined {
  const defaults: Record<string, unknown> = { select: [], ignore: [], severity: {}, target: "" };
  return (key) => (key in defaults ? { defaultValue: defaults[key], ...table[key] } : undefined);
}

describe("serverSettings", () => {
  test("sends nothing when the user set nothing, so project config files apply", () => {
    assert.deepEqual(serverSettings(inspector({})), {});
  });

  test("sends what the user set, at any scope, and nothing else", () => {
    const settings = serverSettings(
      inspector({
        select: { globalValue: ["DKL2"] },
        target: { workspaceValue: "runtime" },
      }),
    );
    assert.deepEqual(settings, { select: ["DKL2"], target: "runtime" });
  });

  test("the most specific scope wins; language-specific settings beat the rest", () => {
    assert.deepEqual(
      explicitValue("ignore", { globalValue: ["a"], workspaceValue: ["b"], workspaceFolderValue: ["c"] }),
      ["c"],
    );
    assert.deepEqual(explicitValue("ignore", { workspaceFolderValue: ["c"], globalLanguageValue: ["d"] }), ["d"]);
    assert.deepEqual(explicitValue("ignore", { defaultLanguageValue: ["x"] }), undefined, "defaults never count");
  });

  test("an explicitly empty list is sent: it means something", () => {
    assert.deepEqual(serverSettings(inspector({ ignore: { workspaceValue: [] } })), { ignore: [] });
  });

  test("severity objects merge across scopes, as VS Code merges object settings", () => {
    const value = explicitValue("severity", {
      defaultValue: { DKL999: "off" },
      globalValue: { DKL401: "off", DKL201: "error" },
      workspaceValue: { DKL201: "hint" },
    });
    assert.deepEqual(value, { DKL401: "off", DKL201: "hint" });
  });

  test("an empty target is the same as none", () => {
    assert.equal(explicitValue("target", { workspaceValue: "  " }), undefined);
  });

  test("invalid values are passed on: the server explains what is wrong", () => {
    assert.deepEqual(serverSettings(inspector({ select: { globalValue: "DKL1, DKL2" } })), { select: "DKL1, DKL2" });
  });
});

describe("workspace/configuration", () => {
  test("answers the dockerls section and its keys; other sections are not ours", () => {
    const inspect = inspector({ target: { workspaceValue: "prod" } });
    assert.deepEqual(configurationItem("dockerls", inspect), { target: "prod" });
    assert.equal(configurationItem("dockerls.target", inspect), "prod");
    assert.equal(configurationItem("dockerls.select", inspect), null);
    assert.equal(configurationItem("dockerls.server.path", inspect), undefined);
    assert.equal(configurationItem("editor", inspect), undefined);
    assert.equal(configurationItem(undefined, inspect), undefined);
  });

  test("initialization options carry no settings", () => {
    assert.deepEqual(initializationOptions(), {});
  });

  test("the keys match the server's settings", () => {
    assert.deepEqual(Object.keys(SERVER_SETTINGS).sort(), ["ignore", "select", "severity", "target"]);
  });
});
