// Which of the user's settings the server gets.
//
// Pure logic. The server layers what the editor sends over the project's own
// configuration (`[tool.dockerls]` in pyproject.toml, `.dockerls.toml`), so the
// extension sends only the values a user set explicitly, never the contributed
// defaults: an empty `dockerls.select` default would otherwise override a
// project's `select` on every machine.

/** The shape of `WorkspaceConfiguration.inspect()`, without depending on `vscode`. */
export interface Inspection {
  readonly defaultValue?: unknown;
  readonly globalValue?: unknown;
  readonly workspaceValue?: unknown;
  readonly workspaceFolderValue?: unknown;
  readonly defaultLanguageValue?: unknown;
  readonly globalLanguageValue?: unknown;
  readonly workspaceLanguageValue?: unknown;
  readonly workspaceFolderLanguageValue?: unknown;
}

export type Inspect = (key: string) => Inspection | undefined;

/** The keys of the `dockerls` section the server reads, with how VS Code combines scopes. */
export const SERVER_SETTINGS = {
  select: "replace",
  ignore: "replace",
  severity: "merge", // an object setting: VS Code merges it across scopes
  target: "replace",
} as const;

export type ServerSettingKey = keyof typeof SERVER_SETTINGS;

/** The explicit values, least specific first (VS Code's precedence; defaults left out). */
function explicitValues(inspection: Inspection): unknown[] {
  return [
    inspection.globalValue,
    inspection.workspaceValue,
    inspection.workspaceFolderValue,
    inspection.globalLanguageValue,
    inspection.workspaceLanguageValue,
    inspection.workspaceFolderLanguageValue,
  ].filter((value) => value !== undefined && value !== null);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The value the user set for one key, or undefined when only the default applies. */
export function explicitValue(key: ServerSettingKey, inspection: Inspection | undefined): unknown {
  if (inspection === undefined) {
    return undefined;
  }
  const values = explicitValues(inspection);
  if (values.length === 0) {
    return undefined;
  }
  if (SERVER_SETTINGS[key] === "merge" && values.every(isPlainObject)) {
    return Object.assign({}, ...values) as Record<string, unknown>;
  }
  const last = values[values.length - 1];
  // An empty target means "the last stage", which is what leaving it out means too.
  if (key === "target" && typeof last === "string" && last.trim() === "") {
    return undefined;
  }
  return last;
}

/**
 * The `dockerls` section as the server should see it: only the keys the user
 * set, at whichever scope. This answers `workspace/configuration`.
 */
export function serverSettings(inspect: Inspect): Record<string, unknown> {
  const settings: Record<string, unknown> = {};
  for (const key of Object.keys(SERVER_SETTINGS) as ServerSettingKey[]) {
    const value = explicitValue(key, inspect(key));
    if (value !== undefined) {
      settings[key] = value;
    }
  }
  return settings;
}

/**
 * The `initializationOptions` sent when the server starts.
 *
 * Settings travel only through `workspace/configuration`: the server keeps its
 * initialization options underneath every later configuration, so a setting sent
 * here and removed by the user afterwards would stay in force until a restart.
 */
export function initializationOptions(): Record<string, never> {
  return {};
}

/** The answer to one `workspace/configuration` item, or undefined when it is not ours. */
export function configurationItem(section: string | undefined, inspect: Inspect): unknown {
  if (section === "dockerls") {
    return serverSettings(inspect);
  }
  if (section?.startsWith("dockerls.")) {
    const key = section.slice("dockerls.".length);
    if (key in SERVER_SETTINGS) {
      return explicitValue(key as ServerSettingKey, inspect(key)) ?? null;
    }
  }
  return undefined;
}
