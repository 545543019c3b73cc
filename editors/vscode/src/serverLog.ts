// The server writes Python `logging` lines to stderr:
//   2025-01-31 12:00:00,123 WARNING dockerls.server: message
// Each goes to the output channel at its own level. Anything else on stderr (a
// traceback, an interpreter that cannot import dockerls) is an error.

export type LogLevel = "trace" | "debug" | "info" | "warn" | "error";

const LEVELS: Readonly<Record<string, LogLevel>> = {
  DEBUG: "debug",
  INFO: "info",
  WARNING: "warn",
  ERROR: "error",
  CRITICAL: "error",
};

const LINE = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2},\d+ (DEBUG|INFO|WARNING|ERROR|CRITICAL) (.*)$/;

/** The level of one stderr line and the text to log (without the timestamp the channel adds). */
export function parseLogLine(line: string): { level: LogLevel; text: string } {
  const match = LINE.exec(line);
  if (match === null) {
    return { level: "error", text: line };
  }
  return { level: LEVELS[match[1] ?? ""] ?? "error", text: match[2] ?? "" };
}
