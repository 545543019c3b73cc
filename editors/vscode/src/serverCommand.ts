// Finding the command that starts the dockerls language server.
//
// Pure logic: everything that touches the machine (the file system, the Python
// extension, running a probe) comes in through `Probe`, so unit tests can drive
// every branch and the end-to-end test resolves the server exactly as the
// extension does.

import * as path from "node:path";

/** How the server is started: a program, its arguments, and where it was found. */
export interface ServerCommand {
  readonly command: string;
  readonly args: readonly string[];
  /** `setting` (dockerls.server.path), `path` (dockerls on PATH) or `python` (the selected interpreter). */
  readonly source: "setting" | "path" | "python";
}

/** Why no server could be started, and the one command that would fix it. */
export interface NotFound {
  readonly message: string;
  /** A shell command that installs dockerls; absent when the setting itself is wrong. */
  readonly installCommand?: string;
}

export type Resolution = { readonly ok: true; readonly server: ServerCommand } | ({ readonly ok: false } & NotFound);

/** What the resolution needs to know about the machine. */
export interface Probe {
  readonly platform: NodeJS.Platform;
  /** The environment: PATH (and PATHEXT on Windows) are read from it. */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly homeDir: string;
  /** The first workspace folder, for `${workspaceFolder}` in the setting. */
  readonly workspaceFolder?: string | undefined;
  /** Whether `file` exists and is a file (on POSIX: an executable one). */
  isExecutableFile(file: string): boolean;
  /** The interpreter selected in the Python extension, if there is one. */
  pythonInterpreter(): Promise<string | undefined>;
  /** Whether `python -m dockerls` works with that interpreter. */
  pythonHasDockerls(python: string): Promise<boolean>;
}

export const SERVER_NAME = "dockerls";
export const SERVE = "serve";
export const SETTING = "dockerls.server.path";

/**
 * Split a command line into words: whitespace separates, single and double
 * quotes group, and a backslash escapes the next character outside single quotes
 * (on POSIX only: on Windows a backslash is a path separator).
 */
export function splitCommandLine(line: string, platform: NodeJS.Platform): string[] {
  const words: string[] = [];
  let word = "";
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line.charAt(i);
    if (quote !== undefined) {
      if (c === quote) {
        quote = undefined;
      } else if (c === "\\" && quote === '"' && platform !== "win32" && i + 1 < line.length) {
        word += line.charAt(++i);
      } else {
        word += c;
      }
    } else if (c === '"' || c === "'") {
      quote = c;
      inWord = true;
    } else if (c === "\\" && platform !== "win32" && i + 1 < line.length) {
      word += line.charAt(++i);
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) {
        words.push(word);
        word = "";
        inWord = false;
      }
    } else {
      word += c;
      inWord = true;
    }
  }
  if (inWord) {
    words.push(word);
  }
  return words;
}

/** `~`, `${userHome}` and `${workspaceFolder}` in a setting, replaced. */
export function expandVariables(value: string, probe: Pick<Probe, "homeDir" | "workspaceFolder">): string {
  let expanded = value.replace(/\$\{userHome\}/g, probe.homeDir);
  if (probe.workspaceFolder !== undefined) {
    expanded = expanded.replace(/\$\{workspaceFolder\}/g, probe.workspaceFolder);
  }
  if (expanded === "~" || expanded.startsWith("~/") || expanded.startsWith("~\\")) {
    expanded = probe.homeDir + expanded.slice(1);
  }
  return expanded;
}

/** Whether a program name is a path (relative or absolute) rather than a name to look up. */
function isPath(program: string, platform: NodeJS.Platform): boolean {
  return program.includes("/") || (platform === "win32" && (program.includes("\\") || /^[a-zA-Z]:/.test(program)));
}

/** The full path of `program` as the shell would find it on PATH, or undefined. */
export function which(program: string, probe: Pick<Probe, "platform" | "env" | "isExecutableFile">): string | undefined {
  const p = probe.platform === "win32" ? path.win32 : path.posix;
  const extensions =
    probe.platform === "win32"
      ? ["", ...(probe.env.PATHEXT ?? ".COM;.EXE;.BAT;.CMD").split(";").filter((e) => e !== "")]
      : [""];
  const candidates = (name: string): string[] => extensions.map((ext) => name + ext);
  if (isPath(program, probe.platform)) {
    return candidates(program).find((c) => probe.isExecutableFile(c));
  }
  // Windows spells the variable "Path"; environment lookups there are case-insensitive.
  const pathKey =
    probe.platform === "win32" ? Object.keys(probe.env).find((k) => k.toUpperCase() === "PATH") ?? "PATH" : "PATH";
  const dirs = (probe.env[pathKey] ?? "").split(p.delimiter).filter((d) => d !== "");
  for (const dir of dirs) {
    const found = candidates(p.join(dir, program)).find((c) => probe.isExecutableFile(c));
    if (found !== undefined) {
      return found;
    }
  }
  return undefined;
}

