import assert from "node:assert/strict";
import { describe, test } from "node:test";

import {
  type Probe,
  type Resolution,
  expandVariables,
  installCommand,
  launch,
  resolveServer,
  shellQuote,
  splitCommandLine,
  which,
} from "../../src/serverCommand";

/** A machine made of a set of executable files and an optional Python interpreter. */
function machine(options: {
  files?: string[];
  path?: string;
  platform?: NodeJS.Platform;
  python?: string;
  pythonHasDockerls?: boolean;
  workspaceFolder?: string;
  env?: Record<string, string>;
}): Probe & { asked: string[] } {
  const files = new Set(options.files ?? []);
  const asked: string[] = [];
  return {
    asked,
    platform: options.platform ?? "linux",
    env: options.env ?? { PATH: options.path ?? "/usr/local/bin:/usr/bin" },
    homeDir: options.platform === "win32" ? "C:\\Users\\me" : "/home/me",
    ...(options.workspaceFolder === undefined ? {} : { workspaceFolder: options.workspaceFolder }),
    isExecutableFile: (file) => files.has(file),
    pythonInterpreter: () => {
      asked.push("interpreter");
      return Promise.resolve(options.python);
    },
    pythonHasDockerls: (python) => {
      asked.push(`probe ${python}`);
      return Promise.resolve(options.pythonHasDockerls ?? false);
    },
  };
}

function found(resolution: Resolution): { command: string; args: readonly string[]; source: string } {
  assert.ok(resolution.ok, `expected a server, got: ${resolution.ok ? "" : resolution.message}`);
  return resolution.server;
}

function failed(resolution: Resolution): { message: string; installCommand?: string } {
  assert.ok(!resolution.ok, "expected no server");
  return resolution;
}

describe("splitCommandLine", () => {
  test("splits on whitespace and honours quotes and escapes", () => {
    assert.deepEqual(splitCommandLine("uvx  dockerls", "linux"), ["uvx", "dockerls"]);
    assert.deepEqual(splitCommandLine(`"/opt/my tools/dockerls" serve`, "linux"), ["/opt/my tools/dockerls", "serve"]);
    assert.deepEqual(splitCommandLine(`'/a b/py' -m dockerls`, "linux"), ["/a b/py", "-m", "dockerls"]);
    assert.deepEqual(splitCommandLine(String.raw`/a\ b/dockerls`, "linux"), ["/a b/dockerls"]);
    assert.deepEqual(splitCommandLine(`x "" y`, "linux"), ["x", "", "y"]);
    assert.deepEqual(splitCommandLine("   ", "linux"), []);
  });

  test("keeps backslashes on Windows, where they separate paths", () => {
    assert.deepEqual(splitCommandLine(String.raw`"C:\Program Files\py\python.exe" -m dockerls`, "win32"), [
      String.raw`C:\Program Files\py\python.exe`,
      "-m",
      "dockerls",
    ]);
  });
});

describe("expandVariables", () => {
  test("expands the home directory and the workspace folder", () => {
    const probe = { homeDir: "/home/me", workspaceFolder: "/work/app" };
    assert.equal(expandVariables("~/.local/bin/dockerls", probe), "/home/me/.local/bin/dockerls");
    assert.equal(expandVariables("${userHome}/bin/dockerls", probe), "/home/me/bin/dockerls");
    assert.equal(expandVariables("${workspaceFolder}/.venv/bin/dockerls", probe), "/work/app/.venv/bin/dockerls");
    assert.equal(expandVariables("a~b", probe), "a~b");
  });
});

describe("which", () => {
  test("searches PATH in order", () => {
    const probe = machine({ files: ["/usr/bin/dockerls", "/usr/local/bin/dockerls"] });
    assert.equal(which("dockerls", probe), "/usr/local/bin/dockerls");
  });

  test("tries PATHEXT on Windows and reads Path in any case", () => {
    const probe = machine({
      platform: "win32",
      files: [String.raw`C:\tools\dockerls.EXE`],
      env: { Path: String.raw`C:\Windows;C:\tools`, PATHEXT: ".COM;.EXE" },
    });
    assert.equal(which("dockerls", probe), String.raw`C:\tools\dockerls.EXE`);
  });

  test("does not search PATH for a path", () => {
    const probe = machine({ files: ["/usr/bin/dockerls"] });
    assert.equal(which("./dockerls", probe), undefined);
    assert.equal(which("/usr/bin/dockerls", probe), "/usr/bin/dockerls");
  });
});

