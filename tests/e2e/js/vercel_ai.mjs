// An app on the Vercel AI SDK: streamText (or generateText with `generate`: no streaming) with tools
// and a step limit, through @ai-sdk/anthropic or @ai-sdk/openai (Responses by default, or
// `openai-chat`). Base URLs end in /v1 for both providers.
import { MAX_STEPS, PROMPT, RETRIES, TOOLS, load, runTool } from "./lib.mjs";

const { generateText, streamText, isStepCount, tool, jsonSchema } = await load("ai");
const which = process.argv[2] ?? "anthropic";
const generate = process.argv[3] === "generate";
let model;
if (which === "anthropic") {
  const { createAnthropic } = await load("@ai-sdk/anthropic");
  model = createAnthropic({ baseURL: process.env.E2E_BASE_URL })("claude-sonnet-4-5");
} else {
  const { createOpenAI } = await load("@ai-sdk/openai");
  const openai = createOpenAI({ baseURL: process.env.E2E_BASE_URL });
  model = which === "openai-chat" ? openai.chat("gpt-4.1") : openai("gpt-5.5");
}
const tools = Object.fromEntries(
  TOOLS.map((t) => [
    t.name,
    tool({ description: t.description, inputSchema: jsonSchema(t.parameters), execute: async (args) => runTool(t.name, args) }),
  ]),
);
const options = { model, prompt: PROMPT, tools, stopWhen: isStepCount(MAX_STEPS), maxRetries: RETRIES };
if (generate) {
  console.log((await generateText(options)).text);
  process.exit(0);
}
const result = streamText(options);
let text = "";
for await (const part of result.fullStream) {
  if (part.type === "error") throw part.error;
  if (part.type === "text-delta") text += part.text ?? part.delta ?? "";
  if (part.type === "start-step") text = ""; // keep the last step's answer
}
console.log(text);
