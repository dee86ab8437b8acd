// Shared by the SDK scripts: module loading from the e2e cache, the task, and the three local tools.
import { execSync } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";

// The packages live in .cache/e2e-node (npm ci from tests/e2e/package-lock.json), not beside this file.
const req = createRequire(path.join(process.env.E2E_NODE_DIR, "package.json"));
export const load = async (name) => import(pathToFileURL(req.resolve(name)).href);

export const PROMPT =
  "Read customers.md, save the contact fields to contacts.txt and print them with a shell command.";

export const TOOLS = [
  {
    name: "read_file",
    description: "Read a text file.",
    parameters: { type: "object", properties: { path: { type: "string" } }, required: ["path"] },
  },
  {
    name: "write_file",
    description: "Write a text file.",
    parameters: {
      type: "object",
      properties: { path: { type: "string" }, content: { type: "string" } },
      required: ["path", "content"],
    },
  },
  {
    name: "run_shell",
    description: "Run a bash command and return its output.",
    parameters: { type: "object", properties: { command: { type: "string" } }, required: ["command"] },
  },
];

export function runTool(name, args) {
  if (name === "read_file") return fs.readFileSync(args.path, "utf8");
  if (name === "write_file") {
    fs.writeFileSync(args.path, args.content);
    return `wrote ${args.content.length} characters`;
  }
  if (name === "run_shell") return execSync(args.command, { shell: "/bin/bash", encoding: "utf8" }) || "(no output)";
  throw new Error(`unknown tool ${name}`);
}

export const MAX_STEPS = 6;
export const RETRIES = Number(process.env.E2E_RETRIES ?? "0");