describe("resolveServer", () => {
  test("the setting wins: an executable path gets `serve`", async () => {
    const probe = machine({ files: ["/opt/dockerls/bin/dockerls", "/usr/bin/dockerls"], path: "/usr/bin" });
    const server = found(await resolveServer("/opt/dockerls/bin/dockerls", probe));
    assert.deepEqual(server, { command: "/opt/dockerls/bin/dockerls", args: ["serve"], source: "setting" });
    assert.deepEqual(probe.asked, [], "the Python extension is not consulted");
  });

  test("the setting may be a path with spaces, unquoted", async () => {
    const probe = machine({ files: ["/opt/my tools/dockerls"] });
    assert.equal(found(await resolveServer("/opt/my tools/dockerls", probe)).command, "/opt/my tools/dockerls");
  });

  test("the setting may be a command line; `serve` is added once", async () => {
    const probe = machine({ files: ["/usr/bin/uvx", "/usr/bin/python3"], path: "/usr/bin" });
    assert.deepEqual(found(await resolveServer("uvx dockerls", probe)).args, ["dockerls", "serve"]);
    assert.deepEqual(found(await resolveServer("python3 -m dockerls serve", probe)), {
      command: "/usr/bin/python3",
      args: ["-m", "dockerls", "serve"],
      source: "setting",
    });
  });

  test("a relative path in the setting is taken from the workspace folder", async () => {
    const probe = machine({ files: ["/work/app/.venv/bin/dockerls"], workspaceFolder: "/work/app" });
    assert.equal(found(await resolveServer(".venv/bin/dockerls", probe)).command, "/work/app/.venv/bin/dockerls");
    assert.equal(
      found(await resolveServer("${workspaceFolder}/.venv/bin/dockerls", probe)).command,
      "/work/app/.venv/bin/dockerls",
    );
  });

  test("a wrong setting is reported, not silently replaced by another server", async () => {
    const probe = machine({ files: ["/usr/bin/dockerls"], path: "/usr/bin" });
    const missing = failed(await resolveServer("/nowhere/dockerls", probe));
    assert.match(missing.message, /dockerls\.server\.path names '\/nowhere\/dockerls', but there is no executable file/);
    assert.equal(missing.installCommand, undefined);
    const notOnPath = failed(await resolveServer("dockerls-dev", probe));
    assert.match(notOnPath.message, /'dockerls-dev', but it is not on PATH/);
  });

  test("an empty setting means: look for the server", async () => {
    const probe = machine({ files: ["/usr/bin/dockerls"], path: "/usr/bin" });
    assert.equal(found(await resolveServer("  ", probe)).source, "path");
  });

  test("then dockerls on PATH", async () => {
    const probe = machine({ files: ["/usr/bin/dockerls"], path: "/usr/bin" });
    assert.deepEqual(found(await resolveServer(undefined, probe)), {
      command: "/usr/bin/dockerls",
      args: ["serve"],
      source: "path",
    });
    assert.deepEqual(probe.asked, []);
  });

  test("then the Python extension's interpreter, when dockerls is installed in it", async () => {
    const probe = machine({ python: "/work/app/.venv/bin/python", pythonHasDockerls: true });
    assert.deepEqual(found(await resolveServer(undefined, probe)), {
      command: "/work/app/.venv/bin/python",
      args: ["-m", "dockerls", "serve"],
      source: "python",
    });
    assert.deepEqual(probe.asked, ["interpreter", "probe /work/app/.venv/bin/python"]);
  });

  test("else one install command for the selected interpreter", async () => {
    const probe = machine({ python: "/work/my app/.venv/bin/python", pythonHasDockerls: false });
    const missing = failed(await resolveServer(undefined, probe));
    assert.equal(missing.installCommand, "'/work/my app/.venv/bin/python' -m pip install dockerls");
    assert.match(missing.message, /not installed: it was not found on PATH or in the selected Python interpreter/);
    assert.ok(missing.message.endsWith("Install it with: '/work/my app/.venv/bin/python' -m pip install dockerls"));
  });

  test("else pipx when it is there, pip otherwise", async () => {
    const withPipx = failed(await resolveServer(undefined, machine({ files: ["/usr/bin/pipx"], path: "/usr/bin" })));
    assert.equal(withPipx.installCommand, "pipx install dockerls");
    assert.match(withPipx.message, /not found on PATH\. Install it with: pipx install dockerls$/);
    const withoutPipx = failed(await resolveServer(undefined, machine({})));
    assert.equal(withoutPipx.installCommand, "pip install dockerls");
  });
});

describe("install command and launch", () => {
  test("quotes only when needed", () => {
    assert.equal(shellQuote("/usr/bin/python3", "linux"), "/usr/bin/python3");
    assert.equal(shellQuote("it's", "linux"), `'it'\\''s'`);
    assert.equal(shellQuote(String.raw`C:\Program Files\python.exe`, "win32"), String.raw`"C:\Program Files\python.exe"`);
    assert.equal(
      installCommand(String.raw`C:\py\python.exe`, machine({ platform: "win32" })),
      String.raw`C:\py\python.exe -m pip install dockerls`,
    );
  });

  test("the server runs in the workspace folder with exactly its arguments", () => {
    const server = { command: "/usr/bin/dockerls", args: ["serve"], source: "path" } as const;
    assert.deepEqual(launch(server, "/work/app"), {
      command: "/usr/bin/dockerls",
      args: ["serve"],
      options: { cwd: "/work/app" },
    });
    assert.deepEqual(launch(server, undefined).options, {});
  });
});
