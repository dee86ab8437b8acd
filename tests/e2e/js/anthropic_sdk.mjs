// An app on the Anthropic TypeScript SDK: count_tokens, then a streamed tool loop with extended
// thinking (signed thinking blocks re-sent as received). ANTHROPIC_BASE_URL / ANTHROPIC_API_KEY from env.
import { MAX_STEPS, PROMPT, RETRIES, TOOLS, load, runTool } from "./lib.mjs";

const { default: Anthropic } = await load("@anthropic-ai/sdk");
const client = new Anthropic({ maxRetries: RETRIES });
const model = "claude-sonnet-4-5";
const tools = TOOLS.map((t) => ({ name: t.name, description: t.description, input_schema: t.parameters }));
const messages = [{ role: "user", content: PROMPT }];

const counted = await client.messages.countTokens({ model, messages, tools });
if (!(counted.input_tokens > 0)) throw new Error(`count_tokens: ${JSON.stringify(counted)}`);

for (let step = 0; step < MAX_STEPS; step++) {
  const stream = client.messages.stream({
    model, max_tokens: 4096, thinking: { type: "enabled", budget_tokens: 2048 }, tools, messages,
  });
  const msg = await stream.finalMessage();
  messages.push({ role: "assistant", content: msg.content });
  const calls = msg.content.filter((b) => b.type === "tool_use");
  if (!calls.length) {
    console.log(msg.content.filter((b) => b.type === "text").map((b) => b.text).join(""));
    process.exit(0);
  }
  messages.push({
    role: "user",
    content: calls.map((c) => ({ type: "tool_result", tool_use_id: c.id, content: runTool(c.name, c.input) })),
  });
}
throw new Error("no final answer");
