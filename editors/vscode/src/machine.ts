// The parts of finding the server that look at this machine (Node only, no
// `vscode`): shared by the extension and the end-to-end test.

import { execFile } from "node:child_process";
import * as fs from "node:fs";

// How long `python -m dockerls --version` may take before the interpreter is passed over.
const PROBE_TIMEOUT_MS = 15_000;

/** Whether `file` is a file this process may execute. */
export function isExecutableFile(file: string): boolean {
  try {
    if (!fs.statSync(file).isFile()) {
      return false;
    }
    if (process.platform !== "win32") {
      fs.accessSync(file, fs.constants.X_OK);
    }
    return true;
  } catch {
    return false;
  }
}

/** Whether `python -m dockerls` runs with this interpreter. */
export function pythonHasDockerls(python: string): Promise<boolean> {
  return new Promise((resolve) => {
    execFile(python, ["-m", "dockerls", "--version"], { timeout: PROBE_TIMEOUT_MS }, (error, stdout) => {
      resolve(error === null && stdout.startsWith("dockerls"));
    });
  });
}
