/**
 * Folds the flat listing into per-block and per-tenant summaries without
 * keeping keys around.
 *
 * S3 lists keys in order, so all objects of one block (`<tenant>/<uuid>/...`)
 * arrive one after another: the grouper holds only the block being read and
 * hands it on when the next block starts. Per-tenant state is a handful of
 * counters, so memory grows with the number of tenants, not of objects.
 */
import { isPastRetention, RetentionView, retentionHoursFor } from './checks';
import { COMPACTED_META_FILE, META_FILE, placeKey } from './layout';
import type { ListedObject } from './list';
import type { MetaResult } from './meta';
import type { AgeSource, Finding, TenantReport } from './types';
import { formatHours } from './duration';

/** Everything the listing knows about one block once its last object went by. */
export interface BlockSummary {
  readonly tenant: string;
  readonly blockId: string;
  readonly objects: number;
  readonly bytes: number;
  /** Newest LastModified of the block's objects: the fallback for its data age. */
  readonly newestObject: Date;
  /** Full key of meta.json, when present. */
  readonly metaKey?: string;
  /** LastModified of meta.compacted.json, when present: when Tempo marked the block for deletion. */
  readonly compactedAt?: Date;
}

interface OpenBlock {
  tenant: string;
  blockId: string;
  objects: number;
  bytes: number;
  newestObject: Date;
  metaKey?: string;
  compactedAt?: Date;
}

/** Counts per tenant for objects that are not part of a block (the tenant index). */
export interface GrouperSink {
  block(summary: BlockSummary): Promise<void>;
  tenantObject(tenant: string, object: ListedObject): void;
  rootObject(name: string): void;
  unknownObject(object: ListedObject): void;
}

/** Groups consecutive block objects into one BlockSummary. */
export class BlockGrouper {
  private open?: OpenBlock;

  /** @param base Tempo's prefix with a trailing slash, or '' */
  constructor(private readonly base: string, private readonly sink: GrouperSink) {}

  /** Feeds one listed object; awaits the sink when a block completes (back-pressure). */
  public async add(object: ListedObject): Promise<void> {
    const place = placeKey(object.key.slice(this.base.length));
    if (place.kind !== 'block') {
      if (place.kind === 'tenant') this.sink.tenantObject(place.tenant, object);
      else if (place.kind === 'root') this.sink.rootObject(place.name);
      else if (place.kind === 'unknown') this.sink.unknownObject(object);
      return;
    }
    const open = this.open;
    if (!open || open.tenant !== place.tenant || open.blockId !== place.blockId) {
      await this.flush();
      this.open = { tenant: place.tenant, blockId: place.blockId, objects: 0, bytes: 0, newestObject: object.lastModified };
    }
    const block = this.open!;
    block.objects++;
    block.bytes += object.size;
    if (object.lastModified > block.newestObject) block.newestObject = object.lastModified;
    if (place.file === META_FILE) block.metaKey = object.key;
    if (place.file === COMPACTED_META_FILE) block.compactedAt = object.lastModified;
  }

  /** Hands on the block being read, if any. Call once after the last page. */
  public async flush(): Promise<void> {
    const done = this.open;
    this.open = undefined;
    if (done) await this.sink.block({ ...done });
  }
}

const MAX_EXAMPLES = 3;
const HOUR_MS = 3600_000;

interface MutableTenant {
  tenant: string;
  blocks: number;
  compactedBlocks: number;
  objects: number;
  bytes: number;
  oldestAgeHours?: number;
  newestAgeHours?: number;
  ageSources: Record<AgeSource, number>;
  blocksPastRetention: number;
  compactedPastGrace: number;
  corruptMeta: number;
  orphanedBlocks: number;
  metaReadErrors: number;
  examples: Record<'pastRetention' | 'corruptMeta' | 'orphaned' | 'compactedPastGrace', string[]>;
}

/**
 * Per-tenant counters. `addBlock` applies Tempo's own retention rule (a live
 * block goes once its `endTime` is older than retention) plus grace.
 */
export class TenantAggregator {
  private readonly tenants = new Map<string, MutableTenant>();

  constructor(private readonly view: RetentionView, private readonly now: Date, private readonly graceHours: number) {}

  /** Counts an object that belongs to a tenant but to no block (its index files). */
  public addTenantObject(tenant: string, object: ListedObject): void {
    const t = this.get(tenant);
    t.objects++;
    t.bytes += object.size;
  }

