// End to end: `dockerls serve` spoken to over stdio exactly as the extension
// launches it, without VS Code itself (which cannot be downloaded here).
//
// Same server resolution (src/serverCommand.ts: DOCKERLS_SERVER stands in for
// the dockerls.server.path setting, else dockerls on PATH), same spawn
// arguments and working directory, same initialization options, the same
// answers to workspace/configuration (src/settings.ts), and VS Code's recorded
// client capabilities (test/fixtures/vscode-client-capabilities.json, a copy of
// pytest-lsp's visual_studio_code_v1.65.2.json).
//
// Every wait has a deadline; nothing sleeps.

import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { after, before, describe, test } from "node:test";
import {
  type ClientCapabilities,
  type CodeAction,
  CodeActionRequest,
  CodeActionResolveRequest,
  type Command,
  ConfigurationRequest,
  type Diagnostic,
  ExecuteCommandRequest,
  DidOpenTextDocumentNotification,
  ExitNotification,
  HoverRequest,
  InitializeRequest,
  type InitializeResult,
  InitializedNotification,
  LogMessageNotification,
  ShowMessageNotification,
  type Hover,
  type ProtocolConnection,
  PublishDiagnosticsNotification,
  type PublishDiagnosticsParams,
  RegistrationRequest,
  ShutdownRequest,
  type TextEdit,
  type WorkspaceEdit,
  StreamMessageReader,
  StreamMessageWriter,
  createProtocolConnection,
} from "vscode-languageserver-protocol/node";

import { isExecutableFile } from "../../src/machine";
import { type ServerCommand, launch, resolveServer } from "../../src/serverCommand";
import { type Inspection, configurationItem, initializationOptions } from "../../src/settings";

const DEADLINE_MS = 30_000;

const fixture = join(__dirname, "..", "..", "..", "test", "fixtures", "vscode-client-capabilities.json");
const recorded = JSON.parse(readFileSync(fixture, "utf8")) as {
  clientInfo: { name: string; version: string };
  capabilities: ClientCapabilities;
};

// What the user "set" in VS Code for this test: one severity, at workspace scope.
// Everything else is left at the contributed defaults and so must not be sent.
const userSettings: Record<string, Inspection> = {
  select: { defaultValue: [] },
  ignore: { defaultValue: [] },
  severity: { defaultValue: {}, workspaceValue: { DKL201: "error" } },
  target: { defaultValue: "" },
};

const DOCKERFILE = [
  "FROM node:20", // DKL201 full-language-base on the image
  "WORKDIR /app",
  "COPY package*.json ./",
  "RUN npm install", // DKL205: npm install instead of npm ci (the lockfile is in the context)
  "COPY . .",
  'CMD ["node", "index.js"]',
  "",
].join("\n");

const UNTERMINATED = "FROM alpine\nRUN <<EOF\necho hi\n"; // DKL003 at the heredoc marker

const GO_SINGLE_STAGE = [
  "FROM golang:1.22", // DKL203: the only stage builds, the toolchain ships
  "WORKDIR /src",
  "COPY go.mod go.sum ./",
  "RUN go mod download",
  "COPY . .",
  "RUN go build -o /bin/server ./cmd/server",
  'ENTRYPOINT ["/bin/server"]',
  "",
].join("\n");

/** Wait for `predicate` to hold over the diagnostics published so far, or fail at the deadline. */
class Diagnostics {
  private readonly published = new Map<string, Diagnostic[]>();
  private readonly waiters = new Set<() => void>();

  record(params: PublishDiagnosticsParams): void {
    this.published.set(params.uri, params.diagnostics);
    for (const wake of this.waiters) {
      wake();
    }
  }

  async waitFor(uri: string, predicate: (diagnostics: Diagnostic[]) => boolean, what: string): Promise<Diagnostic[]> {
    const check = (): Diagnostic[] | undefined => {
      const current = this.published.get(uri);
      return current !== undefined && predicate(current) ? current : undefined;
    };
    let wake: (() => void) | undefined;
    let timer: NodeJS.Timeout | undefined;
    try {
      return await new Promise<Diagnostic[]>((resolve, reject) => {
        wake = () => {
          const found = check();
          if (found !== undefined) {
            resolve(found);
          }
        };
        this.waiters.add(wake);
        timer = setTimeout(() => {
          const last = JSON.stringify(this.published.get(uri)?.map((d) => d.code));
          reject(new Error(`no ${what} for ${uri} within ${DEADLINE_MS} ms (last published codes: ${last})`));
        }, DEADLINE_MS);
        wake();
      });
    } finally {
      if (wake !== undefined) {
        this.waiters.delete(wake);
      }
      clearTimeout(timer);
    }
  }
}

