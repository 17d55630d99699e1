/** Counters a long listing reports while it runs. */
export interface ProgressStats {
  readonly objects: number;
  readonly pages: number;
  readonly blocks: number;
  readonly metaReads: number;
}

/** Receives progress; the CLI passes a TTY line writer, tests and `--json` pass nothing. */
export interface ProgressSink {
  update(stats: ProgressStats): void;
  done(): void;
}

/** Minimal writable view of stderr, so tests can pass a fake. */
export interface TextStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

/**
 * One self-overwriting status line on a terminal, redrawn at most every
 * `intervalMs`. Returns undefined when `stream` is not a TTY: progress in a
 * log file or CI output is noise.
 */
export function ttyProgress(stream: TextStream, intervalMs = 200, clock: () => number = Date.now): ProgressSink | undefined {
  if (!stream.isTTY) return undefined;
  const started = clock();
  let last = 0;
  let drawn = false;
  return {
    update(s) {
      const now = clock();
      if (now - last < intervalMs) return;
      last = now;
      drawn = true;
      const secs = ((now - started) / 1000).toFixed(1);
      stream.write(`\r\x1b[2Klisting: ${s.objects.toLocaleString('en-US')} objects, ${s.pages} pages, ${s.blocks.toLocaleString('en-US')} blocks, ${s.metaReads.toLocaleString('en-US')} meta.json read (${secs}s)`);
    },
    done() {
      if (drawn) stream.write('\r\x1b[2K');
    },
  };
}
