// The dockerls extension: start `dockerls serve` for Dockerfiles and stay out of
// the way. Every feature comes from the server; this file only finds it, hands
// it the user's settings and restarts it on request.

import * as os from "node:os";
import * as readline from "node:readline";
import type { Readable } from "node:stream";
import * as vscode from "vscode";
import {
  type ConfigurationRequest,
  type DocumentSelector,
  LanguageClient,
  type LanguageClientOptions,
  ResponseError,
} from "vscode-languageclient/node";

import { isExecutableFile, pythonHasDockerls } from "./machine";
import { type Probe, type Resolution, type ServerCommand, SETTING, launch, resolveServer } from "./serverCommand";
import { parseLogLine } from "./serverLog";
import { configurationItem, initializationOptions } from "./settings";

const ID = "dockerls";
const NAME = "dockerls";
const RESTART_COMMAND = "dockerls.restartServer";
const SHOW_OUTPUT_COMMAND = "dockerls.showOutput";
const PYTHON_EXTENSION = "ms-python.python";

const LANGUAGE = "dockerfile";

export const DOCUMENT_SELECTOR: DocumentSelector = [
  { scheme: "file", language: LANGUAGE },
  { scheme: "untitled", language: LANGUAGE },
];

// The parts of the Python extension's API used here (it ships no typings on npm).
interface PythonEnvironmentsApi {
  getActiveEnvironmentPath(resource?: vscode.Uri): { readonly path: string };
  resolveEnvironment(
    environment: { readonly path: string } | string,
  ): Promise<{ readonly executable: { readonly uri?: vscode.Uri } } | undefined>;
  readonly onDidChangeActiveEnvironmentPath?: vscode.Event<unknown>;
}

interface PythonExtensionApi {
  readonly environments?: PythonEnvironmentsApi;
  readonly settings?: {
    getExecutionDetails(resource?: vscode.Uri): { readonly execCommand: readonly string[] | undefined };
  };
}

function firstWorkspaceFolder(): vscode.WorkspaceFolder | undefined {
  return vscode.workspace.workspaceFolders?.[0];
}

async function pythonApi(): Promise<PythonExtensionApi | undefined> {
  const extension = vscode.extensions.getExtension<PythonExtensionApi>(PYTHON_EXTENSION);
  if (extension === undefined) {
    return undefined;
  }
  return extension.isActive ? extension.exports : await extension.activate();
}

/** The interpreter selected in the Python extension, if there is one. */
async function selectedInterpreter(api: PythonExtensionApi): Promise<string | undefined> {
  const resource = firstWorkspaceFolder()?.uri;
  if (api.environments !== undefined) {
    const active = api.environments.getActiveEnvironmentPath(resource);
    const resolved = await api.environments.resolveEnvironment(active);
    return resolved?.executable.uri?.fsPath ?? active.path;
  }
  return api.settings?.getExecutionDetails(resource).execCommand?.[0];
}

function machineProbe(pythonInterpreter: () => Promise<string | undefined>): Probe {
  return {
    platform: process.platform,
    env: process.env,
    homeDir: os.homedir(),
    workspaceFolder: firstWorkspaceFolder()?.uri.fsPath,
    isExecutableFile,
    pythonInterpreter,
    pythonHasDockerls,
  };
}

/** Server stderr to the output channel, each line at the level the server logged it. */
function pipeServerLog(input: Readable, output: vscode.LogOutputChannel): void {
  readline
    .createInterface({ input, crlfDelay: Infinity, terminal: false })
    .on("line", (line) => {
      const { level, text } = parseLogLine(line);
      output[level](text);
    });
}

/** Answer `workspace/configuration` with the settings the user set, never the defaults. */
const answerConfiguration: ConfigurationRequest.MiddlewareSignature = async (params, token, next) => {
  const ours = params.items.map((item) => {
    // With the language id, inspect() also reports "[dockerfile]"-specific values.
    const uri = item.scopeUri === undefined ? undefined : vscode.Uri.parse(item.scopeUri);
    const scope = uri === undefined ? { languageId: LANGUAGE } : { uri, languageId: LANGUAGE };
    const configuration = vscode.workspace.getConfiguration(ID, scope);
    return configurationItem(item.section, (key) => configuration.inspect(key));
  });
  if (ours.every((answer) => answer !== undefined)) {
    return ours;
  }
  const theirs = await next(params, token);
  if (theirs instanceof ResponseError || !Array.isArray(theirs)) {
    return theirs;
  }
  return theirs.map((answer: unknown, i) => (ours[i] !== undefined ? ours[i] : answer));
};

