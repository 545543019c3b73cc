// Drives a real VS Code workbench (code-server) in headless Chromium for
// e2e/editors/test_vscode.py. It knows the UI, not the test: it reads one JSON
// command per line on stdin and answers one JSON line on stdout
// ({"ok": true, "value": ...} or {"ok": false, "error": "..."}).
//
//   node vscode_driver.mjs URL ARTIFACT_DIR
//   environment: E2E_NODE_MODULES (where playwright-core is installed),
//                E2E_CHROMIUM (the browser, Debian's /usr/bin/chromium)
//
// Only the keyboard chooses in menus: under Playwright the quick-fix menu's
// overlay swallows mouse clicks. Every wait has a deadline; nothing sleeps.

import { createRequire } from "node:module";
import * as path from "node:path";
import * as readline from "node:readline";

const require = createRequire(path.join(process.env.E2E_NODE_MODULES, "package.json"));
const { chromium } = require("playwright-core");

const [url, artifacts] = process.argv.slice(2);
const WAIT_MS = 30_000;

const browser = await chromium.launch({
  executablePath: process.env.E2E_CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
});
const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
page.setDefaultTimeout(WAIT_MS);

const MOD = "Control"; // code-server on Linux

/** Text of an element with VS Code's non-breaking spaces made plain. */
function plain(text) {
  return (text ?? "").replace(/\u00a0/g, " ");
}

async function runCommand(title) {
  await page.keyboard.press("F1");
  const input = page.locator(".quick-input-widget .quick-input-box input");
  await input.waitFor({ state: "visible" });
  await input.fill(`>${title}`);
  const row = page.locator(".quick-input-widget .monaco-list-row", { hasText: title }).first();
  await row.waitFor({ state: "visible" });
  await input.press("Enter");
  await page.locator(".quick-input-widget").waitFor({ state: "hidden" });
}

/** The focused editor's cursor to 1-based line:column (VS Code's Go to Line). */
async function goTo(line, column) {
  await page.keyboard.press(`${MOD}+g`);
  const input = page.locator(".quick-input-widget .quick-input-box input");
  await input.waitFor({ state: "visible" });
  await input.fill(`:${line}:${column}`);
  await input.press("Enter");
  await page.locator(".quick-input-widget").waitFor({ state: "hidden" });
  await page
    .locator(".statusbar-item", { hasText: `Ln ${line}, Col ${column}` })
    .first()
    .waitFor({ state: "visible" });
}

const ATTEMPTS = 5;

/**
 * Open an action menu (quick fix, refactor) with `open` and choose the row whose text contains
 * `label`. When VS Code answers "No code actions available" (or "No refactorings available")
 * instead, the menu is asked for again, up to ATTEMPTS times: `attempts` in the answer says how
 * many it took (more than one is a server answer worth looking at).
 */
async function chooseAction(open, label) {
  const menu = page.locator(".action-widget");
  const none = page.locator(".monaco-editor-overlaymessage", {
    hasText: /No (code actions|refactorings) available/,
  });
  let attempts = 0;
  while (true) {
    attempts += 1;
    await open();
    await menu.or(none).first().waitFor({ state: "visible" });
    if (await menu.isVisible()) {
      break;
    }
    if (attempts === ATTEMPTS) {
      throw new Error(`"No code actions available" ${ATTEMPTS} times`);
    }
    await page.keyboard.press("Escape");
    await none.waitFor({ state: "hidden" });
  }
  const rows = menu.locator(".monaco-list-row.action");
  await rows.first().waitFor({ state: "visible" });
  const labels = (await rows.allTextContents()).map(plain);
  if (!labels.some((text) => text.includes(label))) {
    await page.keyboard.press("Escape");
    return { chosen: null, offered: labels, attempts };
  }
  // The focus starts on the first action; walk down to the one wanted.
  for (let step = 0; step <= labels.length; step++) {
    const focused = plain(await menu.locator(".monaco-list-row.focused").first().textContent());
    if (focused.includes(label)) {
      await page.keyboard.press("Enter");
      await menu.waitFor({ state: "hidden" });
      return { chosen: focused, offered: labels, attempts };
    }
    await page.keyboard.press("ArrowDown");
  }
  throw new Error(`could not focus '${label}' in ${JSON.stringify(labels)}`);
}