/** A relative path is taken from the workspace folder (the extension host's directory means nothing to a user). */
function anchored(program: string, probe: Pick<Probe, "platform" | "workspaceFolder">): string {
  const p = probe.platform === "win32" ? path.win32 : path.posix;
  if (!isPath(program, probe.platform) || p.isAbsolute(program) || probe.workspaceFolder === undefined) {
    return program;
  }
  return p.join(probe.workspaceFolder, program);
}

/** The program's arguments with `serve` appended unless the user already wrote it. */
function withServe(args: readonly string[]): string[] {
  return args.includes(SERVE) ? [...args] : [...args, SERVE];
}

/**
 * Read `dockerls.server.path`: the path of the dockerls executable, a program on
 * PATH (`dockerls-dev`), or a command line (`uvx dockerls`, `python3 -m dockerls`).
 * `serve` is appended unless the words already contain it.
 */
export function fromSetting(configured: string, probe: Probe): Resolution {
  const value = expandVariables(configured.trim(), probe);
  // A path with spaces in it, given without quotes, is still one program.
  const whole = anchored(value, probe);
  if (isPath(value, probe.platform) && probe.isExecutableFile(whole)) {
    return { ok: true, server: { command: whole, args: [SERVE], source: "setting" } };
  }
  const [program, ...args] = splitCommandLine(value, probe.platform);
  if (program === undefined) {
    return { ok: false, message: `The setting ${SETTING} is empty.` };
  }
  const found = which(anchored(program, probe), probe);
  if (found === undefined) {
    const where = isPath(program, probe.platform) ? "there is no executable file" : "it is not on PATH";
    return {
      ok: false,
      message: `The setting ${SETTING} names '${program}', but ${where}. Fix the setting or clear it to find dockerls automatically.`,
    };
  }
  return { ok: true, server: { command: found, args: withServe(args), source: "setting" } };
}

/** A word quoted for a POSIX shell or cmd/PowerShell when it needs it. */
export function shellQuote(word: string, platform: NodeJS.Platform): string {
  if (/^[\w@%+=:,./\\-]+$/.test(word)) {
    return word;
  }
  return platform === "win32" ? `"${word}"` : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The one command that installs dockerls where the extension will find it. */
export function installCommand(python: string | undefined, probe: Pick<Probe, "platform" | "env" | "isExecutableFile">): string {
  if (python !== undefined) {
    // Into the interpreter selected in the Python extension: found there on the next start.
    return `${shellQuote(python, probe.platform)} -m pip install ${SERVER_NAME}`;
  }
  if (which("pipx", probe) !== undefined) {
    return `pipx install ${SERVER_NAME}`;
  }
  return `pip install ${SERVER_NAME}`;
}

/**
 * Find the server: the setting, else `dockerls` on PATH, else the Python
 * extension's interpreter (`python -m dockerls serve`) when dockerls is installed
 * in it, else say how to install it.
 */
export async function resolveServer(configured: string | undefined, probe: Probe): Promise<Resolution> {
  if (configured !== undefined && configured.trim() !== "") {
    return fromSetting(configured, probe);
  }
  const onPath = which(SERVER_NAME, probe);
  if (onPath !== undefined) {
    return { ok: true, server: { command: onPath, args: [SERVE], source: "path" } };
  }
  const python = await probe.pythonInterpreter();
  if (python !== undefined && (await probe.pythonHasDockerls(python))) {
    return { ok: true, server: { command: python, args: ["-m", SERVER_NAME, SERVE], source: "python" } };
  }
  const install = installCommand(python, probe);
  const looked =
    python === undefined
      ? "on PATH"
      : `on PATH or in the selected Python interpreter (${python})`;
  return {
    ok: false,
    message: `The dockerls language server is not installed: it was not found ${looked}. Install it with: ${install}`,
    installCommand: install,
  };
}

/** The process options the language client spawns the server with (stdio is the transport). */
export interface Launch {
  readonly command: string;
  readonly args: string[];
  readonly options: { readonly cwd?: string };
}

/**
 * How the server is spawned: `child_process.spawn(command, args, options)`, the
 * language client's `Executable` without a transport (so it adds no `--stdio`).
 */
export function launch(server: ServerCommand, workspaceFolder: string | undefined): Launch {
  return {
    command: server.command,
    args: [...server.args],
    options: workspaceFolder === undefined ? {} : { cwd: workspaceFolder },
  };
}
