import { Retention } from '../core/retention';
import { ResolvedLimits } from '../core/tempo-tenancy';

/**
 * Tempo 3.0.3 scoped overrides blocks.
 *
 * Tempo decodes each per-tenant block (and the `*` wildcard) into a freshly zeroed struct: a field
 * the block leaves out is the Go zero value, never the `defaults` block's value and never the
 * built-in default (modules/overrides, loadPerTenantOverrides and Overrides.UnmarshalYAML at
 * v3.0.3). Left out, `ingestion.retry_info_enabled` turns false, `read.max_bytes_per_tag_values_query`
 * turns unlimited and a missing rate or burst limit rejects every push. So every block we render
 * spells out every field whose built-in default is not nil; fields whose built-in default is nil
 * (unset pointers, lists and maps) decode to the same nil when absent and are left out.
 */

/** Built-in values of the override fields we do not expose, as Tempo 3.0.3 seeds `overrides.defaults`. */
const BUILTIN = {
  rateStrategy: 'local',
  maxGlobalTracesPerUser: 0,
  tenantShardSize: 0,
  maxAttributeBytes: 0,
  retryInfoEnabled: true,
  maxBytesPerTagValuesQuery: 1_000_000,
  maxBlocksPerTagValuesQuery: 0,
  maxConditionGroupsPerTagQuery: 100,
  zeroDuration: '0s',
  generateNativeHistograms: 'classic',
  nativeHistogramBucketFactor: 1.1,
  nativeHistogramMaxBucketNumber: 100,
  nativeHistogramMinResetDuration: '15m0s',
} as const;

/** The metrics-generator part of an overrides block: which processors run for the tenant. */
export interface TempoOverridesGenerator {
  readonly processors: string[];
}

/** One complete scoped overrides block (the `defaults` block and every tenant block use the same shape). */
export function renderTempoOverridesBlock(limits: ResolvedLimits, retention: Retention, generator: TempoOverridesGenerator | undefined): Record<string, unknown> {
  return {
    ingestion: {
      // Tempo reads rate_strategy from the defaults block only; repeated so each block reads alike.
      rate_strategy: BUILTIN.rateStrategy,
      rate_limit_bytes: limits.ingestionRateLimitBytes,
      burst_size_bytes: limits.ingestionBurstSizeBytes,
      max_traces_per_user: limits.maxTracesPerUser,
      max_global_traces_per_user: BUILTIN.maxGlobalTracesPerUser,
      tenant_shard_size: BUILTIN.tenantShardSize,
      max_attribute_bytes: BUILTIN.maxAttributeBytes,
      retry_info_enabled: BUILTIN.retryInfoEnabled,
    },
    read: {
      max_bytes_per_tag_values_query: BUILTIN.maxBytesPerTagValuesQuery,
      max_blocks_per_tag_values_query: BUILTIN.maxBlocksPerTagValuesQuery,
      // Like rate_strategy, read from the defaults block only.
      max_condition_groups_per_tag_query: BUILTIN.maxConditionGroupsPerTagQuery,
      max_search_duration: BUILTIN.zeroDuration,
      max_metrics_duration: BUILTIN.zeroDuration,
      unsafe_query_hints: false,
      left_pad_trace_ids: false,
    },
    compaction: {
      block_retention: retention.toTempoDuration(),
      compaction_window: BUILTIN.zeroDuration,
      compaction_disabled: false,
    },
    metrics_generator: {
      ring_size: 0,
      ...(generator ? { processors: [...generator.processors] } : {}),
      max_active_series: 0,
      max_active_entities: 0,
      collection_interval: BUILTIN.zeroDuration,
      disable_collection: false,
      generate_native_histograms: BUILTIN.generateNativeHistograms,
      // Empty means: the generator's registry uses "traceID".
      trace_id_label_name: '',
      forwarder: { queue_size: 0, workers: 0 },
      processor: {
        service_graphs: { span_multiplier_key: '' },
        span_metrics: { span_multiplier_key: '' },
        host_info: { metric_name: '' },
      },
      ingestion_time_range_slack: BUILTIN.zeroDuration,
      native_histogram_bucket_factor: BUILTIN.nativeHistogramBucketFactor,
      native_histogram_max_bucket_number: BUILTIN.nativeHistogramMaxBucketNumber,
      native_histogram_min_reset_duration: BUILTIN.nativeHistogramMinResetDuration,
      span_name_sanitization: '',
      max_cardinality_per_label: 0,
    },
    global: { max_bytes_per_trace: limits.maxBytesPerTrace },
    cost_attribution: { max_cardinality: 0 },
  };
}
