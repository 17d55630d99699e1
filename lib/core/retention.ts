import { configError } from './errors';

const HOURS_PER_DAY = 24;

/**
 * How long trace data is kept. One value drives every place retention lives:
 * Tempo's `block_retention` (both copies), the S3 lifecycle backstop, and the
 * Elasticsearch index cleanup.
 *
 * Values are checked when a construct uses them (so the error can name the
 * construct): they must be whole hours, at least one hour.
 */
export class Retention {
  /** Keep data for `days` whole days. */
  public static days(days: number): Retention {
    return new Retention(days * HOURS_PER_DAY, `${days} days`);
  }

  /** Keep data for `hours` whole hours. */
  public static hours(hours: number): Retention {
    return new Retention(hours, `${hours} hours`);
  }

  /**
   * Parses a Go duration as Tempo prints it (`336h`, `336h0m0s`, `90m`).
   * Returns undefined when the text is not a whole number of hours.
   */
  public static parseTempoDuration(text: string): Retention | undefined {
    const match = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(text.trim());
    if (!match || text.trim() === '') return undefined;
    const seconds = Number(match[1] ?? 0) * 3600 + Number(match[2] ?? 0) * 60 + Number(match[3] ?? 0);
    if (seconds <= 0 || seconds % 3600 !== 0) return undefined;
    return Retention.hours(seconds / 3600);
  }

  /** Retention in hours, as given. */
  public readonly hours: number;
  private readonly given: string;

  private constructor(hours: number, given: string) {
    this.hours = hours;
    this.given = given;
  }

  /** Whole days, rounded up: what day-granular systems (S3 lifecycle, ES indices) must keep. */
  public toDaysCeil(): number {
    return Math.ceil(this.hours / HOURS_PER_DAY);
  }

  /** Go duration string Tempo reads, e.g. `336h`. */
  public toTempoDuration(): string {
    return `${this.hours}h`;
  }

  /** Human form for messages and docs. */
  public toString(): string {
    return this.given;
  }

  /** Throws unless this is a whole number of hours, at least one. */
  public validate(path: string, what = 'retention'): this {
    if (!Number.isFinite(this.hours) || !Number.isInteger(this.hours) || this.hours < 1) {
      throw configError(path, `${what} must be a whole number of hours, at least 1 hour`, this.given,
        'use Retention.days(n) with a whole n >= 1, or Retention.hours(n) with a whole n >= 1');
    }
    return this;
  }
}