class Controller implements vscode.Disposable {
  private client: LanguageClient | undefined;
  private source: ServerCommand["source"] | undefined;
  private queue: Promise<void> = Promise.resolve();
  private pythonWatch: vscode.Disposable | undefined;

  constructor(private readonly output: vscode.LogOutputChannel) {}

  /**
   * Ask the Python extension (activating it only now: most users have dockerls
   * on PATH) and, from then on, restart when another interpreter is selected
   * while the server comes from the interpreter or was not found.
   */
  private async interpreter(): Promise<string | undefined> {
    try {
      const api = await pythonApi();
      if (api === undefined) {
        return undefined;
      }
      const changed = api.environments?.onDidChangeActiveEnvironmentPath;
      if (this.pythonWatch === undefined && changed !== undefined) {
        this.pythonWatch = changed(() => {
          if (this.source === undefined || this.source === "python") {
            void this.restart();
          }
        });
      }
      return await selectedInterpreter(api);
    } catch (error) {
      this.output.warn(`Could not ask the Python extension for its interpreter: ${String(error)}`);
      return undefined;
    }
  }

  /** Stop the running server, find it again and start it; calls run one after another. */
  restart(): Promise<void> {
    this.queue = this.queue
      .then(() => this.stop())
      .then(() => this.start())
      .catch((error: unknown) => {
        this.output.error(`dockerls could not start: ${String(error)}`);
      });
    return this.queue;
  }

  private async start(): Promise<void> {
    const configured = vscode.workspace.getConfiguration(ID).get<string>("server.path");
    const resolution = await resolveServer(
      configured,
      machineProbe(() => this.interpreter()),
    );
    if (!resolution.ok) {
      this.source = undefined;
      this.output.error(resolution.message);
      void this.explain(resolution);
      return;
    }
    this.source = resolution.server.source;
    const folder = firstWorkspaceFolder()?.uri.fsPath;
    const executable = launch(resolution.server, folder);
    this.output.info(`Starting ${executable.command} ${executable.args.join(" ")} (found: ${resolution.server.source})`);
    const clientOptions: LanguageClientOptions = {
      documentSelector: DOCUMENT_SELECTOR,
      outputChannel: this.output,
      initializationOptions: initializationOptions(),
      stdioOptions: { stdout: pipeServerLog, stderr: pipeServerLog },
      middleware: { workspace: { configuration: answerConfiguration } },
    };
    const client = new LanguageClient(ID, NAME, executable, clientOptions);
    this.client = client;
    await client.start();
  }

  private async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client !== undefined) {
      await client.dispose();
    }
  }

  /** Tell the user why there is no server, with the one command that installs it. */
  private async explain(resolution: Extract<Resolution, { ok: false }>): Promise<void> {
    const install = resolution.installCommand;
    const actions = install === undefined ? ["Open Setting"] : ["Install in Terminal", "Copy Command", "Open Setting"];
    const choice = await vscode.window.showErrorMessage(resolution.message, ...actions);
    if (choice === "Open Setting") {
      await vscode.commands.executeCommand("workbench.action.openSettings", SETTING);
    } else if (choice === "Copy Command" && install !== undefined) {
      await vscode.env.clipboard.writeText(install);
    } else if (choice === "Install in Terminal" && install !== undefined) {
      const terminal = vscode.window.createTerminal("Install dockerls");
      terminal.show();
      terminal.sendText(install);
      const after = await vscode.window.showInformationMessage(
        "When the installation has finished, restart the dockerls server.",
        "Restart Server",
      );
      if (after === "Restart Server") {
        await this.restart();
      }
    }
  }

  dispose(): void {
    this.pythonWatch?.dispose();
    void this.stop();
  }

  async deactivate(): Promise<void> {
    await this.queue;
    await this.stop();
  }
}

let controller: Controller | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel(NAME, { log: true });
  const started = new Controller(output);
  controller = started;
  context.subscriptions.push(
    output,
    started,
    vscode.commands.registerCommand(RESTART_COMMAND, () => started.restart()),
    vscode.commands.registerCommand(SHOW_OUTPUT_COMMAND, () => {
      output.show(true);
    }),
    vscode.workspace.onDidChangeConfiguration((event) => {
      // Everything else reaches the running server through workspace/configuration.
      if (event.affectsConfiguration(SETTING)) {
        void started.restart();
      }
    }),
  );
  await started.restart();
}

export async function deactivate(): Promise<void> {
  await controller?.deactivate();
  controller = undefined;
}
