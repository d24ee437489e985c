// The live terminal view: one listr2 task per plan resource, moved by events; the plan decides the rows, never listr2.
import {
  Listr,
  ListrDefaultRendererLogLevels,
  ListrLogLevels,
  ListrLogger,
  ProcessOutput,
  type ListrTask,
  type LoggerFormat,
} from 'listr2';
import type { EventStatus, ProgressEvent } from '../events/events.js';
import { createPalette, formatPlainLine, labelWidth, type Palette } from './plain-view.js';
import type { ProgressRow, ProgressView, ViewStream } from './view.js';

export interface ListrViewOptions {
  /**
   * Redraw rows in place (listr2's default renderer); otherwise print a line as each row starts and ends.
   * @default stream.isTTY === true
   */
  readonly tty?: boolean;
  /**
   * Colour icons and status text. Set explicitly: listr2's own colour probe looks at stdout, not our stream.
   * @default false
   */
  readonly color?: boolean;
  /** @default Date.now */
  readonly clock?: () => number;
  /**
   * How often the elapsed time of working rows is redrawn, in milliseconds (TTY only); 0 never.
   * @default 100
   */
  readonly tickMs?: number;
}

type Outcome = { readonly kind: 'done' } | { readonly kind: 'skipped' | 'failed'; readonly message: string };

/** The part of listr2's task wrapper a row drives. */
interface RowTask {
  title: string;
  skip(message?: string): void;
}

interface RowState {
  readonly row: ProgressRow;
  last?: ProgressEvent;
  firstWorkingAt?: number;
  lastAt?: number;
  task?: RowTask;
  outcome?: Outcome;
  settle: (outcome: Outcome) => void;
  readonly settled: Promise<Outcome>;
}

/** Compose's timer text: one decimal of seconds. */
export function formatElapsed(ms: number): string {
  return `${(Math.max(0, ms) / 1000).toFixed(1)}s`;
}

/** `Container demo-web-1  Started  1.2s`: the label padded to `width`, the text, any detail, the elapsed time. */
export function formatRowTitle(options: {
  readonly label: string;
  readonly width: number;
  readonly event?: ProgressEvent;
  readonly elapsedMs?: number;
  readonly palette?: Palette;
}): string {
  const { event, palette = createPalette(false) } = options;
  if (event === undefined) return options.label;
  // An error's detail is shown by listr2 under the row, as the task's error message.
  const hasDetail = event.status !== 'error' && event.detail !== undefined && event.detail !== '';
  const detail = hasDetail ? `  ${palette.dim(event.detail ?? '')}` : '';
  const elapsed = options.elapsedMs === undefined ? '' : `  ${palette.dim(formatElapsed(options.elapsedMs))}`;
  return `${options.label.padEnd(options.width)}  ${palette.status(event.status, event.text)}${detail}${elapsed}`;
}

function createRowState(row: ProgressRow): RowState {
  let settle: (outcome: Outcome) => void = () => undefined;
  const settled = new Promise<Outcome>((resolve) => (settle = resolve));
  const state: RowState = { row, settled, settle: () => undefined };
  state.settle = (outcome) => {
    if (state.outcome !== undefined) return;
    state.outcome = outcome;
    settle(outcome);
  };
  return state;
}

/** What a row still open when the work ends becomes: done if its last event was, otherwise not done (skipped). */
function closingOutcome(state: RowState, title: string, tty: boolean): Outcome {
  const last = state.last;
  if (last?.status === 'done') return { kind: 'done' };
  // The default renderer shows a skip message in place of the title; the simple one prints it after the title.
  const message = tty ? title : (last?.detail ?? last?.text ?? 'not started');
  return { kind: 'skipped', message };
}

// listr2 colours icons through these maps; filling every level ourselves makes `color` the only switch.
const levelColors: Record<string, EventStatus | 'dim'> = {
  [ListrDefaultRendererLogLevels.COMPLETED]: 'done',
  [ListrDefaultRendererLogLevels.FAILED]: 'error',
  [ListrDefaultRendererLogLevels.FAILED_WITH_FAILED_SUBTASKS]: 'error',
  [ListrDefaultRendererLogLevels.COMPLETED_WITH_FAILED_SISTER_TASKS]: 'error',
  [ListrDefaultRendererLogLevels.PENDING]: 'warning',
  [ListrDefaultRendererLogLevels.SKIPPED_WITH_COLLAPSE]: 'warning',
  [ListrDefaultRendererLogLevels.SKIPPED_WITHOUT_COLLAPSE]: 'warning',
  [ListrDefaultRendererLogLevels.WAITING]: 'dim',
  [ListrLogLevels.STARTED]: 'warning',
  [ListrLogLevels.SKIPPED]: 'warning',
};

function iconColors(palette: Palette): Record<string, LoggerFormat> {
  const levels = [...Object.values(ListrDefaultRendererLogLevels), ...Object.values(ListrLogLevels)];
  const entries = levels.map((level): [string, LoggerFormat] => {
    const kind = levelColors[level];
    if (kind === undefined) return [level, (text = '') => text];
    if (kind === 'dim') return [level, (text = '') => palette.dim(text)];
    return [level, (text = '') => palette.status(kind, text)];
  });
  return Object.fromEntries(entries);
}

