import { readControlInfo } from '../platform/data-dir-lock.ts';

/**
 * Sends a CLI command to the server that holds the embedded data directory, streaming its
 * output. Returns the exit code, or undefined when no server is running there.
 */
export async function forwardToRunningServer(dataDir: string, argv: string[], write: (text: string) => void): Promise<number | undefined> {
  const control = readControlInfo(dataDir);
  if (!control) return undefined;
  const response = await fetch(`${control.url}/api/internal/control`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-casebook-control': control.token },
    body: JSON.stringify({ argv, cwd: process.cwd() }),
  });
  if (!response.ok || !response.body) throw new Error(`The running server refused the command (HTTP ${response.status}).`);
  const decoder = new TextDecoder();
  let buffered = '';
  let exitCode = 1;
  for await (const chunk of response.body) {
    buffered += decoder.decode(chunk, { stream: true });
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) {
      const exit = /^\u0000exit:(\d+)$/.exec(line);
      if (exit) exitCode = Number(exit[1]);
      else write(`${line}\n`);
    }
  }
  return exitCode;
}