/** Apply LSP text edits to a text (positions in UTF-16 units, as negotiated by default). */
function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === "\n") {
      lineStarts.push(i + 1);
    }
  }
  const offset = (line: number, character: number): number => (lineStarts[line] ?? text.length) + character;
  const sorted = [...edits].sort(
    (a, b) => offset(b.range.start.line, b.range.start.character) - offset(a.range.start.line, a.range.start.character),
  );
  let result = text;
  for (const edit of sorted) {
    const start = offset(edit.range.start.line, edit.range.start.character);
    const end = offset(edit.range.end.line, edit.range.end.character);
    result = result.slice(0, start) + edit.newText + result.slice(end);
  }
  return result;
}

/** The edits a workspace edit makes to one document (`changes` or `documentChanges`). */
function editsFor(edit: WorkspaceEdit, uri: string): TextEdit[] {
  const edits: TextEdit[] = [...(edit.changes?.[uri] ?? [])];
  for (const change of edit.documentChanges ?? []) {
    if ("textDocument" in change && change.textDocument.uri === uri) {
      edits.push(...change.edits.filter((e): e is TextEdit => "range" in e));
    }
  }
  return edits;
}

function hoverText(contents: Hover["contents"]): string {
  const parts = Array.isArray(contents) ? contents : [contents];
  return parts.map((part) => (typeof part === "string" ? part : part.value)).join("\n");
}

/** A deadline on any promise, so a silent server fails the test instead of hanging it. */
async function within<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`${what}: no answer within ${DEADLINE_MS} ms`));
    }, DEADLINE_MS);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

interface Session {
  readonly project: string;
  readonly dockerfileUri: string;
  readonly server: ServerCommand;
  readonly child: ChildProcess;
  readonly connection: ProtocolConnection;
  readonly initialized: InitializeResult;
}

function messageText(diagnostic: Diagnostic): string {
  return typeof diagnostic.message === "string" ? diagnostic.message : diagnostic.message.value;
}

