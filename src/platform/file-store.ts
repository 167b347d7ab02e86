import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, type ReadStream } from 'node:fs';
import { mkdir, open, rename, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/**
 * Content-addressed files under `<dataDir>/files/ab/cd/<sha256>`. A file is written to a temp name,
 * fsynced, then renamed, so a crash never leaves a half file under its final name; the same bytes
 * are stored once.
 */
export type FileStore = {
  put(bytes: Buffer): Promise<{ sha256: string; size: number }>;
  open(sha256: string): ReadStream;
  has(sha256: string): Promise<boolean>;
};

export function createFileStore(root: string): FileStore {
  const pathOf = (sha256: string) => join(root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  return {
    async put(bytes) {
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      const finalPath = pathOf(sha256);
      await mkdir(dirname(finalPath), { recursive: true });
      if (await exists(finalPath)) return { sha256, size: bytes.length };
      const tempPath = `${finalPath}.${randomBytes(6).toString('hex')}.tmp`;
      const handle = await open(tempPath, 'w', 0o640);
      try {
        await handle.writeFile(bytes);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(tempPath, finalPath);
      return { sha256, size: bytes.length };
    },
    open(sha256) {
      if (!/^[a-f0-9]{64}$/.test(sha256)) throw new Error('invalid file id');
      return createReadStream(pathOf(sha256));
    },
    has: (sha256) => exists(pathOf(sha256)),
  };
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
