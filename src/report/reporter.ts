// Everything a command tells a person, on stderr: messages as `glacier: ...`, and on a
// terminal one status line at a time (a transfer's progress, or a job being waited for),
// drawn with \r and redrawn every second as well as on every event, so a line that stands
// still (a 64 MiB part in flight) still shows the clock moving. A message first erases the
// status line and the line comes back under it. The command layer creates one reporter and
// hands it down; nothing here ever writes to stdout.
import { formatDuration, formatSize } from './units.js';

const PREFIX = 'glacier';
const ERASE_LINE = '\r\x1b[K';
const REDRAW_MS = 1000;
const MIN_EVENT_REDRAW_MS = 200;

export interface ReporterOptions {
  /** Where messages go: process.stderr unless a test says otherwise. */
  stream?: NodeJS.WriteStream;
  /** Show status lines: --progress / --no-progress, else whether the stream is a terminal. */
  progress?: boolean;
}

export interface ProgressLine {
  /** `bytes` more are done. */
  advance(bytes: number): void;
  /**
   * Erase the line. With a verb (`stored`), once the outcome is certain, also print the
   * summary line where status lines show; calling it again then prints only the summary.
   */
  finish(verb?: string): void;
}

export interface WaitLine {
  finish(): void;
}

interface StatusLine {
  render(now: number): string;
}

export class Reporter {
  readonly #stream: NodeJS.WriteStream;
  readonly #terminal: boolean;
  readonly #showStatus: boolean;
  #status: StatusLine | undefined;
  #timer: NodeJS.Timeout | undefined;
  #drawnAt = 0;

  constructor(options: ReporterOptions = {}) {
    this.#stream = options.stream ?? process.stderr;
    this.#terminal = this.#stream.isTTY === true;
    this.#showStatus = options.progress ?? this.#terminal;
  }

  /** Whether status lines and summaries are shown (a terminal, or --progress). */
  get showsStatus(): boolean {
    return this.#showStatus;
  }

  /** A failure, as one `glacier: TEXT` line. */
  error(text: string): void {
    this.#message(text);
  }

  /** What happened, as one plain `glacier: TEXT` line, as the old tool said it (a job queued, archives deleted). */
  notice(text: string): void {
    this.#message(text);
  }

  warn(text: string): void {
    this.#message(`warning: ${text}`);
  }

  info(text: string): void {
    this.#message(`info: ${text}`);
  }

  /** --debug lines: one per HTTP exchange. */
  debug(text: string): void {
    this.#message(`debug: ${text}`);
  }

  /** A transfer of `total` bytes (unknown for stdin of unknown size), `done` of them already. */
  progress(label: string, total: number | undefined, done = 0): ProgressLine {
    const startedAt = Date.now();
    let bytes = done;
    const line: StatusLine = {
      render: (now) => {
        const seconds = Math.max((now - startedAt) / 1000, 0.001);
        const rate = (bytes - done) / seconds;
        let text = `${label}: ${formatSize(bytes)}`;
        if (total !== undefined) text += ` of ${formatSize(total)} (${total > 0 ? Math.floor((bytes / total) * 100) : 100}%)`;
        text += `, ${formatSize(rate)}/s`;
        if (total !== undefined) text += rate > 0 ? `, ETA ${formatDuration(Math.max(total - bytes, 0) / rate)}` : ', ETA --';
        return text;
      },
    };
    this.#show(line);
    return {
      advance: (count) => {
        bytes += count;
        if (this.#status === line && Date.now() - this.#drawnAt >= MIN_EVENT_REDRAW_MS) this.#draw();
      },
      finish: (verb) => {
        this.#hide(line);
        if (verb === undefined || !this.#showStatus) return;
        const seconds = (Date.now() - startedAt) / 1000;
        const moved = bytes - done;
        const rate = seconds > 0 ? `, ${formatSize(moved / seconds)}/s` : '';
        this.#message(`${verb} ${label} (${formatSize(moved)} in ${formatDuration(seconds)}${rate})`);
      },
    };
  }

  /** Waiting for a job: the time waited so far. */
  wait(label: string): WaitLine {
    const startedAt = Date.now();
    const line: StatusLine = { render: (now) => `waiting for ${label}: ${formatDuration((now - startedAt) / 1000)} elapsed` };
    this.#show(line);
    return { finish: () => this.#hide(line) };
  }

  #message(text: string): void {
    const erase = this.#terminal ? ERASE_LINE : '';
    this.#stream.write(`${erase}${PREFIX}: ${text}\n`);
    if (this.#status !== undefined) this.#draw();
  }

  #show(line: StatusLine): void {
    if (!this.#showStatus) return;
    this.#status = line;
    this.#draw();
    if (this.#timer === undefined) {
      this.#timer = setInterval(() => this.#draw(), REDRAW_MS);
      // The line never keeps the process alive.
      this.#timer.unref();
    }
  }

  #hide(line: StatusLine): void {
    if (this.#status !== line) return;
    this.#status = undefined;
    clearInterval(this.#timer);
    this.#timer = undefined;
    if (this.#terminal) this.#stream.write(ERASE_LINE);
  }

  #draw(): void {
    if (this.#status === undefined) return;
    const now = Date.now();
    this.#drawnAt = now;
    // Off a terminal (--progress into a log) each redraw is its own line.
    const text = `${PREFIX}: ${this.#status.render(now)}`;
    this.#stream.write(this.#terminal ? `${ERASE_LINE}${text}` : `${text}\n`);
  }
}