  /** Counts one finished block, with its meta.json result when it had one. */
  public addBlock(block: BlockSummary, meta: MetaResult | undefined): void {
    const t = this.get(block.tenant);
    t.objects += block.objects;
    t.bytes += block.bytes;
    const objectAge = this.ageHours(block.newestObject);

    // meta.json vanished between listing and reading: Tempo just marked or
    // deleted the block. Neither live nor orphaned, so it is not counted.
    if (meta?.kind === 'gone') return;
    if (block.compactedAt) {
      t.compactedBlocks++;
      if (this.ageHours(block.compactedAt) > this.graceHours) {
        t.compactedPastGrace++;
        example(t.examples.compactedPastGrace, block.blockId);
      }
      return;
    }
    if (!block.metaKey) {
      // Data without meta: an upload that never finished (Tempo writes meta
      // last). Young ones may still be in flight; old ones are never listed
      // by Tempo, so its retention will never delete them.
      if (objectAge > this.graceHours) {
        t.orphanedBlocks++;
        example(t.examples.orphaned, block.blockId);
      }
      return;
    }

    t.blocks++;
    let age = objectAge;
    if (meta?.kind === 'ok') {
      age = this.ageHours(meta.endTime);
      t.ageSources.meta++;
    } else {
      t.ageSources['object-time']++;
      if (meta?.kind === 'corrupt') {
        t.corruptMeta++;
        example(t.examples.corruptMeta, `${block.blockId} (${meta.reason})`);
      } else if (meta?.kind === 'error') {
        t.metaReadErrors++;
      }
    }
    t.oldestAgeHours = Math.max(t.oldestAgeHours ?? -Infinity, age);
    t.newestAgeHours = Math.min(t.newestAgeHours ?? Infinity, age);
    if (isPastRetention(age, retentionHoursFor(this.view, block.tenant), this.graceHours)) {
      t.blocksPastRetention++;
      example(t.examples.pastRetention, block.blockId);
    }
  }

  /** Total meta.json reads that failed for reasons other than corruption. */
  public get metaReadErrors(): number {
    let n = 0;
    for (const t of this.tenants.values()) n += t.metaReadErrors;
    return n;
  }

  /** Tenant reports, sorted by tenant id. */
  public reports(): TenantReport[] {
    return [...this.tenants.values()].sort((a, b) => (a.tenant < b.tenant ? -1 : a.tenant > b.tenant ? 1 : 0)).map((t) => ({
      tenant: t.tenant,
      retentionHours: retentionHoursFor(this.view, t.tenant),
      blocks: t.blocks,
      compactedBlocks: t.compactedBlocks,
      objects: t.objects,
      bytes: t.bytes,
      oldestBlockAgeHours: t.oldestAgeHours === undefined ? undefined : round(t.oldestAgeHours),
      newestBlockAgeHours: t.newestAgeHours === undefined ? undefined : round(t.newestAgeHours),
      ageSources: { ...t.ageSources },
      blocksPastRetention: t.blocksPastRetention,
      compactedPastGrace: t.compactedPastGrace,
      corruptMeta: t.corruptMeta,
      orphanedBlocks: t.orphanedBlocks,
      examples: { ...t.examples },
    }));
  }

  private ageHours(at: Date): number {
    return (this.now.getTime() - at.getTime()) / HOUR_MS;
  }

  private get(tenant: string): MutableTenant {
    let t = this.tenants.get(tenant);
    if (!t) {
      t = {
        tenant, blocks: 0, compactedBlocks: 0, objects: 0, bytes: 0,
        ageSources: { 'meta': 0, 'object-time': 0 },
        blocksPastRetention: 0, compactedPastGrace: 0, corruptMeta: 0, orphanedBlocks: 0, metaReadErrors: 0,
        examples: { pastRetention: [], corruptMeta: [], orphaned: [], compactedPastGrace: [] },
      };
      this.tenants.set(tenant, t);
    }
    return t;
  }
}

function example(list: string[], id: string): void {
  if (list.length < MAX_EXAMPLES) list.push(id);
}

function round(hours: number): number {
  return Math.round(hours * 10) / 10;
}

/** Turns tenant counters into findings, each saying what to look at. */
export function tenantFindings(t: TenantReport, graceHours: number): Finding[] {
  const out: Finding[] = [];
  const eg = (ids: readonly string[]) => (ids.length ? `, e.g. ${ids.join(', ')}` : '');
  if (t.blocksPastRetention > 0) {
    out.push({
      check: 'block-retention', tenant: t.tenant,
      message: `${t.blocksPastRetention} block${t.blocksPastRetention > 1 ? 's are' : ' is'} older than the retention of ${formatHours(t.retentionHours)} plus ${formatHours(graceHours)} grace (oldest ${formatHours(t.oldestBlockAgeHours ?? 0)}${eg(t.examples.pastRetention)}); Tempo is not applying retention: check backend_worker.compaction.block_retention, any compaction_disabled override, and that the backend-scheduler and workers run`,
    });
  }
  if (t.corruptMeta > 0) {
    out.push({ check: 'block-meta', tenant: t.tenant, message: `${t.corruptMeta} meta.json file${t.corruptMeta > 1 ? 's' : ''} cannot be read${eg(t.examples.corruptMeta)}; Tempo skips such blocks, so retention never deletes them` });
  }
  if (t.orphanedBlocks > 0) {
    out.push({ check: 'orphaned-blocks', tenant: t.tenant, message: `${t.orphanedBlocks} block director${t.orphanedBlocks > 1 ? 'ies have' : 'y has'} data but no meta.json and ${t.orphanedBlocks > 1 ? 'are' : 'is'} older than ${formatHours(graceHours)}${eg(t.examples.orphaned)}; these are failed uploads Tempo never lists, so its retention never deletes them` });
  }
  if (t.compactedPastGrace > 0) {
    out.push({ check: 'compacted-blocks', tenant: t.tenant, message: `${t.compactedPastGrace} block${t.compactedPastGrace > 1 ? 's were' : ' was'} marked for deletion more than ${formatHours(graceHours)} ago but still exist${eg(t.examples.compactedPastGrace)}; deletes are failing: check the backend workers' logs and s3:DeleteObject permission` });
  }
  return out;
}