function createListr(tasks: ListrTask<undefined>[], stream: ViewStream, tty: boolean, palette: Palette): { run(): Promise<unknown> } {
  // listr2 is typed for process streams; it only writes to ours (and swaps its `write` while live).
  const out = stream as NodeJS.WriteStream;
  const logger = new ListrLogger({ useIcons: true, toStderr: [], processOutput: new ProcessOutput(out, out) });
  // No SIGINT listener: listr2's would exit with 127, and cli/main.ts owns interruption (exit 130).
  const common = { concurrent: true, exitOnError: false, registerSignalListeners: false };
  const color = iconColors(palette);
  if (tty) {
    const rendererOptions = { logger, color, collapseErrors: false, formatOutput: 'truncate' as const };
    // The fallback is the same renderer: listr2 probes process.stdout, but we have already probed our stream.
    return new Listr<undefined, 'default', 'default'>(tasks, {
      ...common,
      renderer: 'default',
      rendererOptions,
      fallbackRenderer: 'default',
      fallbackRendererOptions: rendererOptions,
    });
  }
  const rendererOptions = { logger, color };
  return new Listr<undefined, 'simple', 'simple'>(tasks, {
    ...common,
    renderer: 'simple',
    rendererOptions,
    fallbackRenderer: 'simple',
    fallbackRendererOptions: rendererOptions,
  });
}

/** One listr2 task per row; events retitle rows, an error or finish() settles them. */
class ListrView implements ProgressView {
  private readonly tty: boolean;
  private readonly palette: Palette;
  private readonly clock: () => number;
  private readonly rows = new Map<string, RowState>();
  private width = 0;
  private running: Promise<unknown> | undefined;
  private ticker: NodeJS.Timeout | undefined;

  constructor(
    private readonly stream: ViewStream,
    private readonly options: ListrViewOptions,
  ) {
    this.tty = options.tty ?? stream.isTTY === true;
    this.palette = createPalette(options.color === true);
    this.clock = options.clock ?? Date.now;
  }

  start(rows: readonly ProgressRow[]): void {
    if (this.running !== undefined) throw new Error('createListrView: start() may only be called once');
    this.width = Math.max(this.width, labelWidth(rows));
    for (const row of rows) if (!this.rows.has(row.id)) this.rows.set(row.id, createRowState(row));
    const tasks = [...this.rows.values()].map((state): ListrTask<undefined> => ({
      title: state.row.label,
      task: (_ctx, task) => this.runRow(state, task),
    }));
    this.running = createListr(tasks, this.stream, this.tty, this.palette).run();
    const tickMs = this.options.tickMs ?? 100;
    if (this.tty && tickMs > 0) {
      this.ticker = setInterval(() => this.rows.forEach((state) => state.last?.status === 'working' && this.redraw(state)), tickMs);
      this.ticker.unref();
    }
  }

  emit(event: ProgressEvent): void {
    // Rows show the current step; the lines a step prints belong to the plain view.
    if (event.log === true) return;
    const state = this.rows.get(event.id);
    // listr2 cannot add a task to a list that is already running: such events are printed as plain lines,
    // which listr2 holds back while it redraws and prints after the display (in order when not a TTY).
    if (state === undefined || state.outcome !== undefined) {
      this.stream.write(`${formatPlainLine(event, this.width, this.palette)}\n`);
      return;
    }
    const now = this.clock();
    if (event.status === 'working' && state.firstWorkingAt === undefined) state.firstWorkingAt = now;
    state.last = event;
    state.lastAt = now;
    this.redraw(state);
    if (event.status === 'error') state.settle({ kind: 'failed', message: event.detail ?? event.text });
  }

  async finish(): Promise<void> {
    if (this.ticker !== undefined) clearInterval(this.ticker);
    for (const state of this.rows.values()) {
      this.redraw(state);
      state.settle(closingOutcome(state, this.titleOf(state), this.tty));
    }
    await this.running;
  }

  private async runRow(state: RowState, task: RowTask): Promise<void> {
    state.task = task;
    this.redraw(state);
    const outcome = await state.settled;
    if (outcome.kind === 'failed') throw new Error(outcome.message);
    if (outcome.kind === 'skipped') task.skip(outcome.message);
  }

  private titleOf(state: RowState): string {
    const { last, firstWorkingAt } = state;
    const end = last?.status === 'working' ? this.clock() : state.lastAt;
    const elapsedMs = firstWorkingAt === undefined || end === undefined ? undefined : end - firstWorkingAt;
    return formatRowTitle({
      label: state.row.label,
      width: this.width,
      palette: this.palette,
      ...(last === undefined ? {} : { event: last }),
      ...(elapsedMs === undefined ? {} : { elapsedMs }),
    });
  }

  private redraw(state: RowState): void {
    if (state.task === undefined) return;
    const title = this.titleOf(state);
    if (state.task.title !== title) state.task.title = title;
  }
}

export function createListrView(stream: ViewStream, options: ListrViewOptions = {}): ProgressView {
  return new ListrView(stream, options);
}