const commands = {
  /** Load the workbench and wait until it is ready for input. */
  async open() {
    await page.goto(url);
    await page.locator(".monaco-workbench").waitFor({ state: "visible", timeout: 60_000 });
    await page.locator(".statusbar").waitFor({ state: "visible", timeout: 60_000 });
    return true;
  },

  /** Open a file of the workspace with Quick Open and wait for its editor. */
  async openFile({ name }) {
    await page.keyboard.press(`${MOD}+p`);
    const input = page.locator(".quick-input-widget .quick-input-box input");
    await input.waitFor({ state: "visible" });
    await input.fill(name);
    await page.locator(".quick-input-widget .monaco-list-row", { hasText: name }).first().waitFor();
    await input.press("Enter");
    await page.locator(".tab.active", { hasText: name }).waitFor({ state: "visible" });
    await page.locator(".editor-instance .monaco-editor .view-lines").first().waitFor();
    await page.locator(".editor-instance .monaco-editor textarea").first().focus();
    return true;
  },

  /** The language mode shown in the status bar (e.g. "Dockerfile"). */
  async languageMode() {
    const item = page.locator("#status\\.editor\\.mode");
    await item.waitFor({ state: "visible" });
    return plain(await item.textContent()).trim();
  },

  async command({ title }) {
    await runCommand(title);
    return true;
  },

  /**
   * The Problems panel's rows as shown (message, source(code), position), read with the panel
   * maximized so that none is scrolled out of its virtual list; the layout is put back after.
   */
  async problems() {
    const panel = page.locator(".markers-panel");
    if (!(await panel.isVisible())) {
      await runCommand("View: Focus Problems (Errors, Warnings, Infos)");
      await panel.waitFor({ state: "visible" });
    }
    const part = page.locator(".part.panel");
    const normal = (await part.boundingBox()).height;
    await runCommand("View: Toggle Maximized Panel");
    await page.waitForFunction(
      ([el, height]) => el.getBoundingClientRect().height > height,
      [await part.elementHandle(), normal],
    );
    const rows = (await panel.locator(".monaco-tl-row").allTextContents()).map(plain);
    await runCommand("View: Toggle Maximized Panel");
    await page.waitForFunction(
      ([el, height]) => el.getBoundingClientRect().height <= height,
      [await part.elementHandle(), normal],
    );
    return rows;
  },

  /** Show the hover at line:column (1-based), wait until it shows `contains`, return its text. */
  async hover({ line, column, contains }) {
    await page.locator(".editor-instance .monaco-editor textarea").first().focus();
    await goTo(line, column);
    await runCommand("Show or Focus Hover");
    const hover = page.locator(".monaco-hover:not(.hidden) .monaco-hover-content").first();
    await hover.waitFor({ state: "visible" });
    // The diagnostics' part shows first; the server's answer fills in after.
    await page.waitForFunction(
      ([el, text]) => (el.textContent ?? "").replace(/\u00a0/g, " ").includes(text),
      [await hover.elementHandle(), contains],
    );
    return plain(await hover.innerText());
  },

  /** Ctrl+. at line:column, choose the action whose title contains `label`. */
  async quickFix({ line, column, label }) {
    await page.locator(".editor-instance .monaco-editor textarea").first().focus();
    await goTo(line, column);
    return chooseAction(() => page.keyboard.press(`${MOD}+Period`), label);
  },

  /** The Refactor... menu at line:column, choose the action whose title contains `label`. */
  async refactor({ line, column, label }) {
    await page.locator(".editor-instance .monaco-editor textarea").first().focus();
    await goTo(line, column);
    return chooseAction(() => runCommand("Refactor..."), label);
  },

  /** Type `text` at line:column (1-based) of the focused editor, as the user types it. */
  async type({ line, column, text }) {
    await page.locator(".editor-instance .monaco-editor textarea").first().focus();
    await goTo(line, column);
    await page.keyboard.type(text);
    await page.locator(".tab.active.dirty").waitFor({ state: "visible" });
    return true;
  },

  /** Wait for the edit just made (a code action may be resolved first) to show in the active
   * editor, then save it with the keyboard (which runs editor.codeActionsOnSave). */
  async save() {
    await page.locator(".tab.active.dirty").waitFor({ state: "visible" });
    await page.locator(".editor-instance .monaco-editor textarea").first().focus();
    await page.keyboard.press(`${MOD}+s`);
    await page.locator(".tab.active.dirty").waitFor({ state: "detached" });
    return true;
  },

  /** The text of an output channel, opened through the extension's own command. */
  async output({ command }) {
    await runCommand(command);
    const view = page.locator(".output-view .monaco-editor .view-lines, .panel .output .monaco-editor .view-lines").first();
    await view.waitFor({ state: "visible" });
    return plain(await view.innerText());
  },

  /** Screenshot of the window, or of the smallest rectangle holding every visible element
   * that `selectors` match (e.g. the editor and the panel), into the artifact dir. */
  async screenshot({ name, selectors }) {
    const file = path.join(artifacts, name);
    if (selectors === undefined) {
      await page.screenshot({ path: file });
      return file;
    }
    const boxes = [];
    for (const selector of selectors) {
      for (const element of await page.locator(selector).all()) {
        const box = (await element.isVisible()) ? await element.boundingBox() : null;
        if (box !== null) {
          boxes.push(box);
        }
      }
    }
    const x = Math.min(...boxes.map((b) => b.x));
    const y = Math.min(...boxes.map((b) => b.y));
    const right = Math.max(...boxes.map((b) => b.x + b.width));
    const bottom = Math.max(...boxes.map((b) => b.y + b.height));
    await page.screenshot({ path: file, clip: { x, y, width: right - x, height: bottom - y } });
    return file;
  },

  /** Any notifications showing (the extension's errors land there). */
  async notifications() {
    return (await page.locator(".notifications-toasts .notification-list-item-message").allTextContents()).map(plain);
  },

  async close() {
    await browser.close();
    return true;
  },
};

const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
for await (const line of lines) {
  const { name, args } = JSON.parse(line);
  let answer;
  try {
    answer = { ok: true, value: await commands[name](args ?? {}) };
  } catch (error) {
    let shot = null;
    try {
      shot = path.join(artifacts, `failure-${name}-${Date.now()}.png`);
      await page.screenshot({ path: shot });
    } catch {
      shot = null;
    }
    answer = { ok: false, error: String(error?.stack ?? error), screenshot: shot };
  }
  process.stdout.write(`${JSON.stringify(answer)}\n`);
  if (name === "close") {
    break;
  }
}
process.exit(0);
