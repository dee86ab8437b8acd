// An app on the OpenAI TypeScript SDK: `responses` (stateless, store=false, encrypted reasoning re-sent)
// or `chat` (Chat Completions), streamed tool loops. OPENAI_BASE_URL / OPENAI_API_KEY from env.
import { MAX_STEPS, PROMPT, RETRIES, TOOLS, load, runTool } from "./lib.mjs";

const { default: OpenAI } = await load("openai");
const client = new OpenAI({ maxRetries: RETRIES });
const mode = process.argv[2] ?? "responses";

async function responses() {
  const tools = TOOLS.map((t) => ({ type: "function", strict: false, ...t }));
  const input = [{ role: "user", content: PROMPT }];
  for (let step = 0; step < MAX_STEPS; step++) {
    const stream = client.responses.stream({
      model: "gpt-5.5", input, tools, store: false, include: ["reasoning.encrypted_content"],
      reasoning: { effort: "low" },
    });
    const resp = await stream.finalResponse();
    input.push(...resp.output);
    const calls = resp.output.filter((o) => o.type === "function_call");
    if (!calls.length) return resp.output_text;
    for (const c of calls) {
      input.push({ type: "function_call_output", call_id: c.call_id, output: runTool(c.name, JSON.parse(c.arguments)) });
    }
  }
  throw new Error("no final answer");
}

async function chat() {
  const tools = TOOLS.map((t) => ({ type: "function", function: t }));
  const messages = [{ role: "user", content: PROMPT }];
  for (let step = 0; step < MAX_STEPS; step++) {
    const stream = client.chat.completions.stream({
      model: "gpt-4.1", messages, tools, stream_options: { include_usage: true },
    });
    const msg = (await stream.finalChatCompletion()).choices[0].message;
    const calls = msg.tool_calls ?? [];
    messages.push({
      role: "assistant", content: msg.content,
      ...(calls.length ? { tool_calls: calls.map(({ id, type, function: f }) => ({ id, type, function: { name: f.name, arguments: f.arguments } })) } : {}),
    });
    if (!calls.length) return msg.content;
    for (const c of calls) {
      messages.push({ role: "tool", tool_call_id: c.id, content: runTool(c.function.name, JSON.parse(c.function.arguments)) });
    }
  }
  throw new Error("no final answer");
}

console.log(mode === "chat" ? await chat() : await responses());