describe("dockerls serve, launched as the VS Code extension launches it", () => {
  let session: Session | undefined;
  let project: string | undefined;
  let child: ChildProcess | undefined;
  const diagnostics = new Diagnostics();
  const configurationRequests: unknown[] = [];
  const logged: string[] = [];
  const shownWaiters = new Set<(message: string) => void>();
  let stderr = "";

  /** The next window/showMessage that contains `text`, or a failure at the deadline. */
  function nextShown(text: string): Promise<string> {
    return within(
      new Promise<string>((resolve) => {
        const wake = (message: string): void => {
          if (message.includes(text)) {
            shownWaiters.delete(wake);
            resolve(message);
          }
        };
        shownWaiters.add(wake);
      }),
      `window/showMessage with "${text}"`,
    );
  }

  /** The running session; a test fails (not skips) when the server did not start. */
  function live(): Session {
    assert.ok(session !== undefined, "the server did not start (see the error in `before`)");
    return session;
  }

  before(async () => {
    const resolution = await resolveServer(process.env.DOCKERLS_SERVER, {
      platform: process.platform,
      env: process.env,
      homeDir: os.homedir(),
      isExecutableFile,
      // No Python extension outside VS Code: the e2e test uses the setting or PATH.
      pythonInterpreter: () => Promise.resolve(undefined),
      pythonHasDockerls: () => Promise.resolve(false),
    });
    if (!resolution.ok) {
      throw new Error(
        `${resolution.message}\nPut the dockerls virtual environment's bin directory on PATH, ` +
          "or set DOCKERLS_SERVER to the dockerls executable.",
      );
    }
    const server = resolution.server;

    project = mkdtempSync(join(os.tmpdir(), "dockerls-e2e-"));
    writeFileSync(join(project, "Dockerfile"), DOCKERFILE);
    writeFileSync(join(project, "package.json"), '{"name": "app", "version": "1.0.0"}\n');
    writeFileSync(join(project, "package-lock.json"), '{"name": "app", "lockfileVersion": 3, "packages": {}}\n');
    writeFileSync(join(project, "index.js"), "console.log('hi')\n");
    const dockerfileUri = pathToFileURL(join(project, "Dockerfile")).href;

    const how = launch(server, project);
    const spawned = spawn(how.command, how.args, { ...how.options, stdio: ["pipe", "pipe", "pipe"] });
    child = spawned;
    spawned.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const connection = createProtocolConnection(
      new StreamMessageReader(spawned.stdout),
      new StreamMessageWriter(spawned.stdin),
    );
    connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
      diagnostics.record(params);
    });
    connection.onNotification(LogMessageNotification.type, (params) => {
      logged.push(params.message);
    });
    connection.onNotification(ShowMessageNotification.type, (params) => {
      logged.push(params.message);
      for (const wake of shownWaiters) {
        wake(params.message);
      }
    });
    connection.onRequest(ConfigurationRequest.type, (params) => {
      configurationRequests.push(params);
      // What the extension's middleware answers: only the explicitly set values.
      return params.items.map((item) => configurationItem(item.section, (key) => userSettings[key]) ?? null);
    });
    connection.onRequest(RegistrationRequest.type, () => {
      // Accepted, as VS Code accepts dynamic registrations.
    });
    connection.listen();

    const folder = pathToFileURL(project).href;
    const initialized = await within(
      connection.sendRequest(InitializeRequest.type, {
        processId: process.pid,
        clientInfo: recorded.clientInfo,
        locale: "en",
        // VS Code still sends both deprecated root fields; so does this test.
        // eslint-disable-next-line @typescript-eslint/no-deprecated
        rootPath: project,
        // eslint-disable-next-line @typescript-eslint/no-deprecated
        rootUri: folder,
        capabilities: recorded.capabilities,
        initializationOptions: initializationOptions(),
        trace: "off",
        workspaceFolders: [{ uri: folder, name: "project" }],
      }),
      "initialize",
    );
    await connection.sendNotification(InitializedNotification.type, {});
    session = { project, dockerfileUri, server, child: spawned, connection, initialized };
  });

  after(async () => {
    try {
      if (session !== undefined) {
        const { connection, child: server } = session;
        await within(connection.sendRequest(ShutdownRequest.type), "shutdown");
        const exited = new Promise((resolve) => server.once("exit", resolve));
        await connection.sendNotification(ExitNotification.type);
        if (server.exitCode === null) {
          await within(exited, "exit");
        }
        assert.equal(server.exitCode, 0, `the server exited with ${String(server.exitCode)}:\n${stderr}\n${logged.join("\n")}`);
        connection.dispose();
      }
    } finally {
      // `before` may have failed part-way: tear down whatever exists.
      if (child?.exitCode === null) {
        child.kill();
      }
      if (project !== undefined) {
        rmSync(project, { recursive: true, force: true });
      }
    }
  });

  test("the server is found the way the extension finds it", () => {
    const { server, initialized } = live();
    assert.deepEqual(server.args.slice(-1), ["serve"]);
    assert.ok(["setting", "path"].includes(server.source));
    assert.equal(initialized.serverInfo?.name, "dockerls");
  });

  test("diagnostics: DKL201 on the full base image, with the user's severity", async () => {
    const { connection, dockerfileUri } = live();
    await connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri: dockerfileUri, languageId: "dockerfile", version: 1, text: DOCKERFILE },
    });
    const published = await diagnostics.waitFor(
      dockerfileUri,
      (ds) => ds.some((d) => d.code === "DKL201"),
      "DKL201",
    );
    const full = published.find((d) => d.code === "DKL201");
    assert.ok(full !== undefined);
    assert.equal(full.range.start.line, 0);
    assert.equal(full.source, "dockerls");
    assert.match(messageText(full), /node:20/);
    // dockerls.severity {"DKL201": "error"} came through workspace/configuration.
    assert.equal(full.severity, 1, "DKL201 should be an Error, as set in the user's settings");
    assert.ok(configurationRequests.length > 0, "the server asked for the configuration");
    const dkl205 = published.find((d) => d.code === "DKL205");
    assert.ok(dkl205 !== undefined, "DKL205 npm-install-in-build");
    assert.equal(dkl205.range.start.line, 3);
  });

  test("diagnostics: DKL003 on an unterminated heredoc in an untitled document", async () => {
    const { connection } = live();
    const uri = "untitled:Untitled-1";
    await connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId: "dockerfile", version: 1, text: UNTERMINATED },
    });
    const published = await diagnostics.waitFor(uri, (ds) => ds.some((d) => d.code === "DKL003"), "DKL003");
    const heredoc = published.find((d) => d.code === "DKL003");
    assert.ok(heredoc !== undefined);
    assert.deepEqual(heredoc.range.start, { line: 1, character: 4 });
    assert.equal(heredoc.severity, 1);
  });

  test("code action: the DKL205 quick fix turns `npm install` into `npm ci`", async (t) => {
    const { connection, dockerfileUri, initialized } = live();
    if (!initialized.capabilities.codeActionProvider) {
      t.skip("the server does not advertise codeActionProvider yet (code actions are being added)");
      return;
    }
    const published = await diagnostics.waitFor(dockerfileUri, (ds) => ds.some((d) => d.code === "DKL205"), "DKL205");
    const dkl205 = published.find((d) => d.code === "DKL205");
    assert.ok(dkl205 !== undefined);
    const answer = await within(
      connection.sendRequest(CodeActionRequest.type, {
        textDocument: { uri: dockerfileUri },
        range: dkl205.range,
        context: { diagnostics: [dkl205], only: ["quickfix"], triggerKind: 1 },
      }),
      "textDocument/codeAction",
    );
    const actions = (answer ?? []).filter((a: Command | CodeAction): a is CodeAction => "kind" in a || "edit" in a);
    const candidates = actions.filter(
      (a) => a.diagnostics?.some((d) => d.code === "DKL205") ?? a.title.includes("npm ci"),
    );
    let fix = candidates[0];
    assert.ok(fix !== undefined, `no DKL205 quick fix among: ${JSON.stringify(actions.map((a) => a.title))}`);
    assert.equal(fix.kind, "quickfix");
    if (fix.edit === undefined) {
      // VS Code resolves the edit lazily when the server supports it.
      fix = await within(connection.sendRequest(CodeActionResolveRequest.type, fix), "codeAction/resolve");
    }
    assert.ok(fix.edit !== undefined, "the quick fix carries an edit");
    const fixed = applyEdits(DOCKERFILE, editsFor(fix.edit, dockerfileUri));
    assert.equal(fixed, DOCKERFILE.replace("RUN npm install", "RUN npm ci"));
  });

  test("hover on the FROM image describes it", async (t) => {
    const { connection, dockerfileUri, initialized } = live();
    if (!initialized.capabilities.hoverProvider) {
      t.skip("the server does not advertise hoverProvider yet (hover is being added)");
      return;
    }
    await diagnostics.waitFor(dockerfileUri, (ds) => ds.length > 0, "diagnostics");
    const hover = await within(
      connection.sendRequest(HoverRequest.type, {
        textDocument: { uri: dockerfileUri },
        position: { line: 0, character: 7 }, // inside `node:20`
      }),
      "textDocument/hover",
    );
    assert.ok(hover !== null, "a hover on the base image");
    assert.match(hoverText(hover.contents), /node/i);
  });
  test("refactor: split a single-stage Go build; the notes come with the action's command", async () => {
    const { connection, initialized } = live();
    const uri = "untitled:Untitled-2";
    await connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId: "dockerfile", version: 1, text: GO_SINGLE_STAGE },
    });
    const published = await diagnostics.waitFor(uri, (ds) => ds.some((d) => d.code === "DKL203"), "DKL203");
    const single = published.find((d) => d.code === "DKL203");
    assert.ok(single !== undefined);
    const answer = await within(
      connection.sendRequest(CodeActionRequest.type, {
        textDocument: { uri },
        range: single.range,
        context: { diagnostics: [single], only: ["refactor"], triggerKind: 1 },
      }),
      "textDocument/codeAction",
    );
    const splits = (answer ?? []).filter(
      (a: Command | CodeAction): a is CodeAction => "kind" in a && a.title.startsWith("Split into build and runtime"),
    );
    let split = splits.find((a) => a.title.includes("runtime on scratch"));
    assert.ok(split !== undefined, `no scratch split among: ${JSON.stringify(splits.map((a) => a.title))}`);
    assert.equal(split.kind, "refactor.rewrite");
    if (split.edit === undefined) {
      split = await within(connection.sendRequest(CodeActionResolveRequest.type, split), "codeAction/resolve");
    }
    assert.ok(split.edit !== undefined, "the split carries an edit");
    const after = applyEdits(GO_SINGLE_STAGE, editsFor(split.edit, uri)).split("\n");
    assert.equal(after[0], "FROM golang:1.22 AS build");
    assert.ok(after.includes("FROM scratch"), after.join("\n"));
    // vscode-languageclient registers the commands the server lists and runs the
    // action's command after applying the edit: the server shows the notes.
    const command = split.command;
    assert.ok(command !== undefined, "the split carries its notes as a command");
    assert.ok(initialized.capabilities.executeCommandProvider?.commands.includes(command.command));
    const shown = nextShown("Only the binary");
    await within(
      connection.sendRequest(ExecuteCommandRequest.type, { command: command.command, arguments: command.arguments ?? [] }),
      "workspace/executeCommand",
    );
    assert.ok((await shown).startsWith(`${split.title}:`));
  });
});
