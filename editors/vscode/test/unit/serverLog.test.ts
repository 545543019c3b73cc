import assert from "node:assert/strict";
import { test } from "node:test";

import { parseLogLine } from "../../src/serverLog";

test("server log lines keep their level; the timestamp is dropped", () => {
  assert.deepEqual(parseLogLine("2025-01-31 12:00:00,123 INFO dockerls.server: dockerls 0.1.0 ready (utf-16)"), {
    level: "info",
    text: "dockerls.server: dockerls 0.1.0 ready (utf-16)",
  });
  assert.equal(parseLogLine("2025-01-31 12:00:00,123 WARNING dockerls.server: x").level, "warn");
  assert.equal(parseLogLine("2025-01-31 12:00:00,123 CRITICAL x: y").level, "error");
});

test("anything else on stderr is an error", () => {
  assert.deepEqual(parseLogLine("Traceback (most recent call last):"), {
    level: "error",
    text: "Traceback (most recent call last):",
  });
  assert.equal(parseLogLine("/usr/bin/python3: No module named dockerls").level, "error");
});
