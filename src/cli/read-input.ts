import { readFile } from 'node:fs/promises';
import { UserFacingError } from './command.js';

/** The whole of a file, or of stdin for "-", with a one-line message when it cannot be read. */
export async function readInput(path: string, stdin: NodeJS.ReadableStream): Promise<Uint8Array> {
  if (path === '-') {
    const chunks: Buffer[] = [];
    for await (const chunk of stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
    return Buffer.concat(chunks);
  }
  try {
    return await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'it is a folder' : (error as Error).message;
    throw new UserFacingError(`cannot read ${path}: ${reason}`);
  }
}
